from .atomic_local_backend import AtomicLocalBackend
from .heap_reuse_hook import HeapReuseHook, set_heap_reuse
from .non_finite_loss_hook import NonFiniteLossError, NonFiniteLossHook
from .progress_bar_hook import ProgressBarHook
from .resume_lr_hook import ResumeLrHook
from .safe_checkpoint_hook import SafeCheckpointHook

__all__ = [
    'AtomicLocalBackend', 'HeapReuseHook', 'NonFiniteLossError',
    'NonFiniteLossHook', 'ProgressBarHook', 'ResumeLrHook',
    'SafeCheckpointHook', 'set_heap_reuse'
]
