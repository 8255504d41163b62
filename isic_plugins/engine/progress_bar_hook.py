"""A progress bar over test / validation iterations."""
from typing import Optional

from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.registry import HOOKS
from mmengine.utils import ProgressBar


@HOOKS.register_module()
class ProgressBarHook(Hook):
    """Show mmengine's progress bar while a test (or validation) loop runs.

    mmengine's logger prints a line every ``interval`` iterations; a long
    test-time-augmented run over full-resolution images deserves a bar with
    an ETA. Only the main process draws it.

    Args:
        on_val (bool): Also during validation in training. Defaults to False.
    """
    priority = 'VERY_LOW'

    def __init__(self, on_val: bool = False) -> None:
        self.on_val = on_val
        self._bar: Optional[ProgressBar] = None

    def _start(self, runner, loader) -> None:
        if is_main_process():
            self._bar = ProgressBar(len(loader))

    def _step(self) -> None:
        if self._bar is not None:
            self._bar.update()

    def _stop(self) -> None:
        if self._bar is not None:
            self._bar.file.write('\n')
            self._bar = None

    def before_test_epoch(self, runner) -> None:
        self._start(runner, runner.test_dataloader)

    def after_test_iter(self, runner, batch_idx, data_batch=None,
                        outputs=None) -> None:
        self._step()

    def after_test_epoch(self, runner, metrics=None) -> None:
        self._stop()

    def before_val_epoch(self, runner) -> None:
        if self.on_val:
            self._start(runner, runner.val_dataloader)

    def after_val_iter(self, runner, batch_idx, data_batch=None,
                       outputs=None) -> None:
        self._step()

    def after_val_epoch(self, runner, metrics=None) -> None:
        self._stop()
