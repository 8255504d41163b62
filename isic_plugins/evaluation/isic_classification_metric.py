"""ISIC 2017 Part 3 scoring: per-task AUC of melanoma and seborrheic
keratosis, with the challenge's secondary numbers."""
import logging
import os
import os.path as osp
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence

import numpy as np
import pandas as pd
from mmengine.dist import is_main_process
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmpretrain.registry import METRICS
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)

from isic_plugins.datasets.isic_layout import image_id_of

from .bootstrap import auc_or_nan, bootstrap_statistic_interval

#: The two ISIC 2017 Part 3 tasks, in the order of the submission CSV and
#: of the 3-class layout [melanoma, seborrheic_keratosis, nevus].
TASKS = ('melanoma', 'seborrheic_keratosis')

#: Sensitivities at which ISIC 2017 reported the specificity (in %).
SENSITIVITY_TARGETS = (82, 89, 95)


def specificity_at_sensitivity(gt: np.ndarray, score: np.ndarray,
                               sensitivity: float) -> float:
    """Best specificity among operating points with at least a sensitivity.

    Args:
        gt (np.ndarray): 0/1 ground truth.
        score (np.ndarray): Probability of the positive class.
        sensitivity (float): Target sensitivity (true positive rate) in
            [0, 1].

    Returns:
        float: The largest ``1 - FPR`` of sklearn's ROC points whose TPR is
        at least ``sensitivity``.
    """
    fpr, tpr, _ = roc_curve(gt, score, drop_intermediate=False)
    return float(np.max(1.0 - fpr[tpr >= sensitivity]))


def task_probabilities(score, binary_task=None,
                       source: Optional[str] = None) -> Dict[str, float]:
    """The ISIC Part 3 task probabilities in one model output.

    Args:
        score (array-like): ``pred_score``: 3 scores [melanoma,
            seborrheic_keratosis, nevus] (3-class model or ensemble) or 2
            [other, positive] (binary model).
        binary_task (str | Callable[[], str], optional): The positive class
            of a binary model (or a function returning it). Needed for 2
            scores.
        source (str, optional): Image named in errors.

    Returns:
        dict: ``{task: probability}`` for the tasks the output covers.
    """
    score = np.asarray(score, dtype=np.float64)
    if score.shape == (3, ):
        return {'melanoma': score[0], 'seborrheic_keratosis': score[1]}
    if score.shape == (2, ) and binary_task is not None:
        task = binary_task() if callable(binary_task) else binary_task
        return {task: score[1]}
    raise ValueError(
        f'{source}: expected 3 scores [melanoma, seborrheic_keratosis, '
        'nevus] or 2 (binary model, with its task), got shape '
        f'{tuple(score.shape)}')


def task_scores(gt: np.ndarray, score: np.ndarray,
                threshold: float = 0.5) -> Dict[str, float]:
    """ISIC 2017 Part 3 numbers of one task.

    Ranking numbers (AUC, AP, specificity at a sensitivity) need both
    classes in ``gt`` and are NaN otherwise.

    Args:
        gt (np.ndarray): 0/1 ground truth, one per image.
        score (np.ndarray): Probability of the positive class, one per image.
        threshold (float): Scores >= threshold count as positive for
            accuracy, sensitivity and specificity. Defaults to 0.5.

    Returns:
        dict: ``auc``, ``ap``, ``accuracy``, ``sensitivity``,
        ``specificity`` and ``specificity_at_sens_{82,89,95}``.
    """
    gt = np.asarray(gt).astype(int)
    score = np.asarray(score, dtype=np.float64)
    pred = (score >= threshold).astype(int)
    both_classes = len(np.unique(gt)) == 2
    out = OrderedDict(
        auc=float(roc_auc_score(gt, score)) if both_classes else np.nan,
        ap=float(average_precision_score(gt, score))
        if both_classes else np.nan,
        accuracy=float(accuracy_score(gt, pred)),
        sensitivity=float(
            recall_score(gt, pred, pos_label=1, zero_division=np.nan)),
        specificity=float(
            recall_score(gt, pred, pos_label=0, zero_division=np.nan)))
    for target in SENSITIVITY_TARGETS:
        out[f'specificity_at_sens_{target}'] = specificity_at_sensitivity(
            gt, score, target / 100) if both_classes else np.nan
    return out


