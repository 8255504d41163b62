"""Write synthetic ISIC data sets in the challenge and archive layouts.

:func:`make_synthetic_isic` writes images painted by
:func:`.synthetic_painter.render_sample` with their binary segmentation
masks and the Part 3 classification CSV, in the folder and file naming of
the official ISIC 2017 release (:mod:`isic_plugins.datasets.isic_layout`):
for each split ``Training``, ``Validation`` (ids continue after training)
and ``Test_v2`` (ids continue after validation) an image folder, a Part 1
mask folder and a Part 3 CSV. :func:`make_synthetic_isic_archive` writes a
stand-in for an ISIC archive export.

The writers use numpy, OpenCV, Pillow and pandas only. Output is
byte-identical for the same arguments: every image draws from its own
generator derived from ``(seed, image index)``, and encoders are called
with fixed settings.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd
from PIL import Image

from ..datasets import isic_layout
from .synthetic_painter import (
    CLASS_NAMES,
    MELANOMA,
    NEVUS,
    SEB_KERATOSIS,
    render_sample,
    round_half_up,
    sample_image_size,
)

__all__ = [
    'ARCHIVE_DIAGNOSES',
    'CLASS_FRACTIONS',
    'SPLITS',
    'assign_labels',
    'make_synthetic_isic',
    'make_synthetic_isic_archive',
]

#: Approximate class frequencies of the ISIC 2017 training set (374 melanoma,
#: 254 seborrheic keratosis, 1372 nevus out of 2000).
CLASS_FRACTIONS: dict[str, float] = {
    'melanoma': 0.19,
    'seborrheic_keratosis': 0.13,
}

#: (split key, name used in the official folder/file names).
SPLITS: tuple[tuple[str, str], ...] = tuple(isic_layout.SPLIT_NAMES.items())

CSV_HEADER: tuple[str, ...] = isic_layout.PART3_COLUMNS

JPEG_QUALITY = 92

# Spawn-key namespaces keep the image streams and the label-shuffle streams
# statistically independent even though both derive from the same seed.
_IMAGE_STREAM = 0
_LABEL_STREAM = 1


def assign_labels(n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw a stratified, shuffled label vector with ISIC 2017 frequencies.

    Exactly ``round(0.19 * n)`` melanomas and ``round(0.13 * n)`` seborrheic
    keratoses are assigned (the rest are nevi) so that small splits still
    contain every class once ``n >= 8``.

    Args:
        n: Number of images.
        rng: Generator used for the shuffle.

    Returns:
        ``int64`` array of shape ``(n,)`` with values in ``{0, 1, 2}``, see
        :data:`CLASS_NAMES`.
    """
    if n < 0:
        raise ValueError(f'n must be >= 0, got {n}')
    n_mel = round_half_up(n * CLASS_FRACTIONS['melanoma'])
    n_sk = round_half_up(n * CLASS_FRACTIONS['seborrheic_keratosis'])
    n_sk = min(n_sk, n - n_mel)
    labels = np.full(n, NEVUS, dtype=np.int64)
    labels[:n_mel] = MELANOMA
    labels[n_mel:n_mel + n_sk] = SEB_KERATOSIS
    return rng.permutation(labels)


# ---------------------------------------------------------------------------
# Data set writer
# ---------------------------------------------------------------------------


def _image_rng(seed: int, index: int) -> np.random.Generator:
    return np.random.default_rng(
        np.random.SeedSequence(seed, spawn_key=(_IMAGE_STREAM, index)))


def _label_rng(seed: int, split_idx: int) -> np.random.Generator:
    return np.random.default_rng(
        np.random.SeedSequence(seed, spawn_key=(_LABEL_STREAM, split_idx)))


def _write_sample(img_dir: str, mask_dir: str, seed: int, index: int,
                  label: int, min_size: int, max_size: int) -> str:
    """Render image ``ISIC_<index>`` of class ``label``, write it and its
    mask in the ISIC layout, and return its id."""
    image_id = f'ISIC_{index:07d}'
    rng = _image_rng(seed, index)
    h, w = sample_image_size(rng, min_size, max_size)
    image, mask = render_sample(rng, label, h, w)
    _save_pair(image, mask,
               os.path.join(img_dir, image_id + isic_layout.IMAGE_SUFFIX),
               os.path.join(mask_dir, isic_layout.mask_name(image_id)))
    return image_id


def _save_pair(image: np.ndarray, mask: np.ndarray, image_path: str,
               mask_path: str) -> None:
    # Fixed encoder settings and no metadata keep files byte-identical.
    Image.fromarray(image).save(
        image_path, format='JPEG', quality=JPEG_QUALITY, subsampling=2,
        optimize=False, progressive=False)
    Image.fromarray(mask).save(
        mask_path, format='PNG', optimize=False, compress_level=6)


def _write_split(out_dir: str, split_name: str, split_idx: int, n: int,
                 first_id: int, seed: int, min_size: int,
                 max_size: int) -> dict[str, int]:
    img_dir = os.path.join(out_dir, isic_layout.image_dir(split_name))
    gt_dir = os.path.join(out_dir, isic_layout.mask_dir(split_name))
    os.makedirs(img_dir, exist_ok=True)
    os.makedirs(gt_dir, exist_ok=True)
    labels = assign_labels(n, _label_rng(seed, split_idx))
    ids = []
    for i, label in enumerate(labels):
        ids.append(_write_sample(img_dir, gt_dir, seed, first_id + i,
                                 int(label), min_size, max_size))
    df = pd.DataFrame({
        'image_id': ids,
        'melanoma': (labels == MELANOMA).astype(int),
        'seborrheic_keratosis': (labels == SEB_KERATOSIS).astype(int),
    }, columns=list(CSV_HEADER))
    df.to_csv(os.path.join(out_dir, isic_layout.part3_csv(split_name)),
              index=False, lineterminator='\n')
    return {
        'num_images': n,
        **{name: int((labels == k).sum())
           for k, name in enumerate(CLASS_NAMES)},
    }


