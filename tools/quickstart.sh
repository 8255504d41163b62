#!/usr/bin/env bash
# The whole paper on embedded synthetic data, on a CPU (about 15 minutes on
# 2 cores after set-up):
#   set-up -> synthetic ISIC 2017 data (+ archive stand-in) -> offline
#   downscaling -> segmentation stage 1 -> stage 2 -> test without / with TTA
#   (and ResNet-Seg on the challenge images alone) -> the 3-class and the two
#   binary classifiers -> the ensemble -> work_dirs/quickstart/report.md
# Set QUICKSTART_OUT to write elsewhere; runs already finished are reused
# (delete the folder to start over).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup.sh
PY="$ROOT/.venv/bin/python"
OUT="${QUICKSTART_OUT:-work_dirs/quickstart}"
DATA="$OUT/data"
ARCHIVE="$OUT/archive"
start=$(date +%s)

step() { printf '\n==> [%4ss] %s\n' "$(( $(date +%s) - start ))" "$*"; }
last_ckpt() { cat "$1/last_checkpoint"; }
# train CONFIG WORK_DIR [cfg-options...]: skipped when the run already ended
train() {
  local cfg="$1" work="$2"; shift 2
  if [ -f "$work/last_checkpoint" ] && [ -f "$work/.done" ]; then
    echo "    (already trained: $work)"; return
  fi
  "$PY" tools/train.py "$cfg" --work-dir "$work" ${1:+--cfg-options "$@"}
  touch "$work/.done"
}
# evaluate CONFIG CKPT WORK_DIR OUT [test.py args...]
evaluate() {
  local cfg="$1" ckpt="$2" work="$3" out="$4"; shift 4
  rm -rf "$out"
  "$PY" tools/test.py "$cfg" "$ckpt" --work-dir "$work" --out "$out" "$@"
}

step "synthetic ISIC 2017 data in $DATA and an archive stand-in in $ARCHIVE"
[ -f "$DATA/ISIC-2017_Test_v2_Part3_GroundTruth.csv" ] || \
  "$PY" tools/make_synthetic_isic.py "$DATA" --num-train 100 --num-val 30 --num-test 30 --seed 0 >/dev/null
[ -f "$ARCHIVE/metadata.csv" ] || \
  "$PY" tools/make_synthetic_isic.py "$ARCHIVE" --archive 200 --seed 1 >/dev/null

step "offline downscaling for training (the paper's 500 px step, here 160 px)"
"$PY" tools/prepare_isic.py "$DATA" "${DATA}_160" --longer-side 160 --workers 2 | tail -1
"$PY" tools/prepare_isic.py "$ARCHIVE" "${ARCHIVE}_160" --longer-side 160 --workers 2 | tail -1

SEG_ROOTS=("train_dataloader.dataset.data_root=${DATA}_160"
           "val_dataloader.dataset.data_root=$DATA"
           "test_dataloader.dataset.data_root=$DATA")

step "segmentation stage 1: challenge + archive images (configs/quickstart/seg_stage1_quick.py)"
train configs/quickstart/seg_stage1_quick.py "$OUT/seg_stage1" \
  "train_dataloader.dataset.datasets.0.data_root=${DATA}_160" \
  "train_dataloader.dataset.datasets.1.data_root=${ARCHIVE}_160" \
  "val_dataloader.dataset.data_root=$DATA" "test_dataloader.dataset.data_root=$DATA"

step "segmentation stage 2 from stage 1 (configs/quickstart/seg_quick.py)"
train configs/quickstart/seg_quick.py "$OUT/seg_stage2" "${SEG_ROOTS[@]}" \
  "load_from=$(last_ckpt "$OUT/seg_stage1")"

step "segmentation test without TTA, then with multi-scale + four-flip TTA"
evaluate configs/quickstart/seg_quick.py "$(last_ckpt "$OUT/seg_stage2")" \
  "$OUT/seg_stage2" "$OUT/seg_stage2/submission" --cfg-options "${SEG_ROOTS[@]}"
evaluate configs/quickstart/seg_quick.py "$(last_ckpt "$OUT/seg_stage2")" \
  "$OUT/seg_stage2_tta" "$OUT/seg_stage2_tta/submission" --tta --cfg-options "${SEG_ROOTS[@]}"

if [ "${QUICKSTART_SKIP_BASELINE:-0}" != 1 ]; then
  step "ResNet-Seg on the challenge images alone (Table 1's second row)"
  train configs/quickstart/seg_quick.py "$OUT/seg_resnet" "${SEG_ROOTS[@]}"
  evaluate configs/quickstart/seg_quick.py "$(last_ckpt "$OUT/seg_resnet")" \
    "$OUT/seg_resnet" "$OUT/seg_resnet/submission" --cfg-options "${SEG_ROOTS[@]}"
fi

CLS_ROOTS=("train_dataloader.dataset.datasets.0.data_root=$DATA"
           "val_dataloader.dataset.data_root=$DATA"
           "test_dataloader.dataset.data_root=$DATA")
for task in multiclass melanoma seborrheic_keratosis; do
  step "classification: $task (configs/quickstart/cls_${task}_quick.py)"
  train "configs/quickstart/cls_${task}_quick.py" "$OUT/cls_$task" "${CLS_ROOTS[@]}"
  evaluate "configs/quickstart/cls_${task}_quick.py" "$(last_ckpt "$OUT/cls_$task")" \
    "$OUT/cls_$task" "$OUT/cls_$task/ISIC-2017_Test_v2_Part3.csv" --cfg-options "${CLS_ROOTS[@]}"
done

step "ensemble of the three classifiers (configs/quickstart/cls_ensemble_quick.py)"
"$PY" tools/build_ensemble.py configs/quickstart/cls_ensemble_quick.py "$OUT/cls_ensemble/ensemble.pth" \
  --cfg-options "model.multiclass.checkpoint=$(last_ckpt "$OUT/cls_multiclass")" \
  "model.melanoma.checkpoint=$(last_ckpt "$OUT/cls_melanoma")" \
  "model.seborrheic_keratosis.checkpoint=$(last_ckpt "$OUT/cls_seborrheic_keratosis")"
evaluate configs/quickstart/cls_ensemble_quick.py "$OUT/cls_ensemble/ensemble.pth" \
  "$OUT/cls_ensemble" "$OUT/cls_ensemble/ISIC-2017_Test_v2_Part3.csv" \
  --cfg-options "${CLS_ROOTS[@]}" \
  "model.multiclass.checkpoint=$(last_ckpt "$OUT/cls_multiclass")" \
  "model.melanoma.checkpoint=$(last_ckpt "$OUT/cls_melanoma")" \
  "model.seborrheic_keratosis.checkpoint=$(last_ckpt "$OUT/cls_seborrheic_keratosis")"

step "report"
"$PY" tools/make_report.py "$OUT" --data "$DATA"
step "done in $(( $(date +%s) - start )) s"
