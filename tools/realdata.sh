#!/usr/bin/env bash
# The real-data pipelines, end to end, resumable:
#   bash tools/realdata.sh seg DATA_ROOT [WORK_DIR]   (Table 1 on real images)
#   bash tools/realdata.sh cls DATA_ROOT [WORK_DIR]   (Table 2 on real images)
# DATA_ROOT is an ISIC 2017 layout with Test_v2 (e.g. ../shared/isic2017_real,
# optional archive/ beside); WORK_DIR defaults to work_dirs/realdata.
#
# seg: python tools/realdata.py seg DATA_ROOT --work WORK_DIR (the run
#   table's groups: check, downscale once, train, test on Test_v2 and the
#   full-frame split, the tables; SEG_RUNS="main lite2" limits the groups,
#   SEG_LANES=2 trains two side by side, REALDATA_README=1 refreshes the
#   README tables).
# cls (after seg: the lesion crops use its best model): predict every
#   training and Test_v2 image's lesion mask once (tools/predict.py
#   --masks-only, WORK_DIR/lesion_masks/) -> train each classifier of
#   "Table 2 on real images" -> build the ensembles -> test each on Test_v2
#   (metrics.json with bootstrap intervals, the Part 3 CSV and ROC curves in
#   WORK_DIR/<run>/test/) -> the table (WORK_DIR/cls_table.md, .json).
#   CLS_RUNS limits the runs (default: all; see the case below).
# Interrupted? Run the same command again: finished steps are skipped, a
# training run goes on from its last checkpoint (--resume).
# The segmentation groups (main, short, hr320, scratch, onestage, otsu,
# noskip, lite2, and the full-frame ones ff_*) are described in the run
# table, isic_plugins/realdata/seg_table.py.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

usage() { echo "usage: bash tools/realdata.sh seg|cls DATA_ROOT [WORK_DIR]" >&2; exit 2; }
[ $# -ge 2 ] || usage
TASK="$1"; DATA="$2"; WORK="${3:-work_dirs/realdata}"
case "$TASK" in seg|cls) ;;
  *) echo "error: unknown pipeline '$TASK' (choose: seg, cls)" >&2; exit 2 ;; esac
[ -d "$DATA/ISIC-2017_Training_Data" ] || {
  echo "error: $DATA has no ISIC-2017_Training_Data folder: give the root of an ISIC 2017 layout (e.g. ../shared/isic2017_real)" >&2; exit 2; }
SEG_MAIN=seg_effnetlite0_stage2
if [ "$TASK" = cls ] && [ ! -f "$WORK/$SEG_MAIN/.done" ]; then
  echo "error: the lesion crops need the segmentation model $WORK/$SEG_MAIN: run 'bash tools/realdata.sh seg $DATA${3:+ $WORK}' first (SEG_RUNS=main is enough)" >&2
  exit 2
fi

bash tools/setup.sh
PY="${PYTHON:-$ROOT/.venv/bin/python}"
mkdir -p "$WORK"
export ISIC_REAL_ROOT="$DATA" ISIC_REAL_TRAIN_ROOT="$WORK/data_256"
start=$(date +%s)
step() { printf '\n==> [%5ss] %s\n' "$(( $(date +%s) - start ))" "$*"; }

# train NAME CONFIG [cfg-options...]: skipped once finished; resumed from the
# last checkpoint after an interruption. Wall time accumulates in
# WORK/NAME/train_seconds (one line per invocation).
train() {
  local name="$1" cfg="$2"; shift 2
  local wd="$WORK/$name" resume=()
  if [ -f "$wd/.done" ]; then echo "    (already trained: $wd)"; return; fi
  [ -f "$wd/last_checkpoint" ] && resume=(--resume)
  mkdir -p "$wd"
  # the time is recorded even when the run is interrupted (Ctrl-C, TERM),
  # so that the table's training time covers every invocation
  ( t0=$(date +%s)
    trap 'echo $(( $(date +%s) - t0 )) >> "$wd/train_seconds"' EXIT
    "$PY" tools/train.py "$cfg" --work-dir "$wd" --no-validate \
      "${resume[@]}" ${1:+--cfg-options "$@"} )
  touch "$wd/.done"
}
last_ckpt() { cat "$WORK/$1/last_checkpoint"; }
# run_test DIR OUT CONFIG CKPT [test.py args...]: tools/test.py into DIR
# (--out OUT), skipped when DIR/metrics.json exists; seconds in
# DIR/test_seconds
run_test() {
  local wd="$1" out="$2" cfg="$3" ckpt="$4"; shift 4
  if [ -f "$wd/metrics.json" ]; then echo "    (already tested: $wd)"; return; fi
  rm -rf "$wd"; mkdir -p "$wd"
  local t0; t0=$(date +%s)
  "$PY" tools/test.py "$cfg" "$ckpt" --work-dir "$wd" --out "$out" "$@"
  echo $(( $(date +%s) - t0 )) > "$wd/test_seconds"
}
R=configs/realdata
if [ ! -f "$WORK/check.ok" ]; then
  step "checking every image and mask of $DATA (tools/check_dataset.py)"
  "$PY" tools/check_dataset.py $R/effnetlite0-skips_stage1-12e_isic2017+arch138_256px.py --errors-only \
    --cfg-options "train_dataloader.dataset.datasets.0.data_root=$DATA" \
    "train_dataloader.dataset.datasets.1.data_root=$DATA/archive"
  touch "$WORK/check.ok"
