"""End a distributed run without the interpreter's teardown."""
import logging
import os
import sys

import torch.distributed
from mmengine.dist import barrier, is_distributed


def end_distributed_run() -> None:
    """Leave a finished distributed run: barrier, destroy the group, exit 0.

    Left to interpreter exit, a gloo rank sometimes aborts with "terminate
    called without an active exception" (a C++ thread destroyed while
    joinable) after finishing its work: its launcher then reports a failure
    and the other node waits for it. Here every rank first waits for the
    others (nothing is still in flight), the process group is destroyed, the
    log handlers and standard streams are flushed, and the process leaves
    with ``os._exit(0)``, skipping the C++ static destructors. Everything the
    run wrote (checkpoints, logs, results) is complete by then.

    Does nothing when no process group is initialised (a single-process
    run returns normally).
    """
    if not is_distributed():
        return
    barrier()
    torch.distributed.destroy_process_group()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
