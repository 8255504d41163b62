"""End a distributed run without the interpreter's teardown."""
import logging
import os
import re
import sys
from typing import Optional

import torch.distributed
from mmengine.dist import barrier, get_rank, get_world_size, is_distributed


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



def stop_run(message: str) -> None:
    """End the run with ``message`` (on stderr) and exit status 1.

    In a single process this raises ``SystemExit(message)``. In a
    distributed run the process leaves with ``os._exit(1)`` once the
    message, the logs and the standard streams are flushed: the process
    group's teardown at interpreter exit can wait forever for a peer that
    died or stopped answering (seen with gloo: a rank that had printed its
    error hung until torchrun killed it).

    Args:
        message (str): What went wrong and what was kept.

    Raises:
        SystemExit: Without a process group.
    """
    if not is_distributed():
        raise SystemExit(message)
    print(message, file=sys.stderr, flush=True)
    logging.shutdown()
    sys.stdout.flush()
    os._exit(1)


#: What gloo, NCCL and c10d say when a peer process is gone or silent.
_LOST_PEER = re.compile(
    r'Connection (?:reset|closed) by peer|Broken pipe|Timed out waiting'
    r'|timed out|Socket Timeout|NCCL communicator was aborted'
    r'|collective operation timeout|DistNetworkError|DistBackendError',
    re.IGNORECASE)
_PEER_ADDRESS = re.compile(r'\[([0-9a-fA-F.:]+)\]:\d+')


def explain_lost_peer(exc: BaseException,
                      when: str = '') -> Optional[str]:
    """What it means when a collective of a distributed run fails.

    A process of the run that dies (its node crashed, the out-of-memory
    killer) closes its connections: the others' next collective fails at
    once ("Connection reset by peer"). One that stops answering (a node cut
    off, a frozen machine) is noticed when the collective's timeout runs
    out: ``env_cfg.dist_cfg.timeout`` of the runtimes. Either way this
    process can only say that a peer is gone and where it was; the dead
    process's own node (its log, torchrun's "Root Cause") says why.

    Args:
        exc (BaseException): The error this process stopped with.
        when (str): Where in the run, e.g. 'at iteration 5'.

    Returns:
        str | None: The message, or None if ``exc`` is no lost peer of an
        initialised distributed run.
    """
    if not is_distributed():
        return None
    lost = isinstance(exc, getattr(torch.distributed, 'DistError', ())) or \
        bool(_LOST_PEER.search(f'{type(exc).__name__}: {exc}'))
    if not lost:
        return None
    rank, world = get_rank(), get_world_size()
    node = os.environ.get('GROUP_RANK', os.environ.get('NODE_RANK'))
    me = f'rank {rank} of {world}' + (f' (node {node})' if node else '')
    peer = _PEER_ADDRESS.search(str(exc))
    if world == 2:
        who = f'rank {1 - rank}, the only other process,'
    else:
        who = 'another process'
    at = f' at {peer.group(1)}' if peer else ''
    detail = str(exc).strip().splitlines()[-1][:300]
    when = f' {when}' if when else ''
    return (f'{me} lost contact with the distributed run{when}: {who}{at} '
            f'died or stopped answering ({detail}). Its '
            'own log, or torchrun\'s "Root Cause" on its node, says why. '
            'This process stops; the others stop as their collectives fail '
            'or time out.')
