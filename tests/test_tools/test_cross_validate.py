"""tools/cross_validate.py: each image scored once, by a model that never
saw it."""
import importlib.util
import json
import os.path as osp
import subprocess

import pytest
from mmengine.config import Config
from mmengine.runner import Runner

CONFIG = 'tests/data/tiny_seg_config.py'


def _tool(repo_root, name):
    spec = importlib.util.spec_from_file_location(
        f'isic_{name}_tool', osp.join(repo_root, 'tools', f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _images(dataloader_cfg):
    """Image paths of a dataloader built as mmseg's runner builds it."""
    dataset = Runner.build_dataloader(dataloader_cfg, seed=0).dataset
    assert type(dataset).__name__ == 'KFoldDataset'
    return [dataset.get_data_info(i)['img_path'] for i in range(len(dataset))]


@pytest.mark.usefixtures('mmseg_scope')
def test_kfold_dataset_folds_partition_the_images(repo_root, synthetic_isic,
                                                  tmp_path):
    cv = _tool(repo_root, 'cross_validate')
    cfg = Config.fromfile(osp.join(repo_root, CONFIG))
    img, mask = cv.layout(synthetic_isic)
    cfg.merge_from_dict(cv.data_options(synthetic_isic, img, mask))
    everything = cv.image_paths(
        cv.build_dataset(cfg, cfg.test_dataloader.dataset))
    assert len(everything) == 12
    held_out_all = []
    for fold in range(3):
        # as tools/train.py and tools/test.py read it: dumped, then loaded
        path = str(tmp_path / f'fold{fold}.py')
        cv.fold_config(cfg, fold, 3, seed=0).dump(path)
        fold_cfg = Config.fromfile(path)
        assert fold_cfg.default_scope == 'mmseg'
        train = _images(fold_cfg.train_dataloader)
        held_out = _images(fold_cfg.test_dataloader)
        assert _images(fold_cfg.val_dataloader) == held_out
        assert len(held_out) == 4
        assert not set(train) & set(held_out)
        assert sorted(train + held_out) == sorted(everything)
        held_out_all += held_out
    # every image is held out exactly once
    assert sorted(held_out_all) == sorted(everything)
    # the seed shuffles: not just the sorted file list cut in three
    assert held_out_all != everything


@pytest.mark.usefixtures('mmseg_scope')
def test_tta_fold_config_reads_the_fold_with_the_tta_pipeline(
        repo_root, synthetic_isic):
    cv = _tool(repo_root, 'cross_validate')
    test_tool = _tool(repo_root, 'test')
    cfg = Config.fromfile(osp.join(repo_root, CONFIG))
    cfg.merge_from_dict(
        cv.data_options(synthetic_isic, *cv.layout(synthetic_isic)))
    tta_cfg = cv.fold_config(cfg, 1, 2, seed=0)
    test_tool.enable_tta(tta_cfg)  # what tools/test.py --tta does
    # the pipeline is set on the fold's dataset, not on the wrapper
    assert 'pipeline' not in tta_cfg.test_dataloader.dataset
    assert tta_cfg.test_dataloader.dataset.dataset.pipeline == \
        cfg.tta_pipeline
    assert tta_cfg.model.type == cfg.tta_model.type
    single = _images(cv.fold_config(cfg, 1, 2, seed=0).test_dataloader)
    assert _images(tta_cfg.test_dataloader) == single


def test_two_fold_run(python, repo_root, synthetic_isic, tmp_path):
    work = str(tmp_path / 'cv')
    res = subprocess.run(
        [python, 'tools/cross_validate.py', CONFIG,
         synthetic_isic, '--folds', '2', '--tta', '--work-dir', work,
         '--cfg-options', 'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
         'default_hooks.checkpoint.interval=1'],
        cwd=repo_root, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    with open(osp.join(work, 'cv_results.json')) as f:
        summary = json.load(f)
    assert [r['images'] for r in summary['per_fold']] == [6, 6]
    for key in ('single_jaccard_mean', 'tta_jaccard_mean'):
        assert 0.0 <= summary[key] <= 1.0
    assert 'Jaccard (tta)' in res.stdout


def test_too_many_folds_is_refused(python, repo_root, synthetic_isic,
                                   tmp_path):
    res = subprocess.run(
        [python, 'tools/cross_validate.py', CONFIG, synthetic_isic,
         '--folds', '13', '--work-dir', str(tmp_path / 'cv')],
        cwd=repo_root, capture_output=True, text=True, timeout=300)
    assert res.returncode != 0
    assert 'need 2 <= folds <= 12 images, got 13' in res.stderr
