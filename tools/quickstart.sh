#!/usr/bin/env bash
# The whole paper on embedded synthetic data, on a CPU:
#   set-up -> synthetic ISIC 2017 data (+ archive stand-in) -> offline
#   downscaling -> segmentation stage 1 -> stage 2 -> test without / with TTA
#   -> the 3-class and the two binary classifiers -> the ensemble ->
#   work_dirs/quickstart/report.md
#
#   bash tools/quickstart.sh          # fast mode: every stage once, a few
#                                     # minutes after set-up on 2 cores
#   bash tools/quickstart.sh --full   # (or QUICKSTART_MODE=full) the larger
#                                     # run: more images and epochs, and
#                                     # ResNet-Seg on the challenge images
#                                     # alone (Table 1's second row)
#
# Fast mode shrinks only what does not change what the run shows: image
# counts, epochs and validation frequency (the configs are the same, the
# overrides are below and in each run's dumped config). The report says
# which mode produced it; each stage's wall time goes to OUT/stage_seconds.csv.
# Set QUICKSTART_OUT to write elsewhere (default work_dirs/quickstart, or
# work_dirs/quickstart_full); runs already finished are reused (delete the
# folder to start over).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODE="${QUICKSTART_MODE:-fast}"
for arg in "$@"; do
  case "$arg" in
    --full) MODE=full ;;
    --fast) MODE=fast ;;
    *) echo "usage: bash tools/quickstart.sh [--full]" >&2; exit 2 ;;
  esac
done
case "$MODE" in
  fast)
    OUT="${QUICKSTART_OUT:-work_dirs/quickstart}"
    SYNTH=(--num-train 60 --num-val 20 --num-test 30); N_ARCHIVE=100
    # stage 1 at a fixed lr, stage 2 and the classifiers decaying to 0 at
    # their (shorter) end; validation once, at the end
    SEG1_OPTS=(train_cfg.max_epochs=10 train_cfg.val_interval=10)
    SEG2_OPTS=(train_cfg.max_epochs=20 train_cfg.val_interval=20
               param_scheduler.0.end=20)
    CLS_OPTS=(train_cfg.max_epochs=25 train_cfg.val_interval=25
              param_scheduler.0.end=25) ;;
  full)
    OUT="${QUICKSTART_OUT:-work_dirs/quickstart_full}"
    SYNTH=(--num-train 100 --num-val 30 --num-test 30); N_ARCHIVE=200
    SEG1_OPTS=(); SEG2_OPTS=(); CLS_OPTS=() ;;  # the configs as they are
  *) echo "error: QUICKSTART_MODE must be fast or full, not '$MODE'" >&2; exit 2 ;;
esac
DATA="$OUT/data"
ARCHIVE="$OUT/archive"
# a folder's runs are reused only by the mode that made them
made_by="$(cat "$OUT/mode" 2>/dev/null || { [ -d "$DATA" ] && echo "an earlier (full-size)"; } || true)"
if [ -n "$made_by" ] && [ "$made_by" != "$MODE" ]; then
  echo "error: $OUT holds a run of $made_by mode, which this $MODE-mode run would reuse; delete $OUT or set QUICKSTART_OUT to another folder" >&2
  exit 2
fi
bash tools/setup.sh
PY="$ROOT/.venv/bin/python"
mkdir -p "$OUT"
echo "$MODE" > "$OUT/mode"
start=$(date +%s)
echo "stage,seconds" > "$OUT/stage_seconds.csv"
stage_name=""; stage_t0=$start
# step NAME TEXT: closes the previous stage's timing, announces the next
step() {
  local now; now=$(date +%s)
  [ -z "$stage_name" ] || echo "$stage_name,$(( now - stage_t0 ))" >> "$OUT/stage_seconds.csv"
  stage_name="$1"; stage_t0=$now; shift
  printf '\n==> [%4ss] %s\n' "$(( now - start ))" "$*"
}
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

step synthetic "synthetic ISIC 2017 data in $DATA and an archive stand-in in $ARCHIVE"
[ -f "$DATA/ISIC-2017_Test_v2_Part3_GroundTruth.csv" ] || \
  "$PY" tools/make_synthetic_isic.py "$DATA" "${SYNTH[@]}" --seed 0 >/dev/null
