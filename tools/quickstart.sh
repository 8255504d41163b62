#!/usr/bin/env bash
# The whole job on the embedded synthetic data, on a CPU:
#   set-up -> synthetic ISIC 2017 data -> segmentation train + test.
# Outputs go to work_dirs/quickstart/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup.sh
PY="$ROOT/.venv/bin/python"
OUT="work_dirs/quickstart"
DATA="$OUT/data"

step() { printf '\n==> %s\n' "$*"; }

if [ ! -f "$DATA/ISIC-2017_Training_Part3_GroundTruth.csv" ]; then
  step "generating synthetic ISIC 2017 data in $DATA"
  "$PY" tools/make_synthetic_isic.py "$DATA" --num-train 100 --num-val 30 --num-test 30 --seed 0
fi

step "segmentation: train (configs/quickstart/seg_quick.py)"
"$PY" tools/train.py configs/quickstart/seg_quick.py --work-dir "$OUT/seg_quick"
step "segmentation: test, ISIC submission masks in $OUT/seg_quick/submission"
"$PY" tools/test.py configs/quickstart/seg_quick.py "$OUT/seg_quick/epoch_30.pth" \
  --work-dir "$OUT/seg_quick" --out "$OUT/seg_quick/submission"

step "done: metrics in $OUT/seg_quick/metrics.json"
cat "$OUT/seg_quick/metrics.json"
