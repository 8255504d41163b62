"""NonFiniteLossHook: a NaN/Inf loss stops the run before the bad step.

A tiny mmengine runner trains a linear model on an in-memory data set with
one poisoned sample (an input of NaN, or one so large that the gradient
overflows while the loss stays finite), so the loss really turns NaN at a
chosen iteration; the real tools run is in
tests/test_tools/test_faults_during_a_run.py.
"""
import glob
import math
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from mmengine.registry import HOOKS
from mmengine.runner import Runner
from torch import nn
from torch.utils.data import Dataset

import isic_plugins  # noqa: F401
from isic_plugins.engine import NonFiniteLossError, NonFiniteLossHook

#: samples per epoch / batch size: 3 iterations an epoch
SAMPLES, BATCH = 6, 2


class PoisonedSet(Dataset):
    """``SAMPLES`` samples ``x -> 1``; sample ``poisoned`` has input
    ``value``."""

    def __init__(self, poisoned=(), value=float('nan')) -> None:
        self.poisoned, self.value = set(poisoned), value

    def __len__(self) -> int:
        return SAMPLES

    def __getitem__(self, index: int) -> dict:
        x = torch.full((2, ), 0.5 + index / 10)
        if index in self.poisoned:
            x = torch.full((2, ), self.value)
        return dict(inputs=x, data_samples=torch.ones(1))


class Linear(BaseModel):

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(2, 1)
        nn.init.zeros_(self.fc.weight)
        nn.init.zeros_(self.fc.bias)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        out = self.fc(torch.stack(inputs))
        if mode == 'loss':
            target = torch.stack(data_samples)
            return dict(loss_mse=((out - target)**2).mean(),
                        acc=(out - target).abs().mean())
        return out


@HOOKS.register_module(force=True)
class KeepWeights(Hook):
    """Keeps a copy of the weights (and SGD momentum) after each
    iteration."""
    priority = 'LOWEST'
    seen = {}

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        model = runner.model
        momentum = [
            runner.optim_wrapper.optimizer.state[p]['momentum_buffer'].clone()
            for p in model.parameters()
            if 'momentum_buffer' in runner.optim_wrapper.optimizer.state[p]
        ]
        KeepWeights.seen[runner.iter + 1] = (
            {k: v.clone() for k, v in model.state_dict().items()}, momentum)


