#!/usr/bin/env bash
# The real-data pipelines, end to end, resumable:
#   bash tools/realdata.sh seg DATA_ROOT [WORK_DIR]   (Table 1 on real images)
#   bash tools/realdata.sh cls DATA_ROOT [WORK_DIR]   (Table 2 on real images)
# DATA_ROOT is an ISIC 2017 layout with Test_v2 (e.g. ../shared/isic2017_real,
# optional archive/ beside); WORK_DIR defaults to work_dirs/realdata.
# After the set-up (tools/setup.sh) this is
#   python tools/realdata.py seg|cls DATA_ROOT --work WORK_DIR
# (check, downscale once, train, test, the tables; see its --help): the
# runs are those of the run tables, isic_plugins/realdata/seg_table.py and
# cls_table.py. SEG_RUNS="main lite2" / CLS_RUNS="multiclass ensemble" name
# their groups, SEG_LANES=2 / CLS_LANES=2 train two side by side,
# REALDATA_README=1 refreshes the README tables. cls needs the
# segmentation run that predicts its lesion masks (it says which).
# Interrupted? Run the same command again: finished steps are skipped, a
# training run goes on from its last checkpoint (--resume).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

usage() { echo "usage: bash tools/realdata.sh seg|cls DATA_ROOT [WORK_DIR]" >&2; exit 2; }
[ $# -ge 2 ] || usage
TASK="$1"; DATA="$2"; WORK="${3:-work_dirs/realdata}"
case "$TASK" in seg) RUNS="${SEG_RUNS:-}" LANES="${SEG_LANES:-}" ;;
  cls) RUNS="${CLS_RUNS:-}" LANES="${CLS_LANES:-}" ;;
  *) echo "error: unknown pipeline '$TASK' (choose: seg, cls)" >&2; exit 2 ;; esac
[ -d "$DATA/ISIC-2017_Training_Data" ] || {
  echo "error: $DATA has no ISIC-2017_Training_Data folder: give the root of an ISIC 2017 layout (e.g. ../shared/isic2017_real)" >&2; exit 2; }

bash tools/setup.sh
exec "${PYTHON:-$ROOT/.venv/bin/python}" tools/realdata.py "$TASK" "$DATA" \
  --work "$WORK" ${RUNS:+--runs $RUNS} ${LANES:+--lanes $LANES} \
  ${REALDATA_README:+--readme}
