"""Keep freed memory in the process, so that training steps reuse it."""
import ctypes
import sys
from typing import Optional

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.registry import HOOKS

#: glibc's mallopt() parameters (malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
#: The largest mmap threshold glibc accepts on 64-bit systems (32 MiB).
MAX_MMAP_THRESHOLD = 32 * 1024 * 1024


def _glibc() -> Optional[ctypes.CDLL]:
    """The C library if it is glibc (it has ``mallopt``), else None."""
    if not sys.platform.startswith('linux'):
        return None
    try:
        # the symbols already loaded into this process (its C library among
        # them): no library search, no subprocess
        libc = ctypes.CDLL(None)
        libc.mallopt  # noqa: B018  (musl has no mallopt)
    except (OSError, AttributeError):
        return None
    return libc


def set_heap_reuse(mmap_threshold: int = MAX_MMAP_THRESHOLD,
                   trim_threshold: int = 1024**3) -> bool:
    """Make glibc's malloc keep freed blocks for reuse in this process.

    By default glibc serves every block above a moving threshold (at most
    32 MiB) with a fresh ``mmap`` and gives it back on ``free``, and returns
    the top of the heap to the system once more than twice that threshold
    is free. A training step allocates and frees tens of megabytes of
    activations and gradients, so every step maps fresh pages again and the
    kernel faults and zeroes them one 4 KiB page at a time: on a 2-core
    virtual machine ~22,000 page faults per step of the quick config, about
    7% of its time (``benchmarks/bench_train.py``). With fixed thresholds
    the blocks stay in the heap and the next step reuses them (a few
    hundred faults per step). Processes forked afterwards (data loader
    workers) inherit the setting.

    Args:
        mmap_threshold (int): Blocks at least this large still get their
            own mapping. Defaults to 32 MiB, glibc's maximum.
        trim_threshold (int): Free memory at the top of the heap above this
            is returned to the system. Defaults to 1 GiB.

    Returns:
        bool: True if set (glibc), False where there is no glibc.
    """
    libc = _glibc()
    if libc is None:
        return False
    ok = libc.mallopt(M_MMAP_THRESHOLD, int(mmap_threshold))
    ok &= libc.mallopt(M_TRIM_THRESHOLD, int(trim_threshold))
    return bool(ok)


@HOOKS.register_module()
class HeapReuseHook(Hook):
    """Apply :func:`set_heap_reuse` before the run (training or testing).

    Every segmentation and classification runtime of the project lists it
    in ``custom_hooks``, so ``tools/train.py``, mmseg's or mmpretrain's
    ``tools/train.py`` and ``mim train`` all get it. The cost: a process
    keeps up to ``trim_threshold`` of freed memory instead of returning it
    to the system, bounded by its own peak. Elsewhere than on glibc it does
    nothing.

    Args:
        mmap_threshold (int): See :func:`set_heap_reuse`.
        trim_threshold (int): See :func:`set_heap_reuse`.
    """
    priority = 'VERY_HIGH'

    def __init__(self, mmap_threshold: int = MAX_MMAP_THRESHOLD,
                 trim_threshold: int = 1024**3) -> None:
        if not 0 < mmap_threshold <= MAX_MMAP_THRESHOLD:
            raise ValueError(f'HeapReuseHook: mmap_threshold must be in '
                             f'(0, {MAX_MMAP_THRESHOLD}] (glibc\'s limit), '
                             f'not {mmap_threshold}')
        if trim_threshold <= 0:
            raise ValueError('HeapReuseHook: trim_threshold must be '
                             f'positive, not {trim_threshold}')
        self.mmap_threshold = mmap_threshold
        self.trim_threshold = trim_threshold

    def before_run(self, runner) -> None:
        if not set_heap_reuse(self.mmap_threshold, self.trim_threshold):
            print_log('HeapReuseHook: no glibc mallopt here; the memory '
                      'allocator is left as it is', logger='current')
