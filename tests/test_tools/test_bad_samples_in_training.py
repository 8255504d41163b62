"""A training image that breaks mid-run never costs the finished epochs.

tools/train.py runs in-process on a copy of the tiny synthetic data; a hook
overwrites one training image after epoch 1 (the datasets were built and
checked long before).
"""
import glob
import importlib.util
import os.path as osp
import shutil
import sys

import pytest
import torch
from mmengine.hooks import Hook
from mmengine.registry import HOOKS


@HOOKS.register_module(force=True)
class BreakImageAfterEpoch(Hook):
    """Overwrite ``path`` with junk after training epoch ``epoch``."""

    def __init__(self, path: str, epoch: int = 1) -> None:
        self.path = path
        self.epoch = epoch

    def after_train_epoch(self, runner) -> None:
        if runner.epoch + 1 == self.epoch:
            with open(self.path, 'wb') as f:
                f.write(b'this used to be a JPEG')


def _train_tool(repo_root):
    spec = importlib.util.spec_from_file_location(
        'isic_train_tool', osp.join(repo_root, 'tools', 'train.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _setup(tmp_path, synthetic_isic, repo_root):
    data = str(tmp_path / 'data')
    for folder in ('ISIC-2017_Training_Data',
                   'ISIC-2017_Training_Part1_GroundTruth'):
        shutil.copytree(osp.join(synthetic_isic, folder),
                        osp.join(data, folder))
    bad = sorted(glob.glob(osp.join(data, 'ISIC-2017_Training_Data',
                                    '*.jpg')))[3]
    config = str(tmp_path / 'config.py')
    base = osp.join(repo_root, 'tests', 'data', 'tiny_seg_config.py')
    with open(config, 'w') as f:
        f.write(f'_base_ = [{base!r}]\n'
                f"custom_hooks = [dict(type='BreakImageAfterEpoch', "
                f'path={bad!r})]\n')
    return data, bad, config


def _run(monkeypatch, repo_root, config, work, *options):
    monkeypatch.setattr(sys, 'argv', [
        'tools/train.py', config, '--work-dir', work, '--no-validate',
        '--cfg-options', 'train_cfg.max_epochs=2', *options])
    _train_tool(repo_root).main()


def test_bad_sample_in_a_worker_stops_naming_it_and_keeps_epoch_1(
        tmp_path, synthetic_isic, repo_root, monkeypatch):
    data, bad, config = _setup(tmp_path, synthetic_isic, repo_root)
    work = str(tmp_path / 'work')
    with pytest.raises(SystemExit) as exit_:
        _run(monkeypatch, repo_root, config, work,
             f'train_dataloader.dataset.data_root={data}',
             'train_dataloader.num_workers=1')
    message = str(exit_.value.code)
    assert message.startswith('error: bad sample ') and bad in message
    assert 'Traceback' not in message  # the worker's traceback is cut
    epoch_1 = osp.join(work, 'epoch_1.pth')
    assert f'Finished work is safe in {epoch_1}' in message
    assert '--resume' in message
    assert not osp.exists(osp.join(work, 'epoch_2.pth'))
    with open(osp.join(work, 'last_checkpoint')) as f:
        assert f.read().strip() == epoch_1
    checkpoint = torch.load(epoch_1)  # weights-only: complete and safe
    assert checkpoint['meta']['epoch'] == 1 and checkpoint['state_dict']


def test_bad_sample_skipped_when_asked_and_named_in_the_log(
        tmp_path, synthetic_isic, repo_root, monkeypatch):
    data, bad, config = _setup(tmp_path, synthetic_isic, repo_root)
    work = str(tmp_path / 'work')
    _run(monkeypatch, repo_root, config, work,
         f'train_dataloader.dataset.data_root={data}',
         'train_dataloader.dataset.on_bad_sample=skip')
    assert osp.isfile(osp.join(work, 'epoch_2.pth'))
    (log, ) = glob.glob(osp.join(work, '*', '*.log'))
    with open(log) as f:
        text = f.read()
    assert f'skipped bad sample {bad}' in text
    assert '1 bad sample(s) skipped so far' in text


def test_jpeg_corrupt_mid_file_skipped_and_named_once(
        tmp_path, synthetic_isic, repo_root, monkeypatch, messy):
    """OpenCV decodes it silently; the strict check makes it a bad sample."""
    data, bad, config = _setup(tmp_path, synthetic_isic, repo_root)
    messy.corrupt_middle(bad, source=bad)
    work = str(tmp_path / 'work')
    _run(monkeypatch, repo_root, config, work,
         f'train_dataloader.dataset.data_root={data}',
         'train_dataloader.dataset.on_bad_sample=skip',
         'custom_hooks=[]')
    assert osp.isfile(osp.join(work, 'epoch_2.pth'))
    (log, ) = glob.glob(osp.join(work, '*', '*.log'))
    with open(log) as f:
        skipped = [line for line in f if 'skipped bad sample' in line]
    assert len(skipped) == 1, skipped  # two epochs, named once
    assert f'skipped bad sample {bad}' in skipped[0]
    assert 'corrupt JPEG data (libjpeg: ' in skipped[0]
