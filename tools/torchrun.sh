#!/usr/bin/env bash
# Shared launcher of dist_train.sh and dist_test.sh:
#   bash tools/torchrun.sh NUM_PROCS SCRIPT.py [script arguments...]
# Honours NNODES, NODE_RANK, MASTER_ADDR, PORT (torchrun's rendezvous) and
# PYTHON. Without GPUs the processes run on the CPU with the gloo backend
# (isic_plugins' torch compat), with GPUs on NCCL.
set -euo pipefail
NPROCS="$1"
SCRIPT="$2"
shift 2
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY=python
# one thread per process unless told otherwise: N processes share the cores
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
exec "$PY" -m torch.distributed.run \
  --nnodes="${NNODES:-1}" \
  --node_rank="${NODE_RANK:-0}" \
  --master_addr="${MASTER_ADDR:-127.0.0.1}" \
  --nproc_per_node="$NPROCS" \
  --master_port="${PORT:-29500}" \
  "$ROOT/tools/$SCRIPT" "$@"
