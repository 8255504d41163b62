"""Stop a run whose loss turns NaN or infinite, before a bad step is taken
or saved."""
import logging
import math
from typing import Dict, List, Optional

import torch
from mmengine.dist import all_reduce, is_distributed
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.registry import HOOKS

from isic_plugins.utils.atomic_checkpoints import find_latest_checkpoint
from isic_plugins.utils.checkpoint_fit import unwrap_model


class NonFiniteLossError(RuntimeError):
    """The loss (or the gradient norm, or the weights about to be saved)
    is NaN or infinite, and no more bad iterations are tolerated.

    Attributes:
        resume_options (list[str]): ``--cfg-options`` for the resumed run
            (a lower learning rate), for tools to put in their command.
    """

    def __init__(self, message: str, resume_options: List[str]) -> None:
        super().__init__(message)
        self.resume_options = resume_options


def _terms_text(values: Dict[str, float]) -> str:
    return ', '.join(f'{k}={v}' for k, v in values.items())


@HOOKS.register_module()
class NonFiniteLossHook(Hook):
    """Check every training step's loss; on NaN/Inf stop (or skip the step).

    A diverging learning rate, a corrupt batch, a zero ``std`` in the data
    preprocessor or an fp16 overflow make the loss NaN or infinite; mmengine
    then logs ``loss: nan``, trains on, saves checkpoints full of NaN and
    points ``last_checkpoint`` at them. This hook looks at the loss terms of
    each training forward before the optimizer step:

    - a non-finite loss raises :class:`NonFiniteLossError` *before* the
      optimizer step, so the weights stay those of the last good step, and
      the run ends before any checkpoint of it is written; the message
      names the iteration, the bad loss terms, the last good checkpoint and
      what to try;
    - with ``max_skips`` > 0, that many bad iterations are tolerated over
      the run instead: their optimizer step is skipped (the parameters'
      gradients are dropped, so the optimizer leaves them and their
      momentum untouched) and a warning names each one;
    - with ``check_grad_norm=True`` a non-finite gradient norm counts as
      bad too (one pass over the gradients per step);
    - a checkpoint whose weights hold NaN/Inf is never written (a final
      guard in ``before_save_checkpoint``, for weights that went bad with a
      finite loss).

    The check is a forward hook on the model (it keeps the loss terms) and
    a step pre-hook on the optimizer (torch's own extension points): one
    small reduction and one ``.item()`` per step, which the logger makes
    anyway (``benchmarks/bench_non_finite_loss_hook.py``). With several
    processes the verdict is all-reduced so that every rank skips or stops
    alike. Under ``AmpOptimWrapper`` a bad loss whose step the gradient
    scaler skipped counts the same.

    Args:
        max_skips (int): Bad iterations tolerated (steps skipped) before
            the run stops. Defaults to 0: stop at the first.
        check_grad_norm (bool): Also check the gradient norm before each
            step. Defaults to False.
    """
    priority = 'VERY_HIGH'

    def __init__(self, max_skips: int = 0,
                 check_grad_norm: bool = False) -> None:
        if max_skips < 0:
            raise ValueError('NonFiniteLossHook: max_skips must be >= 0, '
                             f'not {max_skips}')
        self.max_skips = int(max_skips)
        self.check_grad_norm = bool(check_grad_norm)
        self.skipped = 0
        self._pending: List[Dict[str, torch.Tensor]] = []
        self._handles: list = []
        self._runner = None
        self._batch_idx = 0
        self._stepped = False

    # -- attaching --------------------------------------------------------
    def before_train(self, runner) -> None:
        self._runner = runner
        model = unwrap_model(runner.model)
        self._handles = [
            model.register_forward_hook(self._keep_losses, with_kwargs=True)
        ]
        for optimizer in self._optimizers(runner.optim_wrapper):
            self._handles.append(
                optimizer.register_step_pre_hook(self._before_step))

    def after_train(self, runner) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []
        self._pending = []

    @staticmethod
    def _optimizers(optim_wrapper) -> List[torch.optim.Optimizer]:
        wrappers = list(optim_wrapper.values()) if hasattr(
            optim_wrapper, 'values') else [optim_wrapper]
        return [w.optimizer for w in wrappers]

    # -- per iteration ----------------------------------------------------
    def before_train_iter(self, runner, batch_idx: int,
                          data_batch=None) -> None:
        self._batch_idx = batch_idx
        self._stepped = False

    def _keep_losses(self, module, args, kwargs, output) -> None:
        """Forward hook: keep the loss terms of a training forward."""
        if not module.training or not isinstance(output, dict):
            return
        if kwargs.get('mode', 'loss') != 'loss':
            return
        losses = {}
        for name, value in output.items():
            if 'loss' not in name:
                continue
            if isinstance(value, torch.Tensor):
                losses[name] = value.detach().float().mean()
            elif isinstance(value, (list, tuple)) and value:
                losses[name] = sum(v.detach().float().mean() for v in value)
        if losses:
            self._pending.append(losses)

    def _bad_losses(self) -> Optional[Dict[str, float]]:
        """The non-finite loss terms since the last step (any rank's), or
        None; forgets them."""
        pending, self._pending = self._pending, []
        if not pending:
            return None
        names = [n for losses in pending for n in losses]
        values = torch.stack([v for losses in pending
                              for v in losses.values()])
        bad = ~torch.isfinite(values)
        count = bad.sum()
        if is_distributed():
            all_reduce(count)  # every rank decides alike
        if count.item() == 0:
            return None
        found = {}
        for name, value, is_bad in zip(names, values.tolist(),
                                       bad.tolist()):
            if is_bad:
                found[name] = value
        return found  # empty: another rank's loss was bad

    @staticmethod
    def _grad_norm(optimizer: torch.optim.Optimizer) -> float:
        grads = [p.grad.detach() for group in optimizer.param_groups
                 for p in group['params'] if p.grad is not None]
        if not grads:
            return 0.0
        # the same on every rank: DDP has averaged the gradients
        return torch.linalg.vector_norm(torch.stack(
            [torch.linalg.vector_norm(g.float()) for g in grads])).item()

    def _before_step(self, optimizer, args, kwargs) -> None:
        """Optimizer step pre-hook: the step happens only on good losses."""
        self._stepped = True
        bad = self._bad_losses()
        grad_norm = None
        if bad is None and self.check_grad_norm:
            grad_norm = self._grad_norm(optimizer)
            if math.isfinite(grad_norm):
                grad_norm = None
        if bad is None and grad_norm is None:
            return
        self._bad_iteration(bad or {}, grad_norm)  # raises, or:
        for group in optimizer.param_groups:
            for param in group['params']:
                # the optimizer skips parameters without a gradient: no
                # update, no momentum or weight decay step
                param.grad = None

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        # a step was due but the optimizer was never called: the AMP
        # gradient scaler skipped it (inf/NaN gradients)
        if self._stepped or not self._pending:
            return
        if not getattr(runner.optim_wrapper, 'should_update', lambda: True)():
            return  # gradient accumulation: checked at the step
        bad = self._bad_losses()
        if bad is not None:
            self._bad_iteration(bad, None)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        state = checkpoint.get('state_dict') or {}
        floats = [(k, v) for k, v in state.items()
                  if isinstance(v, torch.Tensor) and v.is_floating_point()]
        if not floats:
            return
        finite = torch.stack([torch.isfinite(v).all() for _, v in floats])
        if bool(finite.all()):
            return
        names = [k for (k, _), ok in zip(floats, finite.tolist()) if not ok]
        raise NonFiniteLossError(
            f'the weights hold NaN or Inf at iteration {runner.iter} '
            f'({len(names)} tensors, e.g. {", ".join(names[:3])}); the '
            'checkpoint was not written. ' + self._advice(runner),
            self._resume_options(runner))

    # -- reporting --------------------------------------------------------
    def _bad_iteration(self, bad: Dict[str, float],
                       grad_norm: Optional[float]) -> None:
        """Skip (log) or stop (raise) for a bad iteration."""
        runner = self._runner
        what = self._what(bad, grad_norm)
        self.skipped += 1
        if self.skipped <= self.max_skips:
            print_log(
                f'NonFiniteLossHook: {what} at {self._where(runner)}; '
                f'this step was skipped ({self.skipped} of {self.max_skips} '
                'tolerated bad iterations)', logger='current',
                level=logging.WARNING)
            return
        tolerated = (f' (after {self.max_skips} tolerated bad iterations)'
                     if self.max_skips else '')
        raise NonFiniteLossError(
            f'{what} at {self._where(runner)}{tolerated}. The step was not '
            'taken and no checkpoint with these weights was written. ' +
            self._advice(runner), self._resume_options(runner))

    @staticmethod
    def _what(bad: Dict[str, float], grad_norm: Optional[float]) -> str:
        if grad_norm is not None:
            return f'the gradient norm became {grad_norm}'
        if not bad:
            return 'the loss of another process became NaN or infinite'
        kind = 'NaN' if any(v != v for v in bad.values()) else 'infinite'
        return f'the loss became {kind} ({_terms_text(bad)})'

    def _where(self, runner) -> str:
        text = f'iteration {runner.iter + 1}'
        if runner.max_iters:
            text += f' of {runner.max_iters}'
        loop = runner.train_loop
        if hasattr(loop, 'max_epochs'):
            text += (f' (epoch {runner.epoch + 1}, batch {self._batch_idx + 1}'
                     f' of {len(loop.dataloader)})')
        return text

    @staticmethod
    def _lr(runner) -> Optional[float]:
        try:
            return float(runner.cfg.optim_wrapper.optimizer.lr)
        except (AttributeError, KeyError, TypeError, ValueError):
            return None

    def _resume_options(self, runner) -> List[str]:
        lr = self._lr(runner)
        return [] if lr is None else [
            f'optim_wrapper.optimizer.lr={lr / 10:g}']

    def _hook_key(self, runner) -> str:
        hooks = runner.cfg.get('custom_hooks') or []
        for i, hook in enumerate(hooks):
            if isinstance(hook, dict) and hook.get('type') in (
                    'NonFiniteLossHook', NonFiniteLossHook):
                return f'custom_hooks.{i}.max_skips'
        return 'max_skips of NonFiniteLossHook'

    def _advice(self, runner) -> str:
        latest = find_latest_checkpoint(runner.work_dir)
        if latest is None:
            where = ('No checkpoint had been written yet: start again '
                     'with the changes below.')
        else:
            where = (f'The last good checkpoint is {latest}; resume from it '
                     '(--resume) with the changes below.')
        lr = self._lr(runner)
        tries = []
        if lr is not None:
            tries.append(f'a lower learning rate (now {lr:g}): --cfg-options '
                         f'optim_wrapper.optimizer.lr={lr / 10:g}')
        if type(runner.optim_wrapper).__name__ == 'AmpOptimWrapper':
            tries.append('training without --amp (fp16 overflows)')
        tries.append('checking the data and model.data_preprocessor '
                     '(mean, std)')
        tries.append(f'tolerating a few bad batches: --cfg-options '
                     f'{self._hook_key(runner)}=3')
        return where + ' What to try: ' + '; '.join(tries) + '.'
