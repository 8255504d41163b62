"""ISIC 2017 Part 3 metric: AUC/AP as sklearn, specificity at sensitivity,
binary models and the submission CSV."""
import math
import os.path as osp

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.metrics import average_precision_score, roc_auc_score

import isic_plugins  # noqa: F401
from isic_plugins.evaluation import ISICClassificationMetric
from isic_plugins.evaluation.isic_classification_metric import task_scores

MULTICLASS_META = dict(
    classes=('melanoma', 'seborrheic_keratosis', 'nevus'), task='multiclass')


def _samples(scores, melanoma, sk):
    return [
        dict(pred_score=torch.as_tensor(s, dtype=torch.float32),
             image_id=f'ISIC_{i:07d}', img_path=f'x/ISIC_{i:07d}.jpg',
             melanoma=int(m), seborrheic_keratosis=int(k))
        for i, (s, m, k) in enumerate(zip(scores, melanoma, sk))
    ]


def _evaluate(metric, samples, dataset_meta, batch=7):
    metric.dataset_meta = dataset_meta
    for i in range(0, len(samples), batch):
        metric.process({}, samples[i:i + batch])
    return metric.evaluate(len(samples))


def _random_multiclass(n=40, seed=0):
    rng = np.random.default_rng(seed)
    label = rng.choice(3, n, p=[0.3, 0.2, 0.5])
    logits = rng.normal(size=(n, 3)) + 1.5 * np.eye(3)[label]
    scores = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    return scores, label == 0, label == 1


def test_auc_and_ap_equal_sklearn_on_the_written_csv(tmp_path):
    scores, mel, sk = _random_multiclass()
    out = str(tmp_path / 'sub' / 'submission.csv')
    metrics = _evaluate(ISICClassificationMetric(out=out),
                        _samples(scores, mel, sk), MULTICLASS_META)

    csv = pd.read_csv(out)
    assert list(csv.columns) == ['image_id', 'melanoma',
                                 'seborrheic_keratosis']
    assert len(csv) == 40 and csv.image_id.is_monotonic_increasing
    probs = csv[['melanoma', 'seborrheic_keratosis']].to_numpy()
    assert ((probs >= 0) & (probs <= 1)).all()
    gt = pd.DataFrame(dict(image_id=[f'ISIC_{i:07d}' for i in range(40)],
                           melanoma=mel.astype(int),
                           seborrheic_keratosis=sk.astype(int)))
    merged = csv.merge(gt, on='image_id', suffixes=('', '_gt'))
    aucs = []
    for task in ('melanoma', 'seborrheic_keratosis'):
        auc = roc_auc_score(merged[f'{task}_gt'], merged[task])
        ap = average_precision_score(merged[f'{task}_gt'], merged[task])
        assert abs(metrics[f'isic/{task}_auc'] - auc) < 1e-9
        assert abs(metrics[f'isic/{task}_ap'] - ap) < 1e-9
        assert osp.isfile(tmp_path / 'sub' / f'ROC_{task}.png')
        aucs.append(auc)
    assert abs(metrics['isic/mean_auc'] - np.mean(aucs)) < 1e-9
    # the 3-class layout: p_mel is score[0], p_sk score[1]
    np.testing.assert_allclose(csv.melanoma, scores[:, 0], atol=1e-6)


def test_specificity_at_sensitivity_on_a_hand_made_example():
    pos = [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.35, 0.15]
    neg = [0.88, 0.5, 0.45, 0.4, 0.3, 0.25, 0.2, 0.1, 0.05, 0.02]
    scores = task_scores(np.array([1] * 10 + [0] * 10), np.array(pos + neg))
    # 82% and 89% sensitivity need 9 of 10 melanomas: threshold 0.35 lets
    # 4 negatives through; 95% needs all 10: threshold 0.15, 7 negatives.
    assert scores['specificity_at_sens_82'] == pytest.approx(0.6)
    assert scores['specificity_at_sens_89'] == pytest.approx(0.6)
    assert scores['specificity_at_sens_95'] == pytest.approx(0.3)
    # at 0.5: 8 of 10 positives and 8 of 10 negatives right
    assert scores['sensitivity'] == pytest.approx(0.8)
    assert scores['specificity'] == pytest.approx(0.8)
    assert scores['accuracy'] == pytest.approx(0.8)
    assert scores['auc'] == pytest.approx(
        roc_auc_score([1] * 10 + [0] * 10, pos + neg))


