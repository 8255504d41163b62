"""On --resume, the config's learning rate wins over the checkpoint's."""
from typing import List

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.optim import BaseOptimWrapper
from mmengine.registry import HOOKS

#: Relative difference below which two learning rates are the same.
_SAME = 1e-9


def _lr_key(group: dict) -> str:
    # the schedulers' base value when there are schedulers
    return 'initial_lr' if 'initial_lr' in group else 'lr'


@HOOKS.register_module()
class ResumeLrHook(Hook):
    """Apply a learning rate changed in the config to a resumed run.

    On ``--resume`` mmengine 0.10.7 restores the optimizer's parameter
    groups and the lr schedulers from the checkpoint, so a learning rate
    lowered in the config (``--cfg-options optim_wrapper.optimizer.lr=...``,
    the usual remedy after a NaN loss) is silently ignored and the resumed
    run diverges again. This hook notes each parameter group's configured
    learning rate before the checkpoint is loaded and, when the resumed one
    differs, scales the group's current learning rate and the lr
    schedulers' base values by configured / resumed: the schedule goes on
    from where it was, at the new scale. A run that is not resumed, or
    resumed with an unchanged config, is left alone.
    """
    priority = 'VERY_HIGH'

    def __init__(self) -> None:
        self._configured: List[List[float]] = []

    @staticmethod
    def _optimizers(runner) -> list:
        wrapper = runner.optim_wrapper
        wrappers = list(wrapper.values()) if hasattr(wrapper, 'values') \
            else [wrapper]
        return [w.optimizer for w in wrappers]

    @staticmethod
    def _schedulers(runner) -> list:
        schedulers = runner.param_schedulers or []
        if isinstance(schedulers, dict):
            return [s for group in schedulers.values() for s in group]
        return list(schedulers)

    def before_run(self, runner) -> None:
        # in runner.train() the optimizer and schedulers are built by now,
        # and load_or_resume has not replaced their state yet
        if not isinstance(runner.optim_wrapper, BaseOptimWrapper):
            return  # testing: nothing is built
        self._configured = [[g[_lr_key(g)] for g in opt.param_groups]
                            for opt in self._optimizers(runner)]

    def before_train(self, runner) -> None:
        if not self._configured:
            return
        for optimizer, configured in zip(self._optimizers(runner),
                                         self._configured):
            for index, (group, lr) in enumerate(
                    zip(optimizer.param_groups, configured)):
                resumed = group[_lr_key(group)]
                if not resumed or abs(lr - resumed) <= _SAME * abs(lr):
                    continue
                factor = lr / resumed
                group['lr'] *= factor
                if 'initial_lr' in group:
                    group['initial_lr'] = lr
                for scheduler in self._schedulers(runner):
                    if (scheduler.param_name == 'lr' and
                            scheduler.optimizer.param_groups is
                            optimizer.param_groups):
                        scheduler.base_values[index] *= factor
                        last = getattr(scheduler, '_last_value', None)
                        if last:
                            last[index] *= factor
                print_log(
                    f'ResumeLrHook: the config sets lr {lr:g} where the '
                    f'resumed checkpoint had {resumed:g} (parameter group '
                    f'{index}): learning rates scaled by {factor:g}, now '
                    f'{group["lr"]:g}', logger='current')
