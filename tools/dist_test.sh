#!/usr/bin/env bash
# Distributed testing with torchrun, as mmseg/mmpretrain's dist_test.sh:
#   bash tools/dist_test.sh CONFIG CHECKPOINT NUM_PROCS [tools/test.py arguments...]
# Multi-node: NNODES, NODE_RANK, MASTER_ADDR, PORT (see tools/torchrun.sh).
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 CONFIG CHECKPOINT NUM_PROCS [tools/test.py arguments...]" >&2
  exit 2
fi
CONFIG="$1"
CHECKPOINT="$2"
NPROCS="$3"
shift 3
exec bash "$(dirname "${BASH_SOURCE[0]}")/torchrun.sh" "$NPROCS" test.py \
  "$CONFIG" "$CHECKPOINT" --launcher pytorch "$@"