[ -f "$ARCHIVE/metadata.csv" ] || \
  "$PY" tools/make_synthetic_isic.py "$ARCHIVE" --archive "$N_ARCHIVE" --seed 1 >/dev/null

step prepare "offline downscaling for training (the paper's 500 px step, here 160 px)"
"$PY" tools/prepare_isic.py "$DATA" "${DATA}_160" --longer-side 160 --workers 2 | tail -1
"$PY" tools/prepare_isic.py "$ARCHIVE" "${ARCHIVE}_160" --longer-side 160 --workers 2 | tail -1

SEG_ROOTS=("train_dataloader.dataset.data_root=${DATA}_160"
           "val_dataloader.dataset.data_root=$DATA"
           "test_dataloader.dataset.data_root=$DATA")

step seg_stage1 "segmentation stage 1: challenge + archive images (configs/quickstart/seg_stage1_quick.py)"
train configs/quickstart/seg_stage1_quick.py "$OUT/seg_stage1" \
  "train_dataloader.dataset.datasets.0.data_root=${DATA}_160" \
  "train_dataloader.dataset.datasets.1.data_root=${ARCHIVE}_160" \
  "val_dataloader.dataset.data_root=$DATA" "test_dataloader.dataset.data_root=$DATA" \
  "${SEG1_OPTS[@]}"

step seg_stage2 "segmentation stage 2 from stage 1 (configs/quickstart/seg_quick.py)"
train configs/quickstart/seg_quick.py "$OUT/seg_stage2" "${SEG_ROOTS[@]}" \
  "load_from=$(last_ckpt "$OUT/seg_stage1")" "${SEG2_OPTS[@]}"

step seg_test "segmentation test without TTA, then with multi-scale + four-flip TTA"
evaluate configs/quickstart/seg_quick.py "$(last_ckpt "$OUT/seg_stage2")" \
  "$OUT/seg_stage2" "$OUT/seg_stage2/submission" --cfg-options "${SEG_ROOTS[@]}"
evaluate configs/quickstart/seg_quick.py "$(last_ckpt "$OUT/seg_stage2")" \
  "$OUT/seg_stage2_tta" "$OUT/seg_stage2_tta/submission" --tta --cfg-options "${SEG_ROOTS[@]}"

if [ "$MODE" = full ]; then
  step seg_baseline "ResNet-Seg on the challenge images alone (Table 1's second row)"
  train configs/quickstart/seg_quick.py "$OUT/seg_resnet" "${SEG_ROOTS[@]}"
  evaluate configs/quickstart/seg_quick.py "$(last_ckpt "$OUT/seg_resnet")" \
    "$OUT/seg_resnet" "$OUT/seg_resnet/submission" --cfg-options "${SEG_ROOTS[@]}"
fi

CLS_ROOTS=("train_dataloader.dataset.datasets.0.data_root=$DATA"
           "val_dataloader.dataset.data_root=$DATA"
           "test_dataloader.dataset.data_root=$DATA")
for task in multiclass melanoma seborrheic_keratosis; do
  step "cls_$task" "classification: $task (configs/quickstart/cls_${task}_quick.py)"
  train "configs/quickstart/cls_${task}_quick.py" "$OUT/cls_$task" "${CLS_ROOTS[@]}" \
    "${CLS_OPTS[@]}"
  evaluate "configs/quickstart/cls_${task}_quick.py" "$(last_ckpt "$OUT/cls_$task")" \
    "$OUT/cls_$task" "$OUT/cls_$task/ISIC-2017_Test_v2_Part3.csv" --cfg-options "${CLS_ROOTS[@]}"
done

step cls_ensemble "ensemble of the three classifiers (configs/quickstart/cls_ensemble_quick.py)"
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

step report "report"
"$PY" tools/make_report.py "$OUT" --data "$DATA"
step done "done in $(( $(date +%s) - start )) s ($MODE mode; stage times in $OUT/stage_seconds.csv)"
