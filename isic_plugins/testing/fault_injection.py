"""Faults made to happen for real at a chosen point of a run, for tests.

Importing this module registers hooks (mmengine's ``HOOKS``) and transforms
(mmseg's ``TRANSFORMS``) that a test config adds::

    custom_imports = dict(imports=['isic_plugins',
                                   'isic_plugins.testing.fault_injection'])
    custom_hooks = [..., dict(type='NaNInputsAt', iteration=5)]

Nothing is mocked: the loss really turns NaN (a zero ``std`` in the data
preprocessor, as a misconfigured run would have), the disk really fills
(a ballast file on a small file system), a loader worker or a training
process really receives SIGKILL or SIGSTOP, a worker really hangs. A fault
that must happen only once across a run and its resumption counts in a file
(``counter``) that survives the process. Each fault can write the time it
happened and the process id to a file (``record``), for a test to measure
how long the run took to end after it (and to find a stopped process).
"""
import errno
import os
import os.path as osp
import signal
import time
from typing import Optional

from mmcv.transforms import BaseTransform
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.registry import HOOKS
from mmseg.registry import TRANSFORMS

from isic_plugins.utils.checkpoint_fit import unwrap_model


def _record(record: Optional[str]) -> None:
    """Append "<time> <pid>" to ``record`` (if given)."""
    if record:
        with open(record, 'a') as f:
            f.write(f'{time.time()} {os.getpid()}\n')


def _count(counter: str) -> int:
    """Add one to the count kept in ``counter`` (a file); the new count."""
    with open(counter, 'ab') as f:
        f.write(b'.')
    return osp.getsize(counter)


@HOOKS.register_module()
class NaNInputsAt(Hook):
    """Make the loss NaN at training iteration ``iteration`` (1-based).

    For that one iteration the data preprocessor's ``std`` is zero, so the
    normalised inputs and the loss are NaN/Inf, as with
    ``model.data_preprocessor.std=[0, 0, 0]``; it is restored after.

    Args:
        iteration (int): The iteration (1-based, over the whole run).
        record (str, optional): File to note the time in.
    """
    priority = 'HIGHEST'

    def __init__(self, iteration: int, record: Optional[str] = None) -> None:
        self.iteration = iteration
        self.record = record
        self._saved = None

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        if runner.iter + 1 == self.iteration:
            std = unwrap_model(runner.model).data_preprocessor.std
            self._saved = std.clone()
            std.zero_()
            _record(self.record)

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        if self._saved is not None:
            unwrap_model(runner.model).data_preprocessor.std.copy_(
                self._saved)
            self._saved = None


@HOOKS.register_module()
class SignalAt(Hook):
    """Send this training process ``signal`` at iteration ``iteration``.

    Args:
        iteration (int): The iteration (1-based) before which it happens.
        rank (int): Only the process of this rank. Defaults to 0.
        signum (str): 'SIGKILL' (the process dies: a crashed node) or
            'SIGSTOP' (it stops answering: a node cut off). Defaults to
            'SIGKILL'.
        record (str, optional): File to note the time and pid in.
    """
    priority = 'HIGHEST'

    def __init__(self, iteration: int, rank: int = 0,
                 signum: str = 'SIGKILL',
                 record: Optional[str] = None) -> None:
        self.iteration = iteration
        self.rank = rank
        self.signum = getattr(signal, signum)
        self.record = record

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        if runner.iter + 1 == self.iteration and get_rank() == self.rank:
            print(f'fault injection: rank {self.rank} (pid {os.getpid()}) '
                  f'sends itself {signal.Signals(self.signum).name}',
                  flush=True)
            _record(self.record)
            os.kill(os.getpid(), self.signum)


