from .atomic_local_backend import AtomicLocalBackend
from .data_loader_timeout_hook import (
                                       DataLoaderTimeoutHook,
                                       explain_loader_failure,
                                       find_timeout_hook,
)
from .heap_reuse_hook import HeapReuseHook, set_heap_reuse
from .non_finite_loss_hook import NonFiniteLossError, NonFiniteLossHook
from .progress_bar_hook import ProgressBarHook
from .resume_lr_hook import ResumeLrHook
from .safe_checkpoint_hook import SafeCheckpointHook

__all__ = [
    'AtomicLocalBackend', 'DataLoaderTimeoutHook', 'HeapReuseHook',
    'NonFiniteLossError', 'NonFiniteLossHook', 'ProgressBarHook',
    'ResumeLrHook', 'SafeCheckpointHook', 'explain_loader_failure',
    'find_timeout_hook', 'set_heap_reuse'
]
