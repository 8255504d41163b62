"""Bootstrap intervals of mean per-image scores."""
import numpy as np
import pytest

from isic_plugins.evaluation import bootstrap_interval


def test_interval_covers_the_mean_and_shrinks_with_more_images():
    rng = np.random.default_rng(1)
    small = rng.uniform(0, 1, 40)
    large = rng.uniform(0, 1, 4000)
    lo_s, hi_s = bootstrap_interval(small)
    lo_l, hi_l = bootstrap_interval(large)
    assert lo_s < small.mean() < hi_s
    assert lo_l < large.mean() < hi_l
    assert hi_l - lo_l < (hi_s - lo_s) / 5  # ~1/sqrt(100)
    # about +-1.96 standard errors
    se = large.std() / np.sqrt(len(large))
    assert hi_l - lo_l == pytest.approx(2 * 1.96 * se, rel=0.15)


def test_reproducible_and_degenerate():
    values = [0.2, 0.9, 0.5]
    assert bootstrap_interval(values) == bootstrap_interval(values)
    assert bootstrap_interval([0.7] * 10) == (pytest.approx(0.7),
                                              pytest.approx(0.7))


def test_statistic_interval_of_an_auc():
    from sklearn.metrics import roc_auc_score

    from isic_plugins.evaluation import (
        auc_or_nan,
        bootstrap_statistic_interval,
    )
    rng = np.random.default_rng(2)
    gt = rng.integers(0, 2, 300)
    score = gt + rng.normal(0, 1.0, 300)
    auc = roc_auc_score(gt, score)
    low, high = bootstrap_statistic_interval(
        lambda i: auc_or_nan(gt[i], score[i]), len(gt))
    assert low < auc < high
    # the AUC's standard error on 300 images is ~0.02-0.03
    assert 0.05 < high - low < 0.15
    # resamples with one class only are dropped, not averaged in as NaN
    one = np.zeros(5, int)
    assert np.isnan(auc_or_nan(one, rng.normal(size=5)))
    tiny_gt, tiny_score = np.array([0, 1]), np.array([0.2, 0.9])
    low, high = bootstrap_statistic_interval(
        lambda i: auc_or_nan(tiny_gt[i], tiny_score[i]), 2)
    assert (low, high) == (1.0, 1.0)


def test_values_on_the_same_draws_combine_as_the_combined_statistic():
    """The cls table derives the mean AUC's interval and the paired
    differences between models from each AUC's bootstrap values: the same
    as bootstrapping the combined statistic itself."""
    from isic_plugins.evaluation import (
        auc_or_nan,
        bootstrap_statistic_interval,
        bootstrap_statistics,
        percentile_interval,
    )
    rng = np.random.default_rng(3)
    gt = rng.integers(0, 2, 60)
    good, bad = gt + rng.normal(0, 0.8, 60), gt + rng.normal(0, 2.0, 60)

    def auc(score):
        return lambda i: auc_or_nan(gt[i], score[i])

    a, b = bootstrap_statistics(auc(good), 60), bootstrap_statistics(
        auc(bad), 60)
    assert a.shape == (2000, )
    direct = bootstrap_statistic_interval(
        lambda i: auc(good)(i) - auc(bad)(i), 60)
    assert percentile_interval(a - b) == direct
    assert percentile_interval(a) == bootstrap_statistic_interval(
        auc(good), 60)
    # a NaN in either drops that resample, as in the direct statistic
    tiny = np.array([0, 1, 1])
    values = bootstrap_statistics(lambda i: auc_or_nan(tiny[i], tiny[i]), 3,
                                  50)
    assert np.isnan(values).any()
    assert percentile_interval(values) == bootstrap_statistic_interval(
        lambda i: auc_or_nan(tiny[i], tiny[i]), 3, 50)
    assert np.isnan(percentile_interval([np.nan] * 3)).all()
