#!/usr/bin/env bash
# Distributed testing with torchrun, as mmseg/mmpretrain's dist_test.sh:
#   bash tools/dist_test.sh CONFIG CHECKPOINT NUM_PROCS [test.py args...]
# Same environment variables as tools/dist_train.sh.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 CONFIG CHECKPOINT NUM_PROCS [tools/test.py arguments...]" >&2
  exit 2
fi
CONFIG="$1"
CHECKPOINT="$2"
GPUS="$3"
shift 3
NNODES="${NNODES:-1}"
NODE_RANK="${NODE_RANK:-0}"
PORT="${PORT:-29500}"
MASTER_ADDR="${MASTER_ADDR:-127.0.0.1}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY=python
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
exec "$PY" -m torch.distributed.run \
  --nnodes="$NNODES" \
  --node_rank="$NODE_RANK" \
  --master_addr="$MASTER_ADDR" \
  --nproc_per_node="$GPUS" \
  --master_port="$PORT" \
  "$ROOT/tools/test.py" "$CONFIG" "$CHECKPOINT" --launcher pytorch "$@"
