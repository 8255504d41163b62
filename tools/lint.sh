#!/usr/bin/env bash
# Lint the tree with the project's rules (pyproject.toml [tool.ruff]:
# OpenMMLab's flake8 + isort rules). CI runs it before the tests.
#   bash tools/lint.sh          check
#   bash tools/lint.sh --fix    fix what can be fixed automatically
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
exec "${PYTHON:-$ROOT/.venv/bin/python}" -m ruff check "$@" isic_plugins tools tests benchmarks configs
