"""The classification run table: every name it uses resolves, and the
archive runs train as many iterations as the challenge-only run."""
import math
import os.path as osp

import pytest
from mmengine.config import Config

from isic_plugins.realdata import CLS, SEG_TABLES

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
#: Challenge training images of ../shared/isic2017_real (its README).
TRAINING_IMAGES = 1969


def test_every_name_resolves():
    runs = CLS.runs
    for run in runs.values():
        assert osp.isfile(osp.join(REPO, run.config)), run.config
        assert all(need in runs for need in run.needs), run.name
        assert set(run.tests) <= set(CLS.test_sets), run.name
    grouped = {r for group in CLS.groups.values() for r in group}
    assert grouped == set(runs)
    keys = {row.key for row in CLS.rows}
    for row in CLS.rows:
        assert set(row.task_runs) | set(row.train_runs) <= set(runs)
    for c in CLS.comparisons:
        assert {c.better, c.worse} <= keys, c.label
    # the shell pipeline's CLS_RUNS names still select the same runs
    for name in ('multiclass', 'melanoma', 'seborrheic_keratosis',
                 'ensemble', 'multiclass_crop', 'melanoma_crop',
                 'seborrheic_keratosis_crop', 'ensemble_crop', 'scratch'):
        assert name in CLS.groups


def test_the_mask_model_is_a_segmentation_run_of_its_group():
    step = CLS.masks
    seg = [t for t in SEG_TABLES.values() if step.seg.name in t.runs]
    assert seg and seg[0].runs[step.seg.name] == step.seg
    assert step.seg.name in seg[0].groups[step.group]
    assert {split for split, _ in step.splits} == {
        'Training', 'Test_v2', 'ham10000_archive'}


@pytest.mark.parametrize('name', sorted(CLS.runs))
def test_crop_runs_read_the_predicted_masks_and_others_do_not(name):
    run = CLS.runs[name]
    cfg = Config.fromfile(osp.join(REPO, run.config))
    test_masks = cfg.test_dataloader.dataset.get('lesion_mask_dir')
    assert bool(test_masks) == run.masks
    if run.masks:  # never the ground truth
        assert 'GroundTruth' not in test_masks
    if not run.members:
        for dataset in cfg.train_dataloader.dataset.datasets:
            assert bool(dataset.get('lesion_mask_dir')) == run.masks


def test_archive_runs_train_as_many_iterations_as_the_challenge_run():
    base = Config.fromfile(osp.join(REPO, CLS.runs[
        'cls_effnetlite0_multiclass'].config))
    per_epoch = math.ceil(TRAINING_IMAGES / base.train_dataloader.batch_size)
    iters = base.train_cfg.max_epochs * per_epoch
    assert iters == 496
    archive = [r for r in CLS.runs.values()
               if '+ham6k' in r.config and not r.members]
    assert len(archive) == 8
    for run in archive:
        cfg = Config.fromfile(osp.join(REPO, run.config))
        assert cfg.train_cfg.max_iters == iters, run.name
        assert cfg.param_scheduler[-1].end == iters, run.name
        assert cfg.train_dataloader.batch_size == \
            base.train_dataloader.batch_size
        assert cfg.optim_wrapper.optimizer == base.optim_wrapper.optimizer
        types = [d.type for d in cfg.train_dataloader.dataset.datasets]
        assert types == ['ISIC2017ClassificationDataset',
                         'ISICArchiveClassificationDataset'], run.name
