"""ISIC 2017 Part 1 scoring: mean per-image Jaccard at original resolution."""
import os.path as osp
from collections import OrderedDict
from typing import Dict, Optional, Sequence

import cv2
import numpy as np
import pandas as pd
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmengine.utils import mkdir_or_exist
from mmseg.registry import METRICS

from ..datasets.isic_layout import image_id_of, write_submission_mask
from .bootstrap import bootstrap_interval

#: Per-image values below this count as 0 in the ISIC 2018 "thresholded
#: Jaccard".
THRESHOLD_JACCARD = 0.65


def per_image_scores(pred: np.ndarray, gt: np.ndarray) -> Dict[str, float]:
    """ISIC Part 1 scores of one binary prediction against its ground truth.

    Both arrays hold 0/1 (or booleans) at the image's original resolution.
    Where a ratio is 0/0 (e.g. Jaccard when neither mask has lesion pixels)
    the prediction made no error and the score is 1.

    Args:
        pred (np.ndarray): Predicted lesion mask, HxW.
        gt (np.ndarray): Ground-truth lesion mask, HxW.

    Returns:
        dict: ``jaccard``, ``dice``, ``accuracy``, ``sensitivity``,
        ``specificity``, ``threshold_jaccard`` as floats in [0, 1].
    """
    pred = np.asarray(pred).astype(bool)
    gt = np.asarray(gt).astype(bool)
    tp = float(np.count_nonzero(pred & gt))
    fp = float(np.count_nonzero(pred & ~gt))
    fn = float(np.count_nonzero(~pred & gt))
    tn = float(pred.size) - tp - fp - fn

    def ratio(num: float, den: float) -> float:
        return num / den if den > 0 else 1.0

    jaccard = ratio(tp, tp + fp + fn)
    return dict(
        jaccard=jaccard,
        dice=ratio(2 * tp, 2 * tp + fp + fn),
        accuracy=ratio(tp + tn, tp + tn + fp + fn),
        sensitivity=ratio(tp, tp + fn),
        specificity=ratio(tn, tn + fp),
        threshold_jaccard=jaccard if jaccard >= THRESHOLD_JACCARD else 0.0)


