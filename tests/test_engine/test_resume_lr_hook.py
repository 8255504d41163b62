"""ResumeLrHook: --resume with a learning rate changed in the config uses it
(mmengine alone restores the checkpoint's)."""
import torch
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch import nn
from torch.utils.data import Dataset

import isic_plugins  # noqa: F401


class Ones(Dataset):

    def __len__(self) -> int:
        return 4

    def __getitem__(self, index: int) -> dict:
        return dict(inputs=torch.full((2, ), 1.0 + index),
                    data_samples=torch.ones(1))


class Linear(BaseModel):

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(2, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        out = self.fc(torch.stack(inputs))
        return dict(loss=((out - torch.stack(data_samples))**2).mean())


def _train(work_dir, lr, epochs, resume=False, hooks=True) -> Runner:
    runner = Runner(
        model=Linear(),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=Ones(), batch_size=2, num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate')),
        train_cfg=dict(by_epoch=True, max_epochs=epochs),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=lr)),
        # linear decay to 0 over 4 epochs, stepped every iteration
        param_scheduler=[dict(type='LinearLR', start_factor=1.0,
                              end_factor=0.0, by_epoch=True, begin=0, end=4,
                              convert_to_iter_based=True)],
        default_hooks=dict(checkpoint=dict(type='SafeCheckpointHook',
                                           interval=1)),
        custom_hooks=[dict(type='ResumeLrHook')] if hooks else [],
        resume=resume,
        load_from=str(work_dir / 'epoch_2.pth') if resume else None,
        default_scope='mmengine',
        log_level='WARNING',
        randomness=dict(seed=0),
        experiment_name=f'resume_lr_{abs(hash(str(work_dir)))}_{lr}_{resume}_'
        f'{hooks}')
    runner.train()
    return runner


def _lr(runner) -> float:
    return runner.optim_wrapper.optimizer.param_groups[0]['lr']


def test_resume_with_a_lower_lr_follows_the_schedule_at_the_new_scale(
        tmp_path):
    uninterrupted = _lr(_train(tmp_path / 'full', 0.1, 3))
    _train(tmp_path / 'run', 0.1, 2)
    # without the hook mmengine resumes at the checkpoint's rate
    assert _lr(_train(tmp_path / 'run', 0.01, 3, resume=True,
                      hooks=False)) == uninterrupted
    # with it, at a tenth of it, the schedule's shape kept
    resumed = _lr(_train(tmp_path / 'run', 0.01, 3, resume=True))
    assert abs(resumed - uninterrupted / 10) < 1e-9


def test_unchanged_lr_is_left_alone(tmp_path):
    uninterrupted = _lr(_train(tmp_path / 'full', 0.1, 3))
    _train(tmp_path / 'run', 0.1, 2)
    assert _lr(_train(tmp_path / 'run', 0.1, 3, resume=True)) == \
        uninterrupted
