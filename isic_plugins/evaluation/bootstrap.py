"""Bootstrap intervals over images for the ISIC scores."""
from typing import Sequence, Tuple

import numpy as np


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