def _runner(tmp_path, dataset, **hook_args) -> Runner:
    KeepWeights.seen = {}
    # the parts a config file would hold, which the hook's message reads
    settings = dict(
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9)),
        custom_hooks=[dict(type='NonFiniteLossHook', **hook_args),
                      dict(type='KeepWeights')])
    return Runner(
        model=Linear(),
        work_dir=str(tmp_path),
        train_dataloader=dict(
            dataset=dataset, batch_size=BATCH, num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate')),
        train_cfg=dict(by_epoch=True, max_epochs=3),
        default_hooks=dict(checkpoint=dict(
            type='SafeCheckpointHook', interval=1, max_keep_ckpts=2)),
        default_scope='mmengine',
        log_level='WARNING',
        experiment_name=f'nonfinite_{tmp_path.name}',
        cfg=Config(settings),
        **Config(settings).to_dict())


def _checkpoints(work_dir) -> list:
    return sorted(osp.basename(p) for p in glob.glob(f'{work_dir}/*.pth'))


def test_nan_loss_stops_at_the_poisoned_iteration(tmp_path):
    # sample 2 is in batch 2 of each epoch; poisoned from epoch 2 on, it
    # makes iteration 3 + 2 = 5 NaN
    runner = _runner(tmp_path, PoisonedSet())

    class PoisonFromEpoch2(Hook):

        def before_train_epoch(self, runner):
            if runner.epoch == 1:  # (the loader holds a copy of the set)
                runner.train_dataloader.dataset.poisoned = {2}

    runner.register_hook(PoisonFromEpoch2())
    with pytest.raises(NonFiniteLossError) as error:
        runner.train()
    message = str(error.value)
    assert 'the loss became NaN (loss_mse=nan)' in message
    assert 'at iteration 5 of 9 (epoch 2, batch 2 of 3)' in message
    assert 'acc' not in message.split('(')[1]  # only loss terms are checked
    epoch_1 = osp.join(str(tmp_path), 'epoch_1.pth')
    assert f'The last good checkpoint is {epoch_1}' in message
    assert 'optim_wrapper.optimizer.lr=0.01' in message
    assert 'custom_hooks.0.max_skips=3' in message
    assert error.value.resume_options == ['optim_wrapper.optimizer.lr=0.01']
    # the bad step was never taken: the weights are those after iteration 4
    good, _ = KeepWeights.seen[4]
    assert 5 not in KeepWeights.seen
    for key, value in runner.model.state_dict().items():
        assert torch.equal(value, good[key]), key
    # and no checkpoint of them exists
    assert _checkpoints(tmp_path) == ['epoch_1.pth']
    with open(osp.join(str(tmp_path), 'last_checkpoint')) as f:
        assert f.read() == epoch_1


def test_tolerated_bad_iteration_skips_its_step(tmp_path):
    dataset = PoisonedSet(poisoned=[2])  # iterations 2, 5 and 8
    runner = _runner(tmp_path, dataset, max_skips=3)
    runner.train()
    assert runner.iter == 9
    for skipped in (2, 5, 8):
        before, momentum_before = KeepWeights.seen[skipped - 1]
        after, momentum_after = KeepWeights.seen[skipped]
        for key in before:  # no update, no momentum or weight decay step
            assert torch.equal(before[key], after[key]), (skipped, key)
        for a, b in zip(momentum_before, momentum_after):
            assert torch.equal(a, b)
    assert all(torch.isfinite(v).all()
               for v in runner.model.state_dict().values())
    assert _checkpoints(tmp_path) == ['epoch_2.pth', 'epoch_3.pth']
    (hook, ) = [h for h in runner.hooks if isinstance(h, NonFiniteLossHook)]
    assert hook.skipped == 3


def test_more_bad_iterations_than_tolerated_stop(tmp_path):
    runner = _runner(tmp_path, PoisonedSet(poisoned=[2]), max_skips=1)
    with pytest.raises(NonFiniteLossError,
                       match=r'at iteration 5 of 9 \(epoch 2, batch 2 of 3\) '
                       r'\(after 1 tolerated bad iterations\)'):
        runner.train()


def test_overflowing_gradient_with_a_finite_loss(tmp_path):
    # 3e38 * weight 0 = 0: the loss is 1, the weight's gradient, summed
    # over the batch's two samples, 2 x (0 - 1) x 3e38 overflows float32
    dataset = PoisonedSet(poisoned=[0, 1], value=3e38)
    runner = _runner(tmp_path / 'checked', dataset, check_grad_norm=True)
    with pytest.raises(NonFiniteLossError,
                       match='the gradient norm became inf at iteration 1 '):
        runner.train()
    # unchecked, the step is taken: the weights turn infinite and the next
    # loss NaN/Inf stops the run there
    runner = _runner(tmp_path / 'unchecked', PoisonedSet(
        poisoned=[0, 1], value=3e38))
    with pytest.raises(NonFiniteLossError,
                       match='the loss became .* at iteration 2 '):
        runner.train()


def test_weights_with_nan_are_never_saved(tmp_path):
    runner = _runner(tmp_path, PoisonedSet())
    hook = NonFiniteLossHook()
    state = {'fc.weight': torch.tensor([[1.0, math.nan]]),
             'fc.bias': torch.zeros(1), 'steps': torch.tensor(3)}
    with pytest.raises(NonFiniteLossError,
                       match=r'weights hold NaN or Inf .*fc\.weight'):
        hook.before_save_checkpoint(runner, dict(state_dict=state))
    state['fc.weight'] = torch.ones(1, 2)
    hook.before_save_checkpoint(runner, dict(state_dict=state))


def test_max_skips_must_not_be_negative():
    with pytest.raises(ValueError, match='max_skips'):
        NonFiniteLossHook(max_skips=-1)


def test_every_training_config_has_the_fault_hooks():
    """Every config gets them from its runtime, or lists them itself."""
    configs = [p for p in glob.glob('configs/**/*.py', recursive=True)
               if '_base_' not in p]
    assert len(configs) > 20
    missing = []
    for path in configs:
        cfg = Config.fromfile(path)
        hooks = [h['type'] for h in cfg.get('custom_hooks', [])]
        for hook in ('NonFiniteLossHook', 'ResumeLrHook',
                     'DataLoaderTimeoutHook'):
            if hook not in hooks:
                missing.append(f'{path}: {hook}')
        if cfg.default_hooks.checkpoint.type != 'SafeCheckpointHook':
            missing.append(f'{path}: SafeCheckpointHook')
    assert missing == []
