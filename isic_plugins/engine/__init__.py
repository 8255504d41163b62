from .atomic_local_backend import AtomicLocalBackend
from .progress_bar_hook import ProgressBarHook

__all__ = ['AtomicLocalBackend', 'ProgressBarHook']
