"""Bootstrap intervals over images for the ISIC scores."""
from typing import Callable, Sequence, Tuple

import numpy as np
from sklearn.metrics import roc_auc_score


def bootstrap_interval(values: Sequence[float],
                       resamples: int = 2000,
                       level: float = 0.95,
                       seed: int = 0) -> Tuple[float, float]:
    """Percentile-bootstrap interval of the mean of per-image values.

    Args:
        values (Sequence[float]): One value per image (or one paired
            difference per image).
        resamples (int): Bootstrap resamples. Defaults to 2000.
        level (float): Coverage. Defaults to 0.95.
        seed (int): Seed, so the interval is reproducible. Defaults to 0.

    Returns:
        tuple[float, float]: Lower and upper bound.
    """
    values = np.asarray(values, dtype=np.float64)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(values), size=(resamples, len(values)))
    means = values[idx].mean(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)


def bootstrap_statistics(statistic: Callable[[np.ndarray], float],
                         num_images: int,
                         resamples: int = 2000,
                         seed: int = 0) -> np.ndarray:
    """A statistic over images on each bootstrap resample.

    Each resample draws ``num_images`` image indices with replacement
    (the same draws for the same ``num_images``, ``resamples`` and
    ``seed``) and calls ``statistic(indices)``. Quantities derived from
    several statistics on the same images (the mean of two AUCs, the
    difference between two models' mean AUCs) are then computed from
    these arrays, element by element, without drawing or scoring again.

    Args:
        statistic (Callable[[np.ndarray], float]): Value of the statistic
            on the images at the given indices.
        num_images (int): Number of images.
        resamples (int): Bootstrap resamples. Defaults to 2000.
        seed (int): Seed, so the draws are reproducible. Defaults to 0.

    Returns:
        np.ndarray: One value per resample, NaN where the statistic is
        undefined (e.g. an AUC of a resample with one class only).
    """
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, num_images, size=(resamples, num_images))
    return np.array([statistic(i) for i in idx], dtype=np.float64)


def percentile_interval(values: np.ndarray,
                        level: float = 0.95) -> Tuple[float, float]:
    """Percentile interval of bootstrap values, NaN ones dropped.

    Args:
        values (np.ndarray): One value per resample
            (:func:`bootstrap_statistics`, or values derived from it).
        level (float): Coverage. Defaults to 0.95.

    Returns:
        tuple[float, float]: Lower and upper bound (NaN when no value is
        defined).
    """
    values = np.asarray(values, dtype=np.float64)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return float('nan'), float('nan')
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def bootstrap_statistic_interval(statistic: Callable[[np.ndarray], float],
                                 num_images: int,
                                 resamples: int = 2000,
                                 level: float = 0.95,
                                 seed: int = 0) -> Tuple[float, float]:
    """Percentile-bootstrap interval of any statistic over images.

    For statistics that are not a mean of per-image values (an AUC, a
    difference of two models' AUCs on the same images): each resample
    draws ``num_images`` image indices with replacement and calls
    ``statistic(indices)``; resamples where it is undefined (NaN, e.g. an
    AUC of a resample with one class only) are dropped.

    Args:
        statistic (Callable[[np.ndarray], float]): Value of the statistic
            on the images at the given indices.
        num_images (int): Number of images.
        resamples (int): Bootstrap resamples. Defaults to 2000.
        level (float): Coverage. Defaults to 0.95.
        seed (int): Seed, so the interval is reproducible. Defaults to 0.

    Returns:
        tuple[float, float]: Lower and upper bound (NaN when no resample
        was defined).
    """
    return percentile_interval(
        bootstrap_statistics(statistic, num_images, resamples, seed), level)


def auc_or_nan(gt: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC, NaN when ``gt`` holds one class only."""
    if len(np.unique(gt)) < 2:
        return float('nan')
    return float(roc_auc_score(gt, score))
