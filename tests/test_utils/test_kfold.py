"""isic_plugins.utils.kfold.make_folds (no longer used by the tools)."""
from isic_plugins.utils.kfold import make_folds


def test_folds_partition_the_images():
    folds = make_folds(13, 4, seed=0)
    flat = sorted(i for f in folds for i in f)
    assert flat == list(range(13))
    assert sorted(len(f) for f in folds) == [3, 3, 3, 4]
    assert make_folds(13, 4, seed=0) == folds != make_folds(13, 4, seed=1)
