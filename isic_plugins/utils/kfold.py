"""K-fold splits for cross-validation on small real sets."""
from typing import List

import numpy as np


def make_folds(n: int, k: int, seed: int = 0) -> List[List[int]]:
    """Split ``range(n)`` into ``k`` shuffled folds of near-equal size.

    Args:
        n (int): Number of images (indices into a dataset's sorted list).
        k (int): Number of folds, 2 <= k <= n.
        seed (int): Shuffling seed. Defaults to 0.

    Returns:
        list[list[int]]: The sorted indices of each fold; together they are
        ``range(n)``, each index exactly once.
    """
    if not 2 <= k <= n:
        raise ValueError(f'need 2 <= folds <= {n} images, got {k}')
    order = np.random.default_rng(seed).permutation(n)
    return [sorted(int(i) for i in part) for part in np.array_split(order, k)]
