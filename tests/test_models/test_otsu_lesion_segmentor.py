"""The classical baseline: Otsu on the blue channel, largest component."""
import cv2
import numpy as np
import pytest
import torch
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import isic_plugins  # noqa: F401
from isic_plugins.models.segmentors import otsu_lesion_mask

pytestmark = pytest.mark.usefixtures('mmseg_scope')


def _dermoscopy_like(h=120, w=160):
    img = np.full((h, w, 3), (150, 170, 210), np.uint8)  # light skin (BGR)
    cv2.circle(img, (80, 60), 30, (60, 70, 100), -1)  # the lesion
    cv2.circle(img, (80, 60), 6, (180, 190, 220), -1)  # a light hole in it
    cv2.circle(img, (10, 10), 3, (50, 60, 90), -1)  # a small dark speck
    gt = np.zeros((h, w), np.uint8)
    cv2.circle(gt, (80, 60), 30, 1, -1)
    return img, gt


def test_largest_dark_component_with_holes_filled():
    img, gt = _dermoscopy_like()
    mask = otsu_lesion_mask(img, blur=0)
    inter = np.logical_and(mask, gt).sum()
    assert inter / np.logical_or(mask, gt).sum() > 0.95  # hole filled
    assert mask[10, 10] == 0  # the speck is not the largest component


def test_segmentor_restores_original_size():
    img, gt = _dermoscopy_like()
    model = MODELS.build(dict(
        type='OtsuLesionSegmentor', data_preprocessor=dict(
            type='SegDataPreProcessor', mean=[0.0] * 3, std=[1.0] * 3,
            bgr_to_rgb=False)))
    small = cv2.resize(img, (80, 60), interpolation=cv2.INTER_AREA)
    sample = SegDataSample(metainfo=dict(ori_shape=(120, 160),
                                         img_shape=(60, 80)))
    out = model.test_step(dict(
        inputs=[torch.from_numpy(small).permute(2, 0, 1)],
        data_samples=[sample]))[0]
    pred = out.pred_sem_seg.data[0].numpy()
    assert pred.shape == (120, 160)
    assert np.logical_and(pred, gt).sum() / np.logical_or(pred, gt).sum() > 0.9
    with pytest.raises(RuntimeError, match='learns nothing'):
        model.loss(None, None)
