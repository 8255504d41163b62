"""tools/test.py and tools/train.py refuse, before any work, what would
silently spoil a run: a checkpoint of another head, an --out that holds an
earlier run's results. In-process: each stops before data is read."""
import importlib.util
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import isic_plugins  # noqa: F401
from isic_plugins.utils import OutputExistsError, check_new_output

TINY = 'tests/data/tiny_seg_config.py'


def _tool(repo_root, name):
    spec = importlib.util.spec_from_file_location(
        f'isic_{name}_tool', osp.join(repo_root, 'tools', f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(monkeypatch, repo_root, name, *argv):
    monkeypatch.chdir(repo_root)
    monkeypatch.setattr(sys, 'argv', [f'tools/{name}.py', *argv])
    with pytest.raises(SystemExit) as exit_:
        _tool(repo_root, name).main()
    return str(exit_.value.code)


@pytest.fixture(scope='module')
def three_class_checkpoint(tmp_path_factory, repo_root):
    """A checkpoint of the tiny model with a 3-class head (it has 2)."""
    from mmseg.registry import MODELS
    cfg = Config.fromfile(osp.join(repo_root, TINY))
    init_default_scope('mmseg')
    cfg.model.decode_head.num_classes = 3
    model = MODELS.build(cfg.model)
    path = str(tmp_path_factory.mktemp('ckpt') / 'three_classes.pth')
    torch.save(dict(meta=dict(epoch=1), state_dict=model.state_dict()), path)
    return path


def test_test_refuses_a_checkpoint_of_another_head(
        tmp_path, repo_root, monkeypatch, three_class_checkpoint):
    message = _run(monkeypatch, repo_root, 'test', TINY,
                   three_class_checkpoint, '--work-dir', str(tmp_path))
    assert message.startswith('error: checkpoint ')
    assert three_class_checkpoint in message
    assert 'decode_head.conv_seg.weight: checkpoint (3, 16, 1, 1) vs model ' \
        '(2, 16, 1, 1)' in message
    assert 'decode_head.conv_seg.bias: checkpoint (3,) vs model (2,)' in \
        message


def test_train_refuses_load_from_of_another_head(
        tmp_path, repo_root, monkeypatch, three_class_checkpoint):
    message = _run(monkeypatch, repo_root, 'train', TINY, '--work-dir',
                   str(tmp_path), '--cfg-options',
                   f'load_from={three_class_checkpoint}')
    assert 'decode_head.conv_seg.weight' in message
    assert not [f for f in os.listdir(tmp_path) if f.endswith('.pth')]


def test_test_refuses_out_folder_with_earlier_results(
        tmp_path, repo_root, monkeypatch, three_class_checkpoint):
    out = tmp_path / 'submission'
    out.mkdir()
    (out / 'ISIC_0000001_segmentation.png').write_bytes(b'earlier run')
    message = _run(monkeypatch, repo_root, 'test', TINY,
                   three_class_checkpoint, '--work-dir', str(tmp_path),
                   '--out', str(out))
    assert message.startswith(f'error: --out {out} already holds 1 file(s)')
    assert 'ISIC_0000001_segmentation.png' in message
    assert 'new or empty folder' in message
    # refused before the checkpoint was even looked at; nothing was touched
    assert 'decode_head' not in message
    assert (out / 'ISIC_0000001_segmentation.png').read_bytes() == \
        b'earlier run'


def test_output_policy(tmp_path):
    check_new_output(str(tmp_path / 'new'))           # does not exist: fine
    (tmp_path / 'empty').mkdir()
    check_new_output(str(tmp_path / 'empty'))         # empty: fine
    csv = tmp_path / 'part3.csv'
    check_new_output(str(csv), 'file')
    csv.write_text('image_id,melanoma,seborrheic_keratosis\n')
    with pytest.raises(OutputExistsError, match='part3.csv already exists'):
        check_new_output(str(csv), 'file')
    with pytest.raises(OutputExistsError, match='is a file'):
        check_new_output(str(csv), 'folder')


@pytest.mark.parametrize('where', ['cfg_options', 'config_file', 'prob_out'])
def test_test_refuses_earlier_results_named_in_the_config(
        tmp_path, repo_root, monkeypatch, three_class_checkpoint, where):
    """The guard holds wherever the output location comes from."""
    out = tmp_path / 'submission'
    out.mkdir()
    (out / 'ISIC_0000001_segmentation.png').write_bytes(b'earlier run')
    key = 'prob_out' if where == 'prob_out' else 'out'
    config = TINY
    options = ['--cfg-options', f'test_evaluator.{key}={out}']
    if where == 'config_file':
        config = str(tmp_path / 'with_out.py')
        with open(config, 'w') as f:
            f.write(f"_base_ = [{osp.join(repo_root, TINY)!r}]\n"
                    f"test_evaluator = dict(out={str(out)!r})\n")
        options = []
    message = _run(monkeypatch, repo_root, 'test', config,
                   three_class_checkpoint, '--work-dir', str(tmp_path),
                   *options)
    assert message.startswith(
        f'error: test_evaluator.{key} {out} already holds 1 file(s)')
    assert 'new or empty folder' in message
    assert 'decode_head' not in message  # before any work
    assert (out / 'ISIC_0000001_segmentation.png').read_bytes() == \
        b'earlier run'


@pytest.mark.parametrize('tool', ['train', 'test'])
def test_cfg_option_the_built_object_does_not_take_names_the_meant_key(
        python, repo_root, tmp_path, tool):
    """The quick classifier's training set is a ConcatDataset: its data root
    is set on the dataset inside it. Refused with one line, no traceback,
    before any work."""
    config = 'configs/quickstart/cls_multiclass_quick.py'
    args = [config] + (['none'] if tool == 'test' else []) + [
        '--work-dir', str(tmp_path), '--cfg-options',
        f'train_dataloader.dataset.data_root={tmp_path}']
    res = subprocess.run([python, f'tools/{tool}.py', *args], cwd=repo_root,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 1
    assert ('error: --cfg-options train_dataloader.dataset.data_root: '
            'train_dataloader.dataset builds a ConcatDataset, which takes no '
            "argument 'data_root'; you meant "
            'train_dataloader.dataset.datasets.0.data_root') in res.stderr, \
        res.stderr[-3000:]
    assert 'Traceback' not in res.stderr
    assert os.listdir(tmp_path) == []
