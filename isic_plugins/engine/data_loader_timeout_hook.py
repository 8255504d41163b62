"""Bound the wait for data loader workers, and say what a dead or stuck one
means."""
import re
import signal
from typing import Optional

from mmengine.hooks import Hook
from mmengine.registry import HOOKS

_KILLED = re.compile(r'DataLoader worker \(pid (\d+)\) is killed by signal: '
                     r'([^.]*)')
_EXITED = re.compile(r'DataLoader worker \(pid\(s\) ([\d, ]+)\) exited '
                     'unexpectedly')
_TIMED_OUT = re.compile(r'DataLoader timed out after ([\d.]+) seconds')


def _signal_name(description: str) -> str:
    """'SIGKILL' for 'Killed' (what PyTorch reports: ``strsignal``)."""
    for sig in signal.Signals:
        if signal.strsignal(sig) == description:
            return sig.name
    return description


@HOOKS.register_module()
class DataLoaderTimeoutHook(Hook):
    """Give every data loader with worker processes a timeout.

    PyTorch notices a worker that dies (the out-of-memory killer sends
    SIGKILL) within seconds, but waits forever for one that hangs (a stuck
    network file system, a transform that never returns, a machine
    swapping) unless the ``DataLoader`` has a ``timeout``. Before training,
    validation and testing this hook sets ``timeout`` on each loader that
    has workers and none of its own (``timeout`` in the dataloader config
    still wins), so a stuck worker ends the run with PyTorch's
    ``DataLoader timed out`` error after that many seconds.
    :func:`explain_loader_failure` turns that error, and the ones of a
    killed worker, into a message naming the likely cause and the settings
    to lower; ``tools/train.py`` and ``tools/test.py`` print it.

    Args:
        timeout (float): Seconds to wait for one batch from the workers.
            Defaults to 600. 0 waits forever (PyTorch's default).
    """
    priority = 'VERY_HIGH'

    def __init__(self, timeout: float = 600) -> None:
        if timeout < 0:
            raise ValueError('DataLoaderTimeoutHook: timeout must be >= 0, '
                             f'not {timeout}')
        self.timeout = timeout
        #: the config key of the loader being read, for the messages
        self.current = 'train_dataloader'

    def _set(self, loop) -> None:
        loader = getattr(loop, 'dataloader', None)
        if loader is None or getattr(loader, 'num_workers', 0) == 0:
            return  # in-process loading: PyTorch requires timeout 0
        if not loader.timeout:
            # read when the loader's iterator is made, i.e. at the first
            # epoch, after this hook
            loader.timeout = self.timeout

    def before_train(self, runner) -> None:
        self._set(runner.train_loop)
        val_loop = getattr(runner, '_val_loop', None)
        if val_loop is not None and not isinstance(val_loop, dict):
            self._set(val_loop)

    def before_train_epoch(self, runner) -> None:
        self.current = 'train_dataloader'

    def before_val_epoch(self, runner) -> None:
        self.current = 'val_dataloader'

    def after_val_epoch(self, runner, metrics=None) -> None:
        self.current = 'train_dataloader'

    def before_test(self, runner) -> None:
        self._set(runner.test_loop)
        self.current = 'test_dataloader'


def explain_loader_failure(exc: BaseException, cfg,
                           hook: Optional[DataLoaderTimeoutHook] = None,
                           key: Optional[str] = None) -> Optional[str]:
    """What a data loader worker's death or silence means, and what to do.

    Args:
        exc (BaseException): The error a run ended with.
        cfg (Config): The run's config (worker count, batch size).
        hook (DataLoaderTimeoutHook, optional): The run's hook: which loader
            was being read, and where its timeout is set.
        key (str, optional): The loader's config key, if known
            (e.g. 'test_dataloader'); else the hook's, else
            'train_dataloader'.

    Returns:
        str | None: The message, or None when ``exc`` is not a loader
        worker failure.
    """
    text = str(exc)
    key = key or (hook.current if hook is not None else 'train_dataloader')
    loader = cfg.get(key) or {}
    workers = loader.get('num_workers', 0)
    batch = loader.get('batch_size', '?')
    prefetch = loader.get('prefetch_factor') or 2
    lower = (f'lower {key}.num_workers (now {workers}) or {key}.batch_size '
             f'(now {batch}), e.g. --cfg-options {key}.num_workers='
             f'{max(workers // 2, 0)}')
    held = (f'each of the {workers} worker(s) holds up to {prefetch} batches '
            f'of {batch} images in memory')
    killed, exited = _KILLED.search(text), _EXITED.search(text)
    if killed or exited:
        if killed:
            pid = killed.group(1)
            how = f'was killed by signal {_signal_name(killed.group(2))}'
        else:
            pid, how = exited.group(1), 'exited unexpectedly'
        return (f'a data loader worker of {key} (pid {pid}) {how}. The '
                'likely cause is memory: the out-of-memory killer ends the '
                'largest process with SIGKILL ("Out of memory: Killed '
                f'process {pid}" in dmesg / the system log); {held}. '
                f'{lower.capitalize()}.')
    timed_out = _TIMED_OUT.search(text)
    if timed_out:
        seconds = timed_out.group(1)
        where = ('the timeout of DataLoaderTimeoutHook in custom_hooks'
                 if hook is not None else f'{key}.timeout')
        return (f'no batch came from the {workers} worker(s) of {key} for '
                f'{seconds} s ({where}): a worker is stuck - a slow or '
                'unreachable file system, a transform that never returns, '
                f'or memory running out (swapping; {held}). Check the data '
                f'folder is reachable, then {lower}; or allow longer waits '
                f'with a larger timeout.')
    return None


def find_timeout_hook(runner) -> Optional[DataLoaderTimeoutHook]:
    """The runner's :class:`DataLoaderTimeoutHook`, if it has one."""
    for hook in getattr(runner, 'hooks', []):
        if isinstance(hook, DataLoaderTimeoutHook):
            return hook
    return None
