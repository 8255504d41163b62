"""A small file system of its own, to fill up for real in tests."""
import contextlib
import os
import subprocess
from typing import Iterator


class SmallFilesystemUnavailable(RuntimeError):
    """This machine does not let the tests mount a file system."""


@contextlib.contextmanager
def small_filesystem(path: str, size: int) -> Iterator[str]:
    """Mount a ``size``-byte tmpfs at ``path`` (created) for the block.

    Writing more than ``size`` bytes there fails with ``ENOSPC``, as on a
    full disk. Needs the right to mount (root, or a user namespace that
    allows it); the mount is removed on exit, whatever happened inside.

    Args:
        path (str): Mount point (an empty folder, created if needed).
        size (int): Bytes (rounded up to whole pages by the kernel).

    Yields:
        str: ``path``.

    Raises:
        SmallFilesystemUnavailable: The mount was refused.
    """
    os.makedirs(path, exist_ok=True)
    try:
        subprocess.run(['mount', '-t', 'tmpfs', '-o', f'size={int(size)}',
                        'tmpfs', path], check=True, capture_output=True,
                       timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        raise SmallFilesystemUnavailable(
            f'cannot mount a tmpfs at {path}: {exc}') from exc
    try:
        yield path
    finally:
        # lazy: a process that still has a file open there does not keep
        # the mount alive beyond its own end
        subprocess.run(['umount', '-l', path], capture_output=True,
                       timeout=30)
