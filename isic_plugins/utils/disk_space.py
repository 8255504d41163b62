"""Free disk space: refuse early what will not fit, name a full disk.

A full disk ends a run in the middle of a write. The checkpoint writes of
the project are atomic (:func:`isic_plugins.utils.atomic_checkpoints.
atomic_write`), so the previous files survive; what the user needs then is
how much space the write wanted and on which file system.
:class:`DiskFullError` carries that message; :func:`disk_full_cause` finds
the ``ENOSPC`` behind an error that another layer re-raised without its
errno; :func:`estimate_mask_bytes` and :func:`check_free_space` let
``tools/test.py`` refuse before it starts writing hundreds of masks.
"""
import errno
import math
import os
import os.path as osp
from typing import Iterable, Optional, Tuple

#: errno values that mean "no room left" (a quota counts as full).
DISK_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)

#: Bytes per pixel of a 0/255 submission mask PNG, for the estimate: three
#: times the largest ratio among the ISIC 2017 ground-truth masks of the
#: project's sample (0.0068 at 1024x768; 0.0016-0.0019 at 4288x2848).
MASK_BYTES_PER_PIXEL = 0.02
#: The same for an 8-bit lesion probability PNG (``prob_out``): smooth
#: borders compress worse than a binary mask.
PROBABILITY_BYTES_PER_PIXEL = 0.25
#: Fixed part of every output file (PNG header and chunks).
FILE_OVERHEAD_BYTES = 1024


class DiskFullError(OSError):
    """A write failed, or would fail, for lack of space.

    An ``OSError`` with errno ``ENOSPC`` whose message says what needed how
    much space where, and what was kept.

    Args:
        message (str): The whole message.
        path (str, optional): The file or folder concerned.
    """

    def __init__(self, message: str, path: Optional[str] = None) -> None:
        super().__init__(errno.ENOSPC, message, path)
        self.message = message

    def __str__(self) -> str:
        return self.message


def format_bytes(size: float) -> str:
    """``size`` in B, KiB, MiB, GiB or TiB, 3 significant digits."""
    for unit in ('B', 'KiB', 'MiB', 'GiB'):
        if abs(size) < 1024:
            return f'{size:.0f} {unit}' if unit == 'B' else \
                f'{size:.3g} {unit}'
        size /= 1024
    return f'{size:.3g} TiB'


def existing_folder(path: str) -> str:
    """The nearest folder at or above ``path`` that exists."""
    folder = osp.abspath(path)
    while not osp.isdir(folder):
        parent = osp.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return folder


def free_space(path: str) -> Tuple[int, int]:
    """Free bytes and block size of the file system ``path`` is (or will
    be) on.

    Returns:
        tuple[int, int]: Bytes an unprivileged write may still use, and the
        file system's block size (every file takes whole blocks).
    """
    folder = existing_folder(path)
    stat = os.statvfs(folder)
    return stat.f_bavail * stat.f_frsize, stat.f_frsize or 4096


def disk_full_cause(exc: BaseException) -> Optional[OSError]:
    """The ``ENOSPC`` / ``EDQUOT`` error behind ``exc``, if there is one.

    Follows ``__cause__`` and ``__context__``: a layer that re-raised an
    ``OSError`` with its own message (and no errno) still counts.
    """
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def write_failed_for_space(path: str, needed: int,
                           kept: str = 'the previous file (if any) is '
                           'unchanged') -> DiskFullError:
    """The :class:`DiskFullError` for a write of ``needed`` bytes to
    ``path`` that the file system refused."""
    folder = existing_folder(osp.dirname(osp.abspath(path)))
    free, _ = free_space(folder)
    return DiskFullError(
        f'no space left on device writing {path}: it needs '
        f'{format_bytes(needed)}, and the file system of {folder} has '
        f'{format_bytes(free)} free; {kept}. Free at least '
        f'{format_bytes(needed)} there (or write elsewhere), then go on.',
        path)


def estimate_mask_bytes(sizes: Iterable[Tuple[int, int]],
                        bytes_per_pixel: float = MASK_BYTES_PER_PIXEL,
                        block_size: int = 4096) -> int:
    """Disk space for one PNG per image size, generously estimated.

    Args:
        sizes (Iterable[tuple[int, int]]): ``(width, height)`` of each
            image (one output file each, at that size).
        bytes_per_pixel (float): Compressed bytes per pixel. Defaults to
            :data:`MASK_BYTES_PER_PIXEL` (0/255 masks).
        block_size (int): The file system's block: a file takes whole
            blocks. Defaults to 4096.

    Returns:
        int: Bytes.
    """
    total = 0
    for width, height in sizes:
        size = FILE_OVERHEAD_BYTES + width * height * bytes_per_pixel
        total += math.ceil(size / block_size) * block_size
    return total


def check_free_space(path: str, needed: int, what: str) -> None:
    """Refuse, before any work, a write of ``needed`` bytes that won't fit.

    Args:
        path (str): Where the files will go (need not exist yet).
        needed (int): Bytes the run will write there.
        what (str): What they are, for the message (e.g. "--out masks for
            600 images").

    Raises:
        DiskFullError: The file system has less free space than
            ``needed``.
    """
    free, _ = free_space(path)
    if free < needed:
        folder = existing_folder(path)
        raise DiskFullError(
            f'{what} need about {format_bytes(needed)} in {path}, but its '
            f'file system ({folder}) has {format_bytes(free)} free; nothing '
            f'was written. Free {format_bytes(needed - free)} or more there, '
            'or give a folder on another disk.', path)