@HOOKS.register_module()
class FillDiskAt(Hook):
    """Fill the file system of ``path`` with a ballast file.

    Only on a small file system made for the test: it writes until less
    than ``leave`` bytes are free. At the end of training epoch ``epoch``
    (before the checkpoint hook saves) or before test iteration
    ``test_iteration``.

    Args:
        path (str): A folder on the file system to fill; the ballast is
            ``<path>/ballast``.
        epoch (int, optional): After this training epoch (1-based).
        test_iteration (int, optional): Before this test iteration
            (1-based).
        leave (int): Bytes left free. Defaults to 64 KiB.
        record (str, optional): File to note the time in.
        inject (bool): Where no small file system can be mounted: instead
            of filling the disk, every later write of this process to a
            file under ``path`` raises ``OSError(ENOSPC)`` (at the file's
            ``write``). Defaults to False.
    """
    priority = 'HIGHEST'

    def __init__(self, path: str, epoch: Optional[int] = None,
                 test_iteration: Optional[int] = None,
                 leave: int = 64 * 1024,
                 record: Optional[str] = None,
                 inject: bool = False) -> None:
        self.path = path
        self.epoch = epoch
        self.test_iteration = test_iteration
        self.leave = leave
        self.record = record
        self.inject = inject

    def _fill(self) -> None:
        if self.inject:
            _fail_writes_under(self.path)
            _record(self.record)
            return
        stat = os.statvfs(self.path)
        free = stat.f_bavail * stat.f_frsize
        with open(osp.join(self.path, 'ballast'), 'ab') as f:
            try:
                f.write(b'\0' * max(free - self.leave, 0))
                f.flush()
            except OSError:
                pass  # full already: that is the point
        _record(self.record)

    def after_train_epoch(self, runner) -> None:
        if self.epoch is not None and runner.epoch + 1 == self.epoch:
            self._fill()

    def before_test_iter(self, runner, batch_idx, data_batch=None) -> None:
        if self.test_iteration is not None and \
                batch_idx + 1 == self.test_iteration:
            self._fill()


class _FullFile:
    """A file opened for writing whose ``write`` fails as on a full disk."""

    def __init__(self, file, path: str) -> None:
        self._file, self._path = file, path

    def write(self, data) -> int:
        raise OSError(errno.ENOSPC, 'No space left on device (injected)',
                      self._path)

    def __getattr__(self, name: str):
        return getattr(self._file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._file.close()


def _fail_writes_under(folder: str) -> None:
    """From now on, writes of this process to files under ``folder`` fail
    with ``ENOSPC`` (``open`` and ``os.fdopen`` hand out failing files)."""
    import builtins
    folder = osp.abspath(folder) + os.sep
    real_open, real_fdopen = builtins.open, os.fdopen

    def writing(mode: str) -> bool:
        return any(c in mode for c in 'wax+')

    def failing_open(file, mode='r', *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        if isinstance(file, (str, os.PathLike)) and writing(mode) and \
                osp.abspath(file).startswith(folder):
            return _FullFile(handle, str(file))
        return handle

    def failing_fdopen(fd, mode='r', *args, **kwargs):
        path = os.readlink(f'/proc/self/fd/{fd}')
        handle = real_fdopen(fd, mode, *args, **kwargs)
        if writing(mode) and path.startswith(folder):
            return _FullFile(handle, path)
        return handle

    builtins.open = failing_open
    os.fdopen = failing_fdopen


@TRANSFORMS.register_module()
class WorkerFaultAt(BaseTransform):
    """Kill or hang the data loader worker that loads the ``after``-th
    sample (counted over the run, in ``counter``).

    In the main process (``num_workers=0``) it does nothing.

    Args:
        counter (str): File that counts the samples loaded by workers.
        after (int): The sample (1-based) at which the fault happens.
        fault (str): 'kill' (SIGKILL, as the out-of-memory killer) or
            'hang' (the worker sleeps for an hour). Defaults to 'kill'.
        record (str, optional): File to note the time and pid in.
    """

    def __init__(self, counter: str, after: int, fault: str = 'kill',
                 record: Optional[str] = None) -> None:
        if fault not in ('kill', 'hang'):
            raise ValueError(f"fault must be 'kill' or 'hang', not {fault!r}")
        self.counter = counter
        self.after = after
        self.fault = fault
        self.record = record

    def transform(self, results: dict) -> dict:
        from torch.utils.data import get_worker_info
        if get_worker_info() is None:
            return results
        if _count(self.counter) == self.after:
            _record(self.record)
            if self.fault == 'kill':
                os.kill(os.getpid(), signal.SIGKILL)
            time.sleep(3600)
        return results