def make_synthetic_isic(out_dir: str, num_train: int = 100, num_val: int = 30,
                        num_test: int = 30, seed: int = 0, min_size: int = 320,
                        max_size: int = 1100) -> dict:
    """Write a synthetic data set in the ISIC 2017 challenge layout.

    Image ids are consecutive and unique across splits: training starts at
    ``ISIC_0000000``, validation continues after it and test after that.
    Existing files with the same names are overwritten; nothing is deleted.

    Args:
        out_dir: Root folder; created if missing.
        num_train: Number of ``Training`` images.
        num_val: Number of ``Validation`` images.
        num_test: Number of ``Test_v2`` images.
        seed: Non-negative seed; equal arguments give byte-identical files.
        min_size: Smallest longer side of an image, in pixels.
        max_size: Largest longer side of an image, in pixels.

    Returns:
        Summary dict with ``out_dir``, ``seed``, ``splits`` (per split key
        ``train``/``val``/``test``: ``dir_name``, ``num_images`` and one count
        per class in :data:`CLASS_NAMES`) and ``total`` (the same counts
        summed over splits).
    """
    counts = {'train': num_train, 'val': num_val, 'test': num_test}
    for key, n in counts.items():
        if int(n) != n or n < 0:
            raise ValueError(f'num_{key} must be a non-negative int, got {n}')
    if int(seed) != seed or seed < 0:
        raise ValueError(f'seed must be a non-negative int, got {seed}')
    if min_size < 16 or max_size < min_size:
        raise ValueError(
            f'need 16 <= min_size <= max_size, got {min_size}, {max_size}')
    os.makedirs(out_dir, exist_ok=True)

    summary: dict[str, Any] = {
        'out_dir': os.path.abspath(out_dir),
        'seed': int(seed),
        'splits': {},
    }
    total = {'num_images': 0, **{name: 0 for name in CLASS_NAMES}}
    first_id = 0
    for split_idx, (key, name) in enumerate(SPLITS):
        n = int(counts[key])
        stats = _write_split(out_dir, name, split_idx, n, first_id, int(seed),
                             int(min_size), int(max_size))
        summary['splits'][key] = {'dir_name': name, **stats}
        for k in total:
            total[k] += stats[k]
        first_id += n
    summary['total'] = total
    return summary


#: ISIC archive diagnosis names of the three rendered classes.
ARCHIVE_DIAGNOSES: tuple[str, ...] = ('nevus', 'melanoma',
                                      'seborrheic keratosis')


def make_synthetic_isic_archive(out_dir: str, num_images: int = 100,
                                seed: int = 0, first_id: int = 100000,
                                min_size: int = 320,
                                max_size: int = 1100) -> dict:
    """Write a synthetic stand-in for an ISIC archive export.

    The layout the archive datasets read (``ISICArchiveSegmentationDataset``
    and ``ISICArchiveClassificationDataset``)::

        out_dir/images/ISIC_XXXXXXX.jpg
        out_dir/masks/ISIC_XXXXXXX_segmentation.png
        out_dir/metadata.csv   isic_id, diagnosis, diagnosis_confirm_type,
                               segmentation_skill

    About 80% of the segmentations are marked 'expert' (20% 'novice'), and
    the diagnoses are confirmed by 'histopathology' (50%), 'single image
    expert consensus' (25%) or 'serial imaging showing no change' (25%), so
    that the datasets' default filters keep part of the images. Ids start at
    ``first_id`` so they never collide with the challenge-layout ids.

    Args:
        out_dir: Root folder; created if missing.
        num_images: Number of images.
        seed: Non-negative seed; equal arguments give byte-identical files.
        first_id: Number of the first image id.
        min_size: Smallest longer side of an image, in pixels.
        max_size: Largest longer side of an image, in pixels.

    Returns:
        Summary dict: ``num_images``, ``expert_segmentations`` and
        ``confirmed_diagnoses``.
    """
    img_dir = os.path.join(out_dir, isic_layout.ARCHIVE_IMAGE_DIR)
    mask_dir = os.path.join(out_dir, isic_layout.ARCHIVE_MASK_DIR)
    os.makedirs(img_dir, exist_ok=True)
    os.makedirs(mask_dir, exist_ok=True)
    # split index 3: a label stream distinct from the challenge splits'
    labels = assign_labels(num_images, _label_rng(seed, 3))
    meta_rng = np.random.default_rng([seed, 7, 7])
    rows = []
    for i, label in enumerate(labels):
        image_id = _write_sample(img_dir, mask_dir, seed, first_id + i,
                                 int(label), min_size, max_size)
        rows.append({
            'isic_id': image_id,
            'diagnosis': ARCHIVE_DIAGNOSES[int(label)],
            'diagnosis_confirm_type': meta_rng.choice(
                ['histopathology', 'single image expert consensus',
                 'serial imaging showing no change'], p=[0.5, 0.25, 0.25]),
            'segmentation_skill': meta_rng.choice(['expert', 'novice'],
                                                  p=[0.8, 0.2]),
        })
    meta = pd.DataFrame(rows)
    meta.to_csv(os.path.join(out_dir, isic_layout.ARCHIVE_METADATA),
                index=False, lineterminator='\n')
    return {
        'num_images': int(num_images),
        'expert_segmentations':
        int((meta.segmentation_skill == 'expert').sum()),
        'confirmed_diagnoses': int(meta.diagnosis_confirm_type.isin(
            ['histopathology', 'single image expert consensus']).sum()),
    }
