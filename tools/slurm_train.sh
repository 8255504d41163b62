#!/usr/bin/env bash
# Training on a Slurm cluster, as mmseg/mmpretrain's slurm_train.sh:
#   GPUS=2 bash tools/slurm_train.sh PARTITION JOB_NAME CONFIG [train.py args...]
# GPUS (total), GPUS_PER_NODE, CPUS_PER_TASK, SRUN_ARGS as usual.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 PARTITION JOB_NAME CONFIG [tools/train.py arguments...]" >&2
  exit 2
fi
PARTITION="$1"
JOB_NAME="$2"
CONFIG="$3"
shift 3
GPUS="${GPUS:-2}"
GPUS_PER_NODE="${GPUS_PER_NODE:-$(( GPUS < 8 ? GPUS : 8 ))}"
CPUS_PER_TASK="${CPUS_PER_TASK:-5}"
SRUN_ARGS="${SRUN_ARGS:-}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY=python
# shellcheck disable=SC2086  # SRUN_ARGS is a list of options
srun -p "$PARTITION" \
  --job-name="$JOB_NAME" \
  --gres=gpu:"$GPUS_PER_NODE" \
  --ntasks="$GPUS" \
  --ntasks-per-node="$GPUS_PER_NODE" \
  --cpus-per-task="$CPUS_PER_TASK" \
  --kill-on-bad-exit=1 \
  $SRUN_ARGS \
  "$PY" -u "$ROOT/tools/train.py" "$CONFIG" --launcher slurm "$@"