fi

if [ "$TASK" = seg ]; then
  # the segmentation runs are tools/realdata.py's, from the run table
  # (isic_plugins/realdata/seg_table.py); SEG_RUNS names its groups
  exec "$PY" tools/realdata.py seg "$DATA" --work "$WORK" \
    ${SEG_RUNS:+--runs $SEG_RUNS} ${SEG_LANES:+--lanes $SEG_LANES} \
    ${REALDATA_README:+--readme}
fi

if [ "$TASK" = cls ]; then
  export ISIC_LESION_MASKS="$WORK/lesion_masks"
  for split in Training Test_v2; do
    if [ -f "$ISIC_LESION_MASKS/$split/.done" ]; then continue; fi
    step "lesion masks of the $split images, predicted once by $SEG_MAIN (tools/predict.py --masks-only)"
    "$PY" tools/predict.py "$DATA/ISIC-2017_${split}_Data" \
      --seg-config $R/effnetlite0-skips_stage2-8e_isic2017_256px.py \
      --seg-checkpoint "$(last_ckpt $SEG_MAIN)" --masks-only \
      --out "$ISIC_LESION_MASKS/$split"
    touch "$ISIC_LESION_MASKS/$split/.done"
  done
  # cls_test NAME CONFIG CKPT: Test_v2 into WORK/NAME/test (metrics.json,
  # the Part 3 CSV, ROC curves)
  cls_test() {
    run_test "$WORK/$1/test" "$WORK/$1/test/ISIC-2017_Test_v2_Part3.csv" "$2" "$3"
  }
  # ensemble NAME CONFIG SUFFIX: the members' last checkpoints into one
  ensemble() {
    local name="$1" cfg="$2" sfx="$3" m opts=()
    for m in multiclass melanoma seborrheic_keratosis; do
      opts+=("model.$m.checkpoint=$(last_ckpt cls_effnetlite0_$m$sfx)")
    done
    mkdir -p "$WORK/$name"
    [ -f "$WORK/$name/ensemble.pth" ] || "$PY" tools/build_ensemble.py \
      "$cfg" "$WORK/$name/ensemble.pth" --cfg-options "${opts[@]}"
    cls_test "$name" "$cfg" "$WORK/$name/ensemble.pth"
  }
  for run in ${CLS_RUNS:-multiclass melanoma seborrheic_keratosis ensemble multiclass_crop melanoma_crop seborrheic_keratosis_crop ensemble_crop scratch}; do
    case "$run" in
      multiclass|melanoma|seborrheic_keratosis|multiclass_crop|melanoma_crop|seborrheic_keratosis_crop)
        step "classifier $run: ImageNet EfficientNet-Lite0"
        # the config of run TASK[_crop]: effnetlite0_TASK-8e_isic2017[-lesioncrop]_224px.py
        task="${run%_crop}"; data=isic2017; [ "$run" = "$task" ] || data=isic2017-lesioncrop
        cfg="$R/effnetlite0_${task//_/-}-8e_${data}_224px.py"
        train cls_effnetlite0_$run "$cfg"
        cls_test cls_effnetlite0_$run "$cfg" "$(last_ckpt cls_effnetlite0_$run)" ;;
      ensemble)
        step "ensemble of the 3-class and the two binary models"
        ensemble cls_effnetlite0_ensemble $R/effnetlite0_ensemble_isic2017_224px.py "" ;;
      ensemble_crop)
        step "ensemble of the three lesion-crop models"
        ensemble cls_effnetlite0_ensemble_crop $R/effnetlite0_ensemble_isic2017-lesioncrop_224px.py _crop ;;
      scratch)
        step "ablation: ResNet-18 from scratch, 3 classes, same images and epochs"
        train cls_resnet18_scratch_multiclass $R/resnet18-half-scratch_multiclass-8e_isic2017_224px.py
        cls_test cls_resnet18_scratch_multiclass $R/resnet18-half-scratch_multiclass-8e_isic2017_224px.py \
          "$(last_ckpt cls_resnet18_scratch_multiclass)" ;;
      *) echo "error: unknown run '$run' in CLS_RUNS" >&2; exit 2 ;;
    esac
  done
fi

step "table"
gt=()
[ "$TASK" = cls ] && gt=(--gt "$DATA/ISIC-2017_Test_v2_Part3_GroundTruth.csv")
"$PY" tools/realdata_table.py "$TASK" "$WORK" "${gt[@]}" ${REALDATA_README:+--readme README.md}
step "done in $(( $(date +%s) - start )) s"