@METRICS.register_module()
class ISICClassificationMetric(BaseMetric):
    """ISIC 2017 Part 3 metric: melanoma and seborrheic keratosis AUC.

    The challenge scored two binary tasks, melanoma vs. rest and seborrheic
    keratosis vs. rest, by ROC AUC (ranking: their mean). The ground truth
    of both comes from each data sample's metainfo (``melanoma``,
    ``seborrheic_keratosis``; ``ISIC2017ClassificationDataset`` provides
    them and ``PackInputs`` must list them in ``meta_keys``), so a model is
    scored on the challenge's tasks whatever labels it was trained on:

    - a 3-class model (or the ensemble), scores in the layout
      [melanoma, seborrheic_keratosis, nevus]: p_mel = score[0],
      p_sk = score[1]; both tasks are scored;
    - a binary model: score[1] is the probability of the positive class of
      the dataset's task (``dataset_meta['task']``); only that task is
      scored.

    Reported per task (prefix ``{task}_``): ``auc``, ``ap`` (average
    precision), ``accuracy``, ``sensitivity``, ``specificity`` (at
    ``threshold``) and ``specificity_at_sens_82/89/95`` (the best
    specificity of an operating point with at least that sensitivity, as
    ISIC 2017 reported), plus ``mean_auc`` and ``mean_ap`` over the scored
    tasks. A task whose ground truth has a single class gets NaN ranking
    numbers (and so does its mean).

    Args:
        out (str, optional): Path of the ISIC Part 3 submission CSV
            ``image_id,melanoma,seborrheic_keratosis`` (probabilities, one
            row per image, sorted by id). ``ROC_{task}.png`` curves are
            written next to it. A binary model leaves the other task's
            column empty (NaN): it has no prediction for it, and a made-up
            constant would look like a valid submission; merge the two
            binary models' CSVs, or use the ensemble, to submit.
            Defaults to None (nothing written).
        threshold (float): Decision threshold on the probability for
            accuracy, sensitivity and specificity. Defaults to 0.5.
        bootstrap (int): Bootstrap resamples over images for the 95%
            intervals ``{task}_auc_ci_low/high`` and
            ``mean_auc_ci_low/high`` (each resample recomputes the AUCs);
            0 for none. Defaults to 0.
        collect_device (str): Device for collecting results across ranks.
            Defaults to 'cpu'.
        prefix (str, optional): Metric name prefix. Defaults to 'isic'.
    """
    default_prefix: Optional[str] = 'isic'

    def __init__(self,
                 out: Optional[str] = None,
                 threshold: float = 0.5,
                 bootstrap: int = 0,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.out = out
        self.threshold = threshold
        self.bootstrap = bootstrap

    def _binary_task(self) -> str:
        """Positive class of a binary model: the dataset's task."""
        task = (self.dataset_meta or {}).get('task')
        if task not in TASKS:
            raise ValueError(
                'ISICClassificationMetric got 2 scores per image (a binary '
                f'model) but the dataset task is {task!r}; a binary model '
                f'needs a dataset with task in {list(TASKS)}')
        return task

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Keep each image's id, its two 0/1 labels and its probabilities."""
        for sample in data_samples:
            score = sample['pred_score']
            if hasattr(score, 'cpu'):
                score = score.cpu().numpy()
            pred = task_probabilities(
                score, self._binary_task if len(score) == 2 else None,
                sample.get('img_path'))
            missing = [t for t in TASKS if t not in sample]
            if missing:
                raise KeyError(
                    f'{sample.get("img_path")}: no {missing} in the data '
                    "sample; the test pipeline's PackInputs must keep them: "
                    "meta_keys=('image_id', 'melanoma', "
                    "'seborrheic_keratosis', ...)")
            image_id = sample.get('image_id') or image_id_of(
                sample['img_path'])
            self.results.append(
                dict(image_id=image_id,
                     gt={t: int(sample[t]) for t in TASKS},
                     pred={t: float(p) for t, p in pred.items()}))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Score every task the model predicts, over the gathered set."""
        if not results:  # BaseMetric has already warned
            return OrderedDict()
        tasks = [t for t in TASKS if t in results[0]['pred']]
        if any(list(r['pred']) != tasks for r in results):
            raise ValueError('ISICClassificationMetric: the images were '
                             'scored for different tasks')
        metrics = OrderedDict()
        for task in tasks:
            gt = np.array([r['gt'][task] for r in results])
            score = np.array([r['pred'][task] for r in results])
            if len(np.unique(gt)) < 2:
                print_log(
                    f'ISIC Part 3: all {len(gt)} images have {task}='
                    f'{gt[0]}; its AUC/AP are undefined (NaN)',
                    logger='current', level=logging.WARNING)
            for key, value in task_scores(gt, score, self.threshold).items():
                metrics[f'{task}_{key}'] = value
        metrics['mean_auc'] = float(
            np.mean([metrics[f'{t}_auc'] for t in tasks]))
        metrics['mean_ap'] = float(
            np.mean([metrics[f'{t}_ap'] for t in tasks]))
        if self.bootstrap:
            metrics.update(self.auc_intervals(results, tasks))
        print_log(
            f'ISIC Part 3 over {len(results)} images: ' + ', '.join(
                f'{t} AUC {metrics[f"{t}_auc"]:.4f}' for t in tasks) +
            f', mean AUC {metrics["mean_auc"]:.4f}', logger='current')
        if self.out and is_main_process():
            self.write_submission(results, tasks)
        return metrics

    def auc_intervals(self, results: List[dict],
                      tasks: Sequence[str]) -> Dict[str, float]:
        """95% bootstrap intervals of each task's AUC and of their mean.

        The same resampled images serve every task, so the mean's interval
        keeps the tasks' correlation.
        """
        gt = {t: np.array([r['gt'][t] for r in results]) for t in tasks}
        score = {t: np.array([r['pred'][t] for r in results]) for t in tasks}
        out = OrderedDict()
        statistics = {
            f'{t}_auc': (lambda i, t=t: auc_or_nan(gt[t][i], score[t][i]))
            for t in tasks
        }
        statistics['mean_auc'] = lambda i: float(
            np.mean([auc_or_nan(gt[t][i], score[t][i]) for t in tasks]))
        for name, statistic in statistics.items():
            low, high = bootstrap_statistic_interval(
                statistic, len(results), self.bootstrap)
            out[f'{name}_ci_low'], out[f'{name}_ci_high'] = low, high
        return out

    def write_submission(self, results: List[dict],
                         tasks: Sequence[str]) -> None:
        """Write the Part 3 CSV and one ROC curve per task next to it.

        Args:
            results (list[dict]): Gathered per-image results.
            tasks (Sequence[str]): The tasks the model predicts.
        """
        out_dir = osp.dirname(osp.abspath(self.out))
        os.makedirs(out_dir, exist_ok=True)
        table = pd.DataFrame({
            'image_id': [r['image_id'] for r in results],
            **{t: [r['pred'].get(t, np.nan) for r in results]
               for t in TASKS}
        }).sort_values('image_id')
        table.to_csv(self.out, index=False)
        print_log(f'ISIC Part 3 submission CSV written to {self.out}',
                  logger='current')
        if len(tasks) < len(TASKS):
            print_log(
                f'{self.out}: a binary model predicts only {list(tasks)}; '
                'the other column is empty, so this is not a complete ISIC '
                'submission', logger='current', level=logging.WARNING)
        for task in tasks:
            gt = np.array([r['gt'][task] for r in results])
            if len(np.unique(gt)) == 2:
                score = np.array([r['pred'][task] for r in results])
                save_roc_curve(gt, score, task,
                               osp.join(out_dir, f'ROC_{task}.png'))


def save_roc_curve(gt: np.ndarray, score: np.ndarray, task: str,
                   path: str) -> str:
    """Plot the ROC curve of one task into a PNG.

    Uses matplotlib's object API with the Agg canvas, so no GUI backend is
    needed and pyplot's global state is left alone.

    Args:
        gt (np.ndarray): 0/1 ground truth (both classes present).
        score (np.ndarray): Probability of the positive class.
        task (str): Task name, for the title.
        path (str): PNG path.

    Returns:
        str: ``path``.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fpr, tpr, _ = roc_curve(gt, score)
    fig = Figure(figsize=(4, 4), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot(fpr, tpr, lw=2,
            label=f'AUC = {roc_auc_score(gt, score):.3f} (n = {len(gt)})')
    ax.plot([0, 1], [0, 1], ls='--', lw=1, color='grey')
    ax.set(xlim=(0, 1), ylim=(0, 1.01), xlabel='1 - specificity',
           ylabel='sensitivity', title=f'ROC: {task}')
    ax.legend(loc='lower right')
    fig.tight_layout()
    fig.savefig(path)
    return path
