"""SafeCheckpointHook: the previous checkpoint is removed only after the new
one is saved, so a save that fails keeps it."""
import os
import os.path as osp

import pytest
import torch
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch import nn
from torch.utils.data import Dataset

import isic_plugins  # noqa: F401


class Ones(Dataset):

    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int) -> dict:
        return dict(inputs=torch.ones(2), data_samples=torch.ones(1))


class Linear(BaseModel):

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(2, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        out = self.fc(torch.stack(inputs))
        return dict(loss=((out - torch.stack(data_samples))**2).mean())


class WatchSaves(Hook):
    """Notes the checkpoints on disk while each one is saved; the save of
    epoch ``fail_at`` fails (an OSError, as a full disk's)."""

    def __init__(self, fail_at=None) -> None:
        self.fail_at = fail_at
        self.during = {}

    def before_save_checkpoint(self, runner, checkpoint) -> None:
        epoch = checkpoint['meta']['epoch']
        self.during[epoch] = sorted(
            f for f in os.listdir(runner.work_dir) if f.endswith('.pth'))
        if epoch == self.fail_at:
            raise OSError(28, 'No space left on device')


def _runner(work_dir, hook_type, watch) -> Runner:
    runner = Runner(
        model=Linear(),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=Ones(), batch_size=2, num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate')),
        train_cfg=dict(by_epoch=True, max_epochs=3),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        default_hooks=dict(checkpoint=dict(
            type=hook_type, interval=1, max_keep_ckpts=1,
            backend_args=dict(backend='atomic_local'))),
        default_scope='mmengine',
        log_level='WARNING',
        experiment_name=f'safe_ckpt_{work_dir.name}')
    runner.register_hook(watch)
    return runner


def _on_disk(work_dir) -> list:
    return sorted(f for f in os.listdir(work_dir) if f.endswith('.pth'))


def test_previous_checkpoint_is_removed_after_the_new_one(tmp_path):
    watch = WatchSaves()
    _runner(tmp_path / 'safe', 'SafeCheckpointHook', watch).train()
    assert watch.during == {1: [], 2: ['epoch_1.pth'], 3: ['epoch_2.pth']}
    assert _on_disk(tmp_path / 'safe') == ['epoch_3.pth']
    # mmengine's own hook had already removed it
    watch = WatchSaves()
    _runner(tmp_path / 'stock', 'CheckpointHook', watch).train()
    assert watch.during[2] == []


def test_a_failed_save_keeps_the_previous_checkpoint(tmp_path):
    work = tmp_path / 'work'
    with pytest.raises(OSError, match='No space left'):
        _runner(work, 'SafeCheckpointHook', WatchSaves(fail_at=2)).train()
    assert _on_disk(work) == ['epoch_1.pth']
    with open(osp.join(work, 'last_checkpoint')) as f:
        assert f.read() == osp.join(str(work), 'epoch_1.pth')
