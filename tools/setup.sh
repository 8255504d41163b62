#!/usr/bin/env bash
# Idempotent set-up of isic_plugins: creates .venv at the repository root,
# installs the pinned OpenMMLab stack (building mmcv 2.1.0 with ops once per
# machine and caching the wheel), installs this package in editable mode and
# verifies the imports.
#
# Environment overrides:
#   PYTHON              interpreter used to create .venv (default: python3)
#   TORCH_SPEC          torch requirement (default: torch==2.13.0)
#   ISIC_WHEEL_CACHE    where the built mmcv wheel is cached
#                       (default: ~/.cache/isic_plugins/wheels)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
TORCH_SPEC="${TORCH_SPEC:-torch==2.13.0}"
# mmpretrain imports torchvision. --no-deps: its CUDA wheel must not pull a
# CUDA torch; its Python parts run beside the CPU torch (see
# isic_plugins/utils/torch_compat.py, fix 5).
TORCHVISION_SPEC="${TORCHVISION_SPEC:-torchvision==0.28.0}"
MMCV_VERSION="2.1.0"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
STAMP="$VENV/.isic_setup_stamp"

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

if [ ! -x "$PY" ]; then
  say "creating virtual environment at $VENV"
  "$PYTHON" -m venv "$VENV" || die "could not create $VENV with $PYTHON (install python3-venv, or set PYTHON=/path/to/python3.10+)"
fi

"$PY" - <<'PYEOF' || die "Python >= 3.10 is required; set PYTHON=/path/to/python3.10+ and remove .venv"
import sys
sys.exit(0 if sys.version_info >= (3, 10) else 1)
PYEOF

# Fast path: nothing changed since the last successful set-up, and nothing
# installed by hand since breaks a pinned package's requirements (pip check:
# e.g. a Pillow upgrade past gradio's pillow<13).
fingerprint="$(cat pyproject.toml tools/setup.sh requirements/*.txt 2>/dev/null | sha1sum | cut -c1-16)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$fingerprint" ] && \
   "$PY" -c "import isic_plugins, mmcv.ops, mmseg.models, mmpretrain.models" >/dev/null 2>&1 && \
   "$PY" -m pip --disable-pip-version-check check >/dev/null 2>&1; then
  say "environment up to date ($VENV)"
  exit 0
fi

PIP=("$PY" -m pip --disable-pip-version-check)
say "installing build tools"
"${PIP[@]}" install -q "pip>=23" "setuptools>=77.0.3,<82" wheel ninja || die "could not install build tools"

# torch first and explicitly: an unpinned torch would pull a multi-GB CUDA build.
say "installing $TORCH_SPEC"
"${PIP[@]}" install -q "$TORCH_SPEC" || die "could not install $TORCH_SPEC"
"${PIP[@]}" install -q --no-deps "$TORCHVISION_SPEC" || die "could not install $TORCHVISION_SPEC"

PYTAG="$("$PY" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')"
TORCH_VER="$("$PY" -c 'import torch; print(torch.__version__.replace("+", "_"))')"
CACHE="${ISIC_WHEEL_CACHE:-$HOME/.cache/isic_plugins/wheels}/mmcv-$MMCV_VERSION-torch-$TORCH_VER-$PYTAG"
mkdir -p "$CACHE"

if ! "$PY" -c "import mmcv, mmcv.ops; assert mmcv.__version__ == '$MMCV_VERSION'" >/dev/null 2>&1; then
  if ! ls "$CACHE"/mmcv-"$MMCV_VERSION"-*.whl >/dev/null 2>&1; then
    say "building mmcv $MMCV_VERSION with ops (once per machine, ~11 min on 2 cores); wheel cached in $CACHE"
    MMCV_WITH_OPS=1 FORCE_CUDA="${FORCE_CUDA:-0}" MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
      "${PIP[@]}" wheel -q --no-build-isolation --no-deps "mmcv==$MMCV_VERSION" -w "$CACHE" \
      || die "building mmcv $MMCV_VERSION failed: it needs gcc/g++ and the Python headers (apt-get install build-essential python3-dev)"
  else
    say "reusing cached mmcv wheel from $CACHE"
  fi
  # mmcv's runtime requirements come from the index; the wheel itself from the cache.
  "${PIP[@]}" install -q "$CACHE"/mmcv-"$MMCV_VERSION"-*.whl || die "could not install the cached mmcv wheel in $CACHE (delete it to rebuild)"
fi

say "installing the pinned stack and isic_plugins (editable)"
"${PIP[@]}" install -q -r requirements/runtime.txt -r requirements/tests.txt -r requirements/deploy.txt "$TORCH_SPEC" "mmcv==$MMCV_VERSION" \
  || die "could not install requirements/*.txt"
"${PIP[@]}" install -q --no-build-isolation --no-deps -e . || die "could not install isic_plugins in editable mode"

say "checking the installed requirements"
"${PIP[@]}" check || die "installed packages conflict (above); delete .venv and run tools/setup.sh again"

say "verifying imports"
"$PY" - <<'PYEOF' || die "the environment is broken (see the message above); delete .venv and run tools/setup.sh again"
import importlib, sys
bad = []
for name in ("torch", "mmengine", "mmcv", "mmcv.ops", "mmseg", "mmpretrain",
             "isic_plugins", "torchvision", "mmseg.models", "mmpretrain.models",
             "onnx", "onnxruntime", "gradio", "playwright"):
    try:
        importlib.import_module(name)
    except Exception as exc:  # report every failure, not just the first
        bad.append(f"  {name}: {type(exc).__name__}: {exc}")
if bad:
    print("[setup] these imports fail:\n" + "\n".join(bad), file=sys.stderr)
    sys.exit(1)
import torch, mmengine, mmcv, mmseg, mmpretrain
print(f"[setup] ok: torch {torch.__version__}, mmengine {mmengine.__version__}, "
      f"mmcv {mmcv.__version__} (ops), mmseg {mmseg.__version__}, mmpretrain {mmpretrain.__version__}")
PYEOF
echo "$fingerprint" > "$STAMP"