@pytest.mark.parametrize('task', ['melanoma', 'seborrheic_keratosis'])
def test_binary_model_scores_its_own_task_only(tmp_path, task):
    _, mel, sk = _random_multiclass()
    positive = mel if task == 'melanoma' else sk
    rng = np.random.default_rng(1)
    p = np.clip(0.6 * positive + 0.5 * rng.random(40), 0, 1)
    out = str(tmp_path / 'binary.csv')
    metrics = _evaluate(ISICClassificationMetric(out=out),
                        _samples(np.stack([1 - p, p], 1), mel, sk),
                        dict(classes=('other', task), task=task))
    tasks = {k.split('/')[1].rsplit('_', 1)[0] for k in metrics
             if k.endswith('_auc') and not k.endswith('mean_auc')}
    assert tasks == {task}
    assert metrics['isic/mean_auc'] == metrics[f'isic/{task}_auc']
    assert abs(metrics[f'isic/{task}_auc'] - roc_auc_score(positive, p)) < 1e-9
    csv = pd.read_csv(out)
    other = ({'melanoma', 'seborrheic_keratosis'} - {task}).pop()
    assert csv[other].isna().all()
    np.testing.assert_allclose(csv[task], p, atol=1e-6)
    assert not osp.exists(tmp_path / f'ROC_{other}.png')


def test_binary_model_on_a_multiclass_dataset_is_refused():
    metric = ISICClassificationMetric()
    metric.dataset_meta = MULTICLASS_META
    with pytest.raises(ValueError, match="task is 'multiclass'"):
        metric.process({}, _samples([[0.3, 0.7]], [1], [0]))


def test_missing_ground_truth_names_the_meta_keys():
    metric = ISICClassificationMetric()
    metric.dataset_meta = MULTICLASS_META
    sample = _samples([[0.5, 0.3, 0.2]], [1], [0])[0]
    del sample['seborrheic_keratosis']
    with pytest.raises(KeyError, match='meta_keys'):
        metric.process({}, [sample])


def test_single_class_task_gives_nan_ranking_scores():
    scores, mel, _ = _random_multiclass(10)
    metrics = _evaluate(ISICClassificationMetric(),
                        _samples(scores, mel, np.zeros(10)), MULTICLASS_META)
    assert math.isnan(metrics['isic/seborrheic_keratosis_auc'])
    assert math.isnan(metrics['isic/mean_auc'])
    assert not math.isnan(metrics['isic/melanoma_auc'])
    assert metrics['isic/seborrheic_keratosis_specificity'] >= 0


def test_bootstrap_intervals_of_the_aucs():
    scores, mel, sk = _random_multiclass(n=200)
    metrics = _evaluate(ISICClassificationMetric(bootstrap=500),
                        _samples(scores, mel, sk), MULTICLASS_META)
    for name in ('melanoma_auc', 'seborrheic_keratosis_auc', 'mean_auc'):
        low = metrics[f'isic/{name}_ci_low']
        high = metrics[f'isic/{name}_ci_high']
        assert low < metrics[f'isic/{name}'] < high, name
        assert high - low < 0.25
    # the mean's interval is narrower than either task's
    width = {n: metrics[f'isic/{n}_ci_high'] - metrics[f'isic/{n}_ci_low']
             for n in ('melanoma_auc', 'seborrheic_keratosis_auc',
                       'mean_auc')}
    assert width['mean_auc'] < max(width['melanoma_auc'],
                                   width['seborrheic_keratosis_auc'])
    # off by default: no intervals
    plain = _evaluate(ISICClassificationMetric(), _samples(scores, mel, sk),
                      MULTICLASS_META)
    assert not any('_ci_' in k for k in plain)
