"""The synthetic painter: image sizes and one rendered image with its mask."""
import numpy as np
import pytest

from isic_plugins.testing import CLASS_NAMES, render_sample, sample_image_size


@pytest.mark.parametrize('min_size,max_size', [(320, 1100), (100, 200),
                                               (256, 256)])
def test_size_sampler(min_size, max_size):
    rng = np.random.default_rng(0)
    sizes = [sample_image_size(rng, min_size, max_size) for _ in range(300)]
    longs = np.array([max(s) for s in sizes])
    assert longs.min() >= min_size and longs.max() <= max_size
    aspects = {round(max(s) / min(s), 2) for s in sizes}
    assert len(aspects) >= 3
    assert any(h > w for h, w in sizes) and any(w > h for h, w in sizes)
    if (min_size, max_size) == (320, 1100):
        assert (longs > 1000).any()


def test_size_sampler_rejects_bad_range():
    with pytest.raises(ValueError):
        sample_image_size(np.random.default_rng(0), 500, 400)


@pytest.mark.parametrize('label', range(len(CLASS_NAMES)))
def test_render_sample_image_and_mask(label):
    image, mask = render_sample(np.random.default_rng(label), label, 60, 80)
    assert image.shape == (60, 80, 3) and image.dtype == np.uint8
    assert mask.shape == (60, 80) and mask.dtype == np.uint8
    assert set(np.unique(mask).tolist()) == {0, 255}
    again, mask_again = render_sample(np.random.default_rng(label), label,
                                      60, 80)
    assert np.array_equal(image, again) and np.array_equal(mask, mask_again)
