"""The synthetic ISIC writer: official layout, labels, reproducible bytes."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from isic_plugins.testing import (
    CLASS_NAMES,
    assign_labels,
    make_synthetic_isic,
)

# Small and low resolution so the whole module runs in a few seconds.
SMALL = dict(num_train=6, num_val=3, num_test=3, min_size=160, max_size=400)
SPLIT_NAMES = ('Training', 'Validation', 'Test_v2')


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob('*')) if p.is_file()
    }


@pytest.fixture(scope='module')
def small_set(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp('synth') / 'isic'
    summary = make_synthetic_isic(str(root), seed=0, **SMALL)
    return root, summary


def test_layout_and_names(small_set):
    root, summary = small_set
    expected = set()
    for name in SPLIT_NAMES:
        expected |= {
            f'ISIC-2017_{name}_Data',
            f'ISIC-2017_{name}_Part1_GroundTruth',
            f'ISIC-2017_{name}_Part3_GroundTruth.csv',
        }
    assert set(os.listdir(root)) == expected

    ids_seen = []
    for name, n in zip(SPLIT_NAMES, (6, 3, 3)):
        imgs = sorted(os.listdir(root / f'ISIC-2017_{name}_Data'))
        gts = sorted(os.listdir(root / f'ISIC-2017_{name}_Part1_GroundTruth'))
        assert len(imgs) == n
        ids = [f[:-len('.jpg')] for f in imgs]
        assert all(f.endswith('.jpg') for f in imgs)
        assert gts == [i + '_segmentation.png' for i in ids]
        for i in ids:
            assert i.startswith('ISIC_') and len(i) == len('ISIC_0000000')
            assert i[5:].isdigit()
        ids_seen += ids
    # Consecutive across splits: train first, then val, then test.
    assert ids_seen == [f'ISIC_{i:07d}' for i in range(12)]
    assert summary['total']['num_images'] == 12
    assert [summary['splits'][k]['dir_name']
            for k in ('train', 'val', 'test')] == list(SPLIT_NAMES)


def test_images_and_masks(small_set):
    root, _ = small_set
    for name in SPLIT_NAMES:
        img_dir = root / f'ISIC-2017_{name}_Data'
        gt_dir = root / f'ISIC-2017_{name}_Part1_GroundTruth'
        for f in sorted(os.listdir(img_dir)):
            with Image.open(img_dir / f) as img:
                assert img.format == 'JPEG' and img.mode == 'RGB'
                size = img.size
            with Image.open(gt_dir / f.replace('.jpg', '_segmentation.png')) \
                    as m:
                assert m.format == 'PNG' and m.mode == 'L'
                assert m.size == size
                mask = np.asarray(m)
            assert mask.ndim == 2 and mask.dtype == np.uint8
            assert set(np.unique(mask).tolist()) == {0, 255}
            frac = (mask > 0).mean()
            assert 0.03 < frac < 0.8


def test_csv(small_set):
    root, summary = small_set
    for key, name in zip(('train', 'val', 'test'), SPLIT_NAMES):
        csv = root / f'ISIC-2017_{name}_Part3_GroundTruth.csv'
        first_line = csv.read_text().splitlines()[0]
        assert first_line == 'image_id,melanoma,seborrheic_keratosis'
        df = pd.read_csv(csv)
        ids = sorted(
            p[:-4] for p in os.listdir(root / f'ISIC-2017_{name}_Data'))
        assert sorted(df['image_id']) == ids
        for col in ('melanoma', 'seborrheic_keratosis'):
            assert df[col].dtype.kind == 'i'
            assert set(df[col]) <= {0, 1}
        both = (df['melanoma'] == 1) & (df['seborrheic_keratosis'] == 1)
        assert not both.any()
        stats = summary['splits'][key]
        assert stats['melanoma'] == int(df['melanoma'].sum())
        assert stats['seborrheic_keratosis'] == int(
            df['seborrheic_keratosis'].sum())
        assert stats['nevus'] == len(df) - stats['melanoma'] - stats[
            'seborrheic_keratosis']


def test_same_seed_is_byte_identical(small_set, tmp_path):
    root, _ = small_set
    again = tmp_path / 'again'
    make_synthetic_isic(str(again), seed=0, **SMALL)
    a, b = _tree(root), _tree(again)
    assert list(a) == list(b)
    for k in a:
        assert a[k] == b[k], k


def test_different_seed_differs(small_set, tmp_path):
    root, _ = small_set
    other = tmp_path / 'other'
    make_synthetic_isic(str(other), seed=1, **SMALL)
    a, b = _tree(root), _tree(other)
    assert list(a) == list(b)  # same layout and ids ...
    jpgs = [k for k in a if k.endswith('.jpg')]
    assert all(a[k] != b[k] for k in jpgs)  # ... different content


def test_image_independent_of_other_splits(small_set, tmp_path):
    # Each image has its own generator and each split its own label draw, so
    # training/validation files must not change when the test split does.
    root, _ = small_set
    other = tmp_path / 'other_test_size'
    make_synthetic_isic(str(other), seed=0, num_train=6, num_val=3,
                        num_test=1, min_size=SMALL['min_size'],
                        max_size=SMALL['max_size'])
    a, b = _tree(root), _tree(other)
    for k in b:
        if 'Test_v2' not in k:
            assert a[k] == b[k], k


def test_sizes_and_aspect_ratios_vary(small_set):
    root, _ = small_set
    sizes = []
    for name in SPLIT_NAMES:
        for f in (root / f'ISIC-2017_{name}_Data').iterdir():
            with Image.open(f) as img:
                sizes.append(img.size)
    assert len(set(sizes)) > 1
    assert all(160 <= max(s) <= 400 for s in sizes)


@pytest.mark.parametrize('n', [8, 13, 30, 100, 2000])
def test_assign_labels_stratified(n):
    labels = assign_labels(n, np.random.default_rng(n))
    assert labels.shape == (n,)
    counts = np.bincount(labels, minlength=len(CLASS_NAMES))
    assert (counts > 0).all()
    assert counts[CLASS_NAMES.index('melanoma')] == int(n * 0.19 + 0.5)
    assert counts[CLASS_NAMES.index('seborrheic_keratosis')] == int(n * 0.13 +
                                                                    0.5)
    if n == 2000:
        assert abs(counts[1] / n - 0.19) < 0.01
        assert abs(counts[2] / n - 0.13) < 0.01
        assert abs(counts[0] / n - 0.68) < 0.01


def test_assign_labels_shuffled_and_seeded():
    a = assign_labels(200, np.random.default_rng(0))
    b = assign_labels(200, np.random.default_rng(0))
    c = assign_labels(200, np.random.default_rng(1))
    assert (a == b).all() and (a != c).any()
    # Not sorted by class: melanomas spread over the index range.
    mel = np.flatnonzero(a == 1)
    assert mel.min() < 50 and mel.max() > 150


@pytest.mark.parametrize('kwargs', [
    dict(num_train=-1),
    dict(seed=-3),
    dict(min_size=500, max_size=400),
])
def test_bad_arguments(tmp_path, kwargs):
    with pytest.raises(ValueError):
        make_synthetic_isic(str(tmp_path / 'bad'), **kwargs)


def test_archive_layout_is_read_by_the_archive_dataset(tmp_path):
    """The synthetic archive feeds ISICArchiveSegmentationDataset as is."""
    import pandas as pd
    from mmengine.registry import init_default_scope
    from mmseg.registry import DATASETS

    import isic_plugins  # noqa: F401
    from isic_plugins.testing import make_synthetic_isic_archive
    init_default_scope('mmseg')
    summary = make_synthetic_isic_archive(str(tmp_path), num_images=12,
                                          seed=3, min_size=64, max_size=96)
    meta = pd.read_csv(tmp_path / 'metadata.csv')
    assert list(meta.columns) == ['isic_id', 'diagnosis',
                                  'diagnosis_confirm_type',
                                  'segmentation_skill']
    ds = DATASETS.build(dict(
        type='ISICArchiveSegmentationDataset', data_root=str(tmp_path),
        data_prefix=dict(img_path='images', seg_map_path='masks')))
    assert len(ds) == summary['expert_segmentations'] > 0
