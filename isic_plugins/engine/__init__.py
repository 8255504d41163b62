from .atomic_local_backend import AtomicLocalBackend
from .heap_reuse_hook import HeapReuseHook, set_heap_reuse
from .progress_bar_hook import ProgressBarHook
from .safe_checkpoint_hook import SafeCheckpointHook

__all__ = [
    'AtomicLocalBackend', 'HeapReuseHook', 'ProgressBarHook',
    'SafeCheckpointHook', 'set_heap_reuse'
]