@METRICS.register_module()
class ISICSegmentationMetric(BaseMetric):
    """ISIC 2017 Part 1 metric: the mean over images of per-image scores.

    The challenge scored each image at its original resolution, both masks
    binarised at > 128, and ranked by the MEAN per-image Jaccard. mmseg's
    ``IoUMetric`` pools pixels over the whole set instead, which weighs
    large images more and is not the ISIC number.

    Predictions come from mmseg at the size of the loaded image
    (``ori_shape``): test pipelines should load the original images (and
    resize inside the pipeline), so that this is the original resolution.
    The ground truth comes from :class:`LoadISICAnnotations` (already 0/1).

    Reported (fractions in [0, 1]): ``jaccard``, ``dice``, ``accuracy``,
    ``sensitivity``, ``specificity`` and ``threshold_jaccard`` (ISIC 2018:
    per-image Jaccard below 0.65 counts as 0), and ``jaccard_ci_low`` /
    ``jaccard_ci_high``: a 95% percentile-bootstrap interval of the mean
    Jaccard over images.

    Args:
        out (str, optional): Folder for ISIC submission masks
            ``ISIC_XXXXXXX_segmentation.png`` (0/255, original size).
            Defaults to None (nothing written).
        format_only (bool): Only write masks (test sets without ground
            truth). Defaults to False.
        lesion_index (int): Class index of the lesion. Defaults to 1.
        prob_out (str, optional): Folder for each image's lesion
            probability as an 8-bit PNG ``<image id>_probability.png``
            (0-255, original size), from the model's ``seg_logits`` as
            mmseg segmentors (and ``ISICSegTTAModel``) return them: logits
            over classes (softmax taken here), or, for one output channel,
            the lesion probability (mmseg applies the sigmoid itself).
            Defaults to None (not written).
        scores_out (str, optional): CSV file for the per-image scores (one
            row per image id), e.g. for paired comparisons of two models.
            Defaults to None (not written).
        bootstrap (int): Resamples of the images for the interval of the
            mean Jaccard; 0 skips it. Defaults to 2000.
        collect_device (str): Device for collecting results across ranks.
            Defaults to 'cpu'.
        prefix (str, optional): Metric name prefix. Defaults to 'isic'.
    """
    default_prefix: Optional[str] = 'isic'

    def __init__(self,
                 out: Optional[str] = None,
                 format_only: bool = False,
                 lesion_index: int = 1,
                 prob_out: Optional[str] = None,
                 scores_out: Optional[str] = None,
                 bootstrap: int = 2000,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.out = out
        self.format_only = format_only
        self.lesion_index = lesion_index
        self.prob_out = prob_out
        self.scores_out = scores_out
        self.bootstrap = int(bootstrap)
        for folder in (self.out, self.prob_out):
            if folder:
                # every rank writes its own images' files
                mkdir_or_exist(folder)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Score each image; keep only its six numbers and its id."""
        for sample in data_samples:
            pred = sample['pred_sem_seg']['data'].squeeze(0).cpu().numpy()
            pred = pred == self.lesion_index
            image_id = image_id_of(sample['img_path'])
            if self.out:
                write_submission_mask(pred, self.out, image_id)
            if self.prob_out:
                self._write_probability(sample, image_id)
            if self.format_only:
                continue
            if 'gt_sem_seg' not in sample:
                raise KeyError(
                    f'{sample["img_path"]}: no ground-truth mask in the test '
                    'pipeline; add LoadISICAnnotations or set '
                    'format_only=True to only write submission masks')
            gt = sample['gt_sem_seg']['data'].squeeze(0).cpu().numpy()
            if gt.shape != pred.shape:
                raise ValueError(
                    f'{sample["img_path"]}: prediction is {pred.shape[1]}x'
                    f'{pred.shape[0]} but its mask is {gt.shape[1]}x'
                    f'{gt.shape[0]}; the mask must have the size of the '
                    'original image (see tools/check_dataset.py)')
            scores = per_image_scores(pred, gt == self.lesion_index)
            scores['image_id'] = image_id
            self.results.append(scores)

    def _write_probability(self, sample: dict, image_id: str) -> None:
        if 'seg_logits' not in sample:
            raise KeyError(f'{sample["img_path"]}: the model returned no '
                           'seg_logits, so prob_out has nothing to write')
        logits = sample['seg_logits']['data'].float()
        if logits.shape[0] > 1:
            lesion = logits.softmax(0)[self.lesion_index]
        else:  # one channel: mmseg stores the sigmoid already
            lesion = logits[0]
        path = osp.join(self.prob_out, f'{image_id}_probability.png')
        if not cv2.imwrite(path, (lesion.clamp(0, 1) * 255).round().byte()
                           .cpu().numpy()):
            raise OSError(f'could not write {path}')

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Mean of the per-image scores over the whole (gathered) set."""
        if self.format_only:
            print_log(f'submission masks written to {self.out}',
                      logger='current')
            return OrderedDict()
        keys = ('jaccard', 'dice', 'accuracy', 'sensitivity', 'specificity',
                'threshold_jaccard')
        metrics = OrderedDict(
            (k, float(np.mean([r[k] for r in results]))) for k in keys)
        if self.bootstrap > 0 and results:
            low, high = bootstrap_interval(
                [r['jaccard'] for r in results], self.bootstrap)
            metrics['jaccard_ci_low'] = low
            metrics['jaccard_ci_high'] = high
        if self.scores_out:
            mkdir_or_exist(osp.dirname(osp.abspath(self.scores_out)))
            pd.DataFrame(results, columns=('image_id', ) + keys).sort_values(
                'image_id').to_csv(self.scores_out, index=False)
            print_log(f'per-image scores written to {self.scores_out}',
                      logger='current')
        print_log(
            f'ISIC Part 1 over {len(results)} images: ' + ', '.join(
                f'{k} {v:.4f}' for k, v in metrics.items()), logger='current')
        return metrics
