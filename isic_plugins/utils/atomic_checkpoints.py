"""Checkpoints that a kill can never leave half-written.

mmengine 0.10.7 writes a checkpoint by opening the target and streaming the
bytes into it, then writes ``last_checkpoint`` (the file ``--resume`` reads)
the same way. A SIGKILL, OOM kill or full disk in the middle leaves a
truncated ``.pth`` or an empty ``last_checkpoint``, and resuming then fails or
silently starts again from scratch.

:func:`apply_atomic_checkpoints` (called when ``isic_plugins`` is imported)
makes two changes:

1. Local files written through mmengine's ``LocalBackend`` (checkpoints,
   ``put``/``put_text``) go to a temporary file in the same folder, are
   flushed to disk and renamed over the target: a reader sees the old file
   or the complete new one, never a partial one.
2. ``find_latest_checkpoint`` (used by ``--resume``) checks what
   ``last_checkpoint`` names; if it is empty, missing or names a file that
   is gone, it falls back to the newest complete ``epoch_*.pth`` /
   ``iter_*.pth`` in the work dir.
"""
import glob
import os
import os.path as osp
import re
import tempfile
from typing import Optional, Union

_APPLIED = False


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


def apply_atomic_checkpoints() -> None:
    """Patch mmengine as described in this module (idempotent)."""
    global _APPLIED
    if _APPLIED:
        return
    from mmengine.fileio.backends import LocalBackend
    from mmengine.runner import checkpoint as checkpoint_module
    from mmengine.runner import runner as runner_module

    def put(self, obj: bytes, filepath) -> None:
        atomic_write(obj, str(filepath))

    def put_text(self, obj: str, filepath, encoding: str = 'utf-8') -> None:
        atomic_write(obj, str(filepath), encoding)

    LocalBackend.put = put
    LocalBackend.put_text = put_text
    checkpoint_module.find_latest_checkpoint = find_latest_checkpoint
    runner_module.find_latest_checkpoint = find_latest_checkpoint
    _APPLIED = True
