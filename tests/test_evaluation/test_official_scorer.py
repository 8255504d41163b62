"""ISICSegmentationMetric equals the ISIC challenge's own scorer.

The official scorer is PyPI ``isic-challenge-scoring`` (the package the
challenge ran); it scores a folder of ``*_segmentation.png`` masks against
the ground-truth folder. Here it scores the masks that ``tools/test.py
--out`` wrote, and must give the numbers of our ``metrics.json``.
"""
import json
import os
import pathlib
import shutil
import subprocess

import cv2
import numpy as np
import pandas as pd
import pytest

# the challenge's scorer is a test requirement (requirements/tests.txt)
from isic_challenge_scoring import metrics as official
from isic_challenge_scoring.confusion import create_binary_confusion_matrix
from isic_challenge_scoring.segmentation import SegmentationScore

from isic_plugins.evaluation import per_image_scores

KEYS = ('jaccard', 'dice', 'accuracy', 'sensitivity', 'specificity',
        'threshold_jaccard')
OFFICIAL = dict(jaccard=official.binary_jaccard, dice=official.binary_dice,
                accuracy=official.binary_accuracy,
                sensitivity=official.binary_sensitivity,
                specificity=official.binary_specificity,
                threshold_jaccard=official.binary_threshold_jaccard)


def _official_one(pred, gt):
    cm = create_binary_confusion_matrix(
        truth_binary_values=gt.astype(bool),
        prediction_binary_values=pred.astype(bool), name='x')
    return {k: float(f(cm)) for k, f in OFFICIAL.items()}


def _disk(h, w, cy, cx, r):
    yy, xx = np.mgrid[:h, :w]
    return ((yy - cy)**2 + (xx - cx)**2 <= r * r).astype(np.uint8)


@pytest.mark.parametrize('case', [
    'empty_prediction', 'empty_truth', 'both_empty', 'full_prediction',
    'perfect', 'partial', 'below_threshold'
])
def test_per_image_scores_equal_official_edge_cases(case):
    h, w = 40, 60
    gt = _disk(h, w, 20, 30, 12)
    pred = dict(
        empty_prediction=np.zeros_like(gt),
        empty_truth=_disk(h, w, 10, 10, 5),
        both_empty=np.zeros_like(gt),
        full_prediction=np.ones_like(gt),
        perfect=gt.copy(),
        partial=_disk(h, w, 22, 33, 11),
        below_threshold=_disk(h, w, 20, 45, 10),
    )[case]
    if case in ('empty_truth', 'both_empty'):
        gt = np.zeros_like(gt)
    ours = per_image_scores(pred, gt)
    theirs = _official_one(pred, gt)
    for key in KEYS:
        assert ours[key] == pytest.approx(theirs[key], abs=1e-12), key


def _official_folder(truth_dir, pred_dir):
    score = SegmentationScore.from_dir(
        pathlib.Path(truth_dir), pathlib.Path(pred_dir))
    return score.macro_average.to_dict()


def test_test_py_masks_score_the_same_with_the_official_scorer(
        python, repo_root, synthetic_isic, tmp_path):
    """tools/test.py --out with the (weight-free) Otsu baseline; one truth
    mask emptied and one image made blank so that the prediction is empty:
    the official scorer on the written masks equals metrics.json."""
    root = tmp_path / 'data'
    shutil.copytree(synthetic_isic, root)
    images = root / 'ISIC-2017_Test_v2_Data'
    truth = root / 'ISIC-2017_Test_v2_Part1_GroundTruth'
    ids = sorted(f[:-4] for f in os.listdir(images) if f.endswith('.jpg'))
    # empty truth
    gt0 = cv2.imread(str(truth / f'{ids[0]}_segmentation.png'), 0)
    cv2.imwrite(str(truth / f'{ids[0]}_segmentation.png'),
                np.zeros_like(gt0))
    # a white frame: Otsu finds no dark component -> empty prediction
    img1 = cv2.imread(str(images / f'{ids[1]}.jpg'))
    cv2.imwrite(str(images / f'{ids[1]}.jpg'), np.full_like(img1, 255))

    out = tmp_path / 'masks'
    work = tmp_path / 'work'
    scores_csv = tmp_path / 'per_image.csv'
    res = subprocess.run(
        [python, 'tools/test.py', 'configs/baselines/seg_otsu.py', 'none',
         '--work-dir', str(work), '--out', str(out), '--cfg-options',
         f'test_dataloader.dataset.data_root={root}',
         'test_dataloader.num_workers=0',
         'test_dataloader.persistent_workers=False',
         f'test_evaluator.scores_out={scores_csv}'],
        cwd=repo_root, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    per_image = pd.read_csv(scores_csv).set_index('image_id')
    empty_pred = cv2.imread(str(out / f'{ids[1]}_segmentation.png'), 0)
    assert empty_pred.max() == 0, 'the blank image should give no lesion'
    assert per_image.loc[ids[0], 'jaccard'] == 0.0  # lesion on empty truth

    theirs = _official_folder(truth, out)
    with open(work / 'metrics.json') as f:
        ours = json.load(f)
    for key in KEYS:
        assert ours[f'isic/{key}'] == pytest.approx(theirs[key], abs=1e-9), \
            key
    # and image by image
    for image_id in ids:
        pred = cv2.imread(str(out / f'{image_id}_segmentation.png'), 0)
        gt = cv2.imread(str(truth / f'{image_id}_segmentation.png'), 0)
        one = _official_one(pred > 128, gt > 128)
        for key in KEYS:
            assert per_image.loc[image_id, key] == pytest.approx(
                one[key], abs=1e-9), (image_id, key)
