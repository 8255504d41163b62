"""ISIC Part 1 scoring: mean of per-image scores at original resolution."""
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from isic_plugins.evaluation import ISICSegmentationMetric, per_image_scores


def _sample(pred: np.ndarray, gt: np.ndarray, name: str) -> dict:
    s = SegDataSample(metainfo=dict(img_path=f'/x/{name}.jpg'))
    s.pred_sem_seg = PixelData(
        data=torch.from_numpy(pred[None].astype(np.int64)))
    s.gt_sem_seg = PixelData(data=torch.from_numpy(gt[None].astype(np.int64)))
    return s.to_dict()


def test_per_image_scores_by_hand():
    gt = np.zeros((4, 5), np.uint8)
    gt[:2, :2] = 1  # 4 lesion pixels
    pred = np.zeros((4, 5), np.uint8)
    pred[:2, 1:3] = 1  # 2 TP, 2 FP, 2 FN, 14 TN
    s = per_image_scores(pred, gt)
    assert s['jaccard'] == pytest.approx(2 / 6)
    assert s['dice'] == pytest.approx(4 / 8)
    assert s['accuracy'] == pytest.approx(16 / 20)
    assert s['sensitivity'] == pytest.approx(2 / 4)
    assert s['specificity'] == pytest.approx(14 / 16)
    assert s['threshold_jaccard'] == 0.0  # 0.33 < 0.65


def test_metric_is_mean_of_images_not_pooled(tmp_path):
    """A small perfect image and a large bad one: mean, not pixel pool."""
    rng = np.random.default_rng(0)
    small_gt = np.zeros((10, 10), np.uint8)
    small_gt[2:8, 2:8] = 1
    big_gt = np.zeros((200, 300), np.uint8)
    big_gt[50:150, 50:200] = 1
    big_pred = np.zeros_like(big_gt)
    big_pred[50:150, 120:270] = 1
    odd_gt = (rng.random((37, 53)) > 0.5).astype(np.uint8)
    odd_pred = (rng.random((37, 53)) > 0.4).astype(np.uint8)
    pairs = [(small_gt, small_gt, 'ISIC_0000001'),
             (big_pred, big_gt, 'ISIC_0000002'),
             (odd_pred, odd_gt, 'ISIC_0000003')]
    metric = ISICSegmentationMetric(out=str(tmp_path / 'sub'))
    metric.dataset_meta = dict(classes=('background', 'lesion'))
    metric.process({}, [_sample(p, g, n) for p, g, n in pairs])
    res = metric.evaluate(len(pairs))

    # Independent computation from the written submission masks (0/255 PNGs)
    # against the ground truth, both binarised at > 128 as ISIC did.
    jac, dice = [], []
    for _, gt, name in pairs:
        written = cv2.imread(
            osp.join(tmp_path, 'sub', f'{name}_segmentation.png'),
            cv2.IMREAD_UNCHANGED)
        assert written.shape == gt.shape and written.dtype == np.uint8
        assert set(np.unique(written)) <= {0, 255}
        p, g = written > 128, (gt * 255) > 128
        inter, union = (p & g).sum(), (p | g).sum()
        jac.append(inter / union)
        dice.append(2 * inter / (p.sum() + g.sum()))
    assert res['isic/jaccard'] == pytest.approx(np.mean(jac), abs=1e-6)
    assert res['isic/dice'] == pytest.approx(np.mean(dice), abs=1e-6)
    pooled = sum(
        (p.astype(bool) & g.astype(bool)).sum() for p, g, _ in pairs) \
        / sum((p.astype(bool) | g.astype(bool)).sum() for p, g, _ in pairs)
    assert abs(res['isic/jaccard'] - pooled) > 0.05
    assert res['isic/threshold_jaccard'] == pytest.approx(
        np.mean([j if j >= 0.65 else 0 for j in jac]), abs=1e-6)
    assert set(res) == {f'isic/{k}' for k in (
        'jaccard', 'dice', 'accuracy', 'sensitivity', 'specificity',
        'threshold_jaccard', 'jaccard_ci_low', 'jaccard_ci_high')}
    assert res['isic/jaccard_ci_low'] <= res['isic/jaccard'] <= \
        res['isic/jaccard_ci_high']


def test_prediction_of_wrong_size_names_the_image():
    metric = ISICSegmentationMetric()
    metric.dataset_meta = dict(classes=('background', 'lesion'))
    bad = _sample(np.zeros((10, 12)), np.zeros((10, 10)), 'ISIC_0000042')
    with pytest.raises(ValueError, match='ISIC_0000042'):
        metric.process({}, [bad])
