"""A local storage backend whose writes a kill never leaves half-done."""
from pathlib import Path
from typing import Union

from mmengine.fileio import LocalBackend, register_backend

from isic_plugins.utils.atomic_checkpoints import atomic_write


@register_backend('atomic_local')
class AtomicLocalBackend(LocalBackend):
    """mmengine's ``LocalBackend`` with atomic ``put`` / ``put_text``.

    mmengine 0.10.7 writes a checkpoint by streaming its bytes into the
    target file: a SIGKILL, OOM kill or full disk in the middle leaves a
    truncated ``.pth`` that ``--resume`` then chokes on. Here each write goes
    to a temporary file in the same folder, is flushed to disk and renamed
    over the target, so a reader sees the old file or the complete new one.

    Registered with mmengine's ``register_backend`` as ``'atomic_local'``;
    the configs select it for checkpoints::

        default_hooks = dict(checkpoint=dict(
            backend_args=dict(backend='atomic_local')))
    """

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        atomic_write(obj, str(filepath))

    def put_text(self,
                 obj: str,
                 filepath: Union[str, Path],
                 encoding: str = 'utf-8') -> None:
        atomic_write(obj, str(filepath), encoding)
