"""ISICMultiViewEnsemble: the whole-image and the lesion-crop ensembles as
one model, on the real configs' pipelines and tiny random members."""
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.runner.checkpoint import save_checkpoint, weights_to_cpu
from mmpretrain.registry import MODELS

import isic_plugins  # noqa: F401
from isic_plugins.testing.tiny_classifier import write_tiny_classifier_config

pytestmark = pytest.mark.usefixtures('mmpretrain_scope')

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DATA_BASE = osp.join(REPO, 'configs', '_base_', 'datasets',
                     'isic2017_real_cls_224.py')
TASKS = dict(multiclass=3, melanoma=2, seborrheic_keratosis=2)


def _save(model, path):
    save_checkpoint(dict(meta={}, state_dict=weights_to_cpu(
        model.state_dict())), path)
    return path


def _ensemble(tmp_path, name, seed):
    """An ensemble config of three random tiny members, and its saved
    checkpoint (as tools/build_ensemble.py writes it)."""
    members = {}
    for task, num_classes in TASKS.items():
        config = str(tmp_path / f'{name}_{task}.py')
        write_tiny_classifier_config(config, num_classes)
        members[task] = dict(config=config)
    config = tmp_path / f'{name}.py'
    config.write_text(f'model = dict(type="ISICEnsembleClassifier", '
                      f'**{members!r})\n')
    torch.manual_seed(seed)
    model = MODELS.build(dict(type='ISICEnsembleClassifier', **members))
    with torch.no_grad():  # heads that tell the views apart
        for task in TASKS:
            head = getattr(model, task).head.fc
            head.weight.normal_(0, 3)
    return model.eval(), dict(config=str(config), checkpoint=_save(
        model, str(tmp_path / f'{name}.pth')))


@pytest.fixture
def image(tmp_path):
    """A 320x240 image and a predicted mask whose lesion is a corner."""
    rng = np.random.default_rng(0)
    img = rng.integers(0, 255, (240, 320, 3), np.uint8)
    mask = np.zeros((120, 160), np.uint8)
    mask[10:50, 20:70] = 255
    cv2.imwrite(str(tmp_path / 'ISIC_0000001.jpg'), img)
    cv2.imwrite(str(tmp_path / 'ISIC_0000001_segmentation.png'), mask)
    return dict(img_path=str(tmp_path / 'ISIC_0000001.jpg'),
                lesion_mask_path=str(tmp_path /
                                     'ISIC_0000001_segmentation.png'),
                image_id='ISIC_0000001', melanoma=1, seborrheic_keratosis=0,
                sample_idx=0)


def _scores(model, pipeline, info):
    data = pseudo_collate([Compose(pipeline)(dict(info))])
    return model.test_step(data)[0].pred_score


def test_two_views_equal_the_average_of_the_two_ensembles(tmp_path, image):
    pipelines = Config.fromfile(DATA_BASE)
    whole, whole_spec = _ensemble(tmp_path, 'whole', 0)
    crop, crop_spec = _ensemble(tmp_path, 'crop', 1)
    model = MODELS.build(dict(
        type='ISICMultiViewEnsemble',
        members=dict(whole=dict(whole_spec, view=0),
                     crop=dict(crop_spec, view=1))))
    model.init_weights()
    model.eval()
    p_whole = _scores(whole, pipelines.test_pipeline, image)
    p_crop = _scores(crop, pipelines.crop_test_pipeline, image)
    both = _scores(model, pipelines.two_view_test_pipeline, image)
    # the views differ, so the equality below is not trivial
    assert not torch.allclose(p_whole[:2], p_crop[:2], atol=1e-3)
    torch.testing.assert_close(both[:2], (p_whole[:2] + p_crop[:2]) / 2,
                               atol=1e-6, rtol=0)
    torch.testing.assert_close(both[2], (1 - both[:2].sum()).clamp(0, 1))
    # what tools/build_ensemble.py saves reloads into a fresh model
    path = _save(model, str(tmp_path / 'both.pth'))
    fresh = MODELS.build(dict(
        type='ISICMultiViewEnsemble',
        members=dict(whole=dict(config=whole_spec['config'], view=0),
                     crop=dict(config=crop_spec['config'], view=1))))
    from mmengine.runner.checkpoint import load_checkpoint
    load_checkpoint(fresh, path, strict=False)
    torch.testing.assert_close(
        _scores(fresh.eval(), pipelines.two_view_test_pipeline, image), both)
    # an ensemble's own checkpoint is not the two-view model's
    with pytest.raises(ValueError, match='build_ensemble'):
        load_checkpoint(fresh, whole_spec['checkpoint'], strict=False)


def test_members_must_name_their_view_and_weights_sum_to_1(tmp_path,
                                                           image):
    _, whole = _ensemble(tmp_path, 'whole', 0)
    _, crop = _ensemble(tmp_path, 'crop', 1)
    with pytest.raises(ValueError, match="'crop' must say which view"):
        MODELS.build(dict(type='ISICMultiViewEnsemble',
                          members=dict(whole=dict(whole, view=0),
                                       crop=crop)))
    with pytest.raises(ValueError, match='sum to 1'):
        MODELS.build(dict(type='ISICMultiViewEnsemble', weights=[0.5, 0.6],
                          members=dict(whole=dict(whole, view=0),
                                       crop=dict(crop, view=1))))
    # a single-view pipeline for a two-view model: named, not an IndexError
    model = MODELS.build(dict(type='ISICMultiViewEnsemble',
                              members=dict(whole=dict(whole, view=0),
                                           crop=dict(crop, view=1))))
    pipelines = Config.fromfile(DATA_BASE)
    with pytest.raises(ValueError, match='MultiView'):
        _scores(model.eval(), pipelines.test_pipeline, image)


def test_tta_averages_both_views_of_the_four_flips(tmp_path, image):
    """tools/test.py --tta on a two-view config: mmpretrain's
    AverageClsScoreTTA over the data base's two_view_tta_pipeline."""
    pipelines = Config.fromfile(DATA_BASE)
    _, whole = _ensemble(tmp_path, 'whole', 0)
    _, crop = _ensemble(tmp_path, 'crop', 1)
    model = MODELS.build(dict(type='ISICMultiViewEnsemble',
                              members=dict(whole=dict(whole, view=0),
                                           crop=dict(crop, view=1))))
    model.init_weights()
    tta = MODELS.build(dict(type='AverageClsScoreTTA', module=model.eval()))
    data = pseudo_collate([Compose(pipelines.two_view_tta_pipeline)(
        dict(image))])
    merged = tta.test_step(data)[0]
    load, augment = pipelines.two_view_tta_pipeline
    flips = [_scores(model, [load, views, *augment.transforms[1]], image)
             for views in augment.transforms[0]]
    assert len(flips) == 4
    assert not torch.allclose(flips[0], flips[1], atol=1e-4)
    torch.testing.assert_close(merged.pred_score, sum(flips) / 4,
                               atol=1e-6, rtol=0)
    assert merged.image_id == 'ISIC_0000001'  # the metric's keys are kept
