#!/usr/bin/env bash
# Distributed training with torchrun, as mmseg/mmpretrain's dist_train.sh:
#   bash tools/dist_train.sh CONFIG NUM_PROCS [train.py args...]
# Multi-node: NNODES, NODE_RANK, MASTER_ADDR, PORT. Without GPUs the
# processes run on the CPU with the gloo backend (isic_plugins' torch compat),
# with GPUs on NCCL.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 CONFIG NUM_PROCS [tools/train.py arguments...]" >&2
  exit 2
fi
CONFIG="$1"
GPUS="$2"
shift 2
NNODES="${NNODES:-1}"
NODE_RANK="${NODE_RANK:-0}"
PORT="${PORT:-29500}"
MASTER_ADDR="${MASTER_ADDR:-127.0.0.1}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY=python
# one thread per process unless told otherwise: N processes share the cores
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
exec "$PY" -m torch.distributed.run \
  --nnodes="$NNODES" \
  --node_rank="$NODE_RANK" \
  --master_addr="$MASTER_ADDR" \
  --nproc_per_node="$GPUS" \
  --master_port="$PORT" \
  "$ROOT/tools/train.py" "$CONFIG" --launcher pytorch "$@"
