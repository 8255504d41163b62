#!/usr/bin/env bash
# Distributed training with torchrun, as mmseg/mmpretrain's dist_train.sh:
#   bash tools/dist_train.sh CONFIG NUM_PROCS [tools/train.py arguments...]
# Multi-node: NNODES, NODE_RANK, MASTER_ADDR, PORT (see tools/torchrun.sh).
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 CONFIG NUM_PROCS [tools/train.py arguments...]" >&2
  exit 2
fi
CONFIG="$1"
NPROCS="$2"
shift 2
exec bash "$(dirname "${BASH_SOURCE[0]}")/torchrun.sh" "$NPROCS" train.py \
  "$CONFIG" --launcher pytorch "$@"
