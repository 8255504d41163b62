from .atomic_local_backend import AtomicLocalBackend
from .heap_reuse_hook import HeapReuseHook, set_heap_reuse
from .progress_bar_hook import ProgressBarHook

__all__ = [
    'AtomicLocalBackend', 'HeapReuseHook', 'ProgressBarHook', 'set_heap_reuse'
]
