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


def atomic_write(data: Union[bytes, str], path: str,
                 encoding: str = 'utf-8') -> None:
    """Write ``data`` to ``path`` so that ``path`` is never partial.

    Args:
        data (bytes | str): Content.
        path (str): Target file; its folder is created.
        encoding (str): Encoding for text. Defaults to 'utf-8'.
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode(encoding)
    fd, tmp = tempfile.mkstemp(
        dir=folder, prefix=f'.{osp.basename(path)}.', suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
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
