#!/usr/bin/env bash
# Set up (idempotent, seconds when nothing changed) and run the test suite.
# Extra arguments go to pytest, e.g. bash tools/run_tests.sh -k metric -x
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup.sh
exec "$ROOT/.venv/bin/python" -m pytest tests "$@"
