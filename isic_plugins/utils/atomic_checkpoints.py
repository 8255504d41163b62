"""Checkpoints that a kill can never leave half-written, and resuming them.

mmengine 0.10.7 writes a checkpoint by opening the target and streaming the
bytes into it, then writes ``last_checkpoint`` (the file ``--resume`` reads)
the same way. A SIGKILL, OOM kill or full disk in the middle leaves a
truncated ``.pth`` or an empty ``last_checkpoint``, and resuming then fails or
silently starts again from scratch. Two remedies, neither a patch:

1. :func:`atomic_write`, used by the ``'atomic_local'`` file backend
   (:class:`isic_plugins.engine.AtomicLocalBackend`, registered with
   mmengine's ``register_backend`` and selected by the configs'
   ``CheckpointHook``): a reader sees the old file or the complete new one.
   A full disk raises :class:`~isic_plugins.utils.disk_space.DiskFullError`
   naming the size the write needed and the file system.
2. :func:`find_latest_checkpoint`, which ``tools/train.py --resume`` calls to
   pass mmengine an explicit checkpoint: it checks what ``last_checkpoint``
   names and, if that is empty, missing or gone, falls back to the newest
   ``epoch_*.pth`` / ``iter_*.pth`` of the work dir.
"""
import glob
import os
import os.path as osp
import re
import tempfile
from typing import Optional, Union

from .disk_space import DISK_FULL_ERRNOS, write_failed_for_space


def atomic_write(data: Union[bytes, str], path: str,
                 encoding: str = 'utf-8') -> None:
    """Write ``data`` to ``path`` so that ``path`` is never partial.

    Args:
        data (bytes | str): Content.
        path (str): Target file; its folder is created.
        encoding (str): Encoding for text. Defaults to 'utf-8'.

    Raises:
        DiskFullError: The file system ran out of space (``ENOSPC``,
            ``EDQUOT``); the message says how much the write needed and
            where. ``path`` is as it was before.
    """
    folder = osp.dirname(osp.abspath(path))
    if isinstance(data, str):
        data = data.encode(encoding)
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            dir=folder, prefix=f'.{osp.basename(path)}.', suffix='.tmp')
    except OSError as exc:
        if exc.errno in DISK_FULL_ERRNOS:
            raise write_failed_for_space(path, len(data)) from exc
        raise
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        if osp.exists(tmp):
            os.remove(tmp)
        if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
            # the temporary file is gone: the space report is accurate
            raise write_failed_for_space(path, len(data)) from exc
        raise


def _checkpoint_step(path: str) -> int:
    match = re.search(r'(?:epoch|iter)_(\d+)\.pth$', path)
    return int(match.group(1)) if match else -1


def find_latest_checkpoint(path: str) -> Optional[str]:
    """The checkpoint ``--resume`` continues from, robust to interrupted saves.

    Args:
        path (str): Work dir.

    Returns:
        str | None: Path of the latest complete checkpoint, or None.
    """
    save_file = osp.join(path, 'last_checkpoint')
    if osp.isfile(save_file):
        with open(save_file) as f:
            named = f.read().strip()
        if named and osp.isfile(named):
            return named
    candidates = [
        p for p in glob.glob(osp.join(path, '*.pth'))
        if _checkpoint_step(p) >= 0
    ]
    if not candidates:
        return None
    return max(candidates, key=_checkpoint_step)
