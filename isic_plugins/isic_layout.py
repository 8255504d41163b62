"""Folder and file names of the ISIC data: the one place that spells them.

The ISIC 2017 challenge release, the same for each split (``Training``,
``Validation``, ``Test_v2``)::

    ISIC2017/
    ├── ISIC-2017_Training_Data/
    │   └── ISIC_0000000.jpg
    ├── ISIC-2017_Training_Part1_GroundTruth/
    │   └── ISIC_0000000_segmentation.png   (0 = skin, 255 = lesion)
    └── ISIC-2017_Training_Part3_GroundTruth.csv
            image_id,melanoma,seborrheic_keratosis

An ISIC archive export (the extra images of Bi et al.'s stage 1)::

    ISIC_archive/
    ├── images/ISIC_0000000.jpg
    ├── masks/ISIC_0000000_segmentation.png
    └── metadata.csv

A Part 1 submission is one ``<image id>_segmentation.png`` per image, 0/255,
8-bit, at the image's original size (:func:`write_submission_mask`).

A lesion-mask cache (:func:`lesion_mask_dir`): the predicted masks that
``tools/predict.py --masks-only --out <root>/<split>`` writes and a
classification dataset's ``lesion_mask_dir`` reads for ``LesionCrop``::

    <root>/
    └── <split>/                    (e.g. Training, Test_v2)
        └── masks/ISIC_0000000_segmentation.png
"""
import os
import os.path as osp
from typing import Dict, Optional

import cv2
import numpy as np

#: Split key -> the split's name in the challenge's folder and file names.
SPLIT_NAMES: Dict[str, str] = {
    'train': 'Training',
    'val': 'Validation',
    'test': 'Test_v2',
}

#: Suffix of the challenge's images.
IMAGE_SUFFIX = '.jpg'

#: Suffix of a lesion mask (and of a submission mask).
MASK_SUFFIX = '_segmentation.png'

#: Mask suffixes read: the challenge's, then ISIC 2016's and some archive
#: exports' capitalised one.
MASK_SUFFIXES = (MASK_SUFFIX, '_Segmentation.png')

#: Columns of the Part 3 (classification) ground-truth CSV; a row with both
#: diagnoses 0 is a nevus.
PART3_COLUMNS = ('image_id', 'melanoma', 'seborrheic_keratosis')

#: Image folder, mask folder and metadata CSV of an ISIC archive export.
ARCHIVE_IMAGE_DIR = 'images'
ARCHIVE_MASK_DIR = 'masks'
ARCHIVE_METADATA = 'metadata.csv'

#: The mask folder inside a ``tools/predict.py --out`` folder.
PREDICTED_MASK_DIR = 'masks'


def image_dir(split: str) -> str:
    """``ISIC-2017_<split>_Data``: the images of a challenge split.

    Args:
        split (str): 'Training', 'Validation' or 'Test_v2' (a value of
            :data:`SPLIT_NAMES`).

    Returns:
        str: The folder name.
    """
    return f'ISIC-2017_{split}_Data'


def mask_dir(split: str) -> str:
    """``ISIC-2017_<split>_Part1_GroundTruth``: the lesion masks of a split.

    Args:
        split (str): A value of :data:`SPLIT_NAMES`.

    Returns:
        str: The folder name.
    """
    return f'ISIC-2017_{split}_Part1_GroundTruth'


def part3_csv(split: str) -> str:
    """``ISIC-2017_<split>_Part3_GroundTruth.csv``: a split's diagnoses.

    Args:
        split (str): A value of :data:`SPLIT_NAMES`.

    Returns:
        str: The file name.
    """
    return f'ISIC-2017_{split}_Part3_GroundTruth.csv'


def lesion_mask_dir(root: str, split: Optional[str] = None) -> str:
    """``<root>/<split>/masks``: the folder of a lesion-mask cache.

    ``tools/predict.py --out <root>/<split>`` writes the masks there
    (``lesion_mask_dir(out)``, no split), one :func:`mask_name` per image;
    a classification dataset reads them with ``lesion_mask_dir`` set to
    this folder.

    Args:
        root (str): The cache's root, or ``predict.py``'s ``--out``.
        split (str, optional): The split's folder under ``root``
            (e.g. 'Training', 'Test_v2'). Defaults to None (``root`` is
            the ``--out`` folder itself).

    Returns:
        str: The folder.
    """
    parts = [root] + ([split] if split else []) + [PREDICTED_MASK_DIR]
    return osp.join(*parts)


def image_id_of(path: str) -> str:
    """The image id of an image or mask file.

    ``ISIC_0000000`` from ``.../ISIC_0000000.jpg`` and from
    ``.../ISIC_0000000_segmentation.png`` (either case of the mask suffix).

    Args:
        path (str): An image or mask path (or file name).

    Returns:
        str: The id.
    """
    name = osp.basename(path)
    for suffix in MASK_SUFFIXES:
        if name.endswith(suffix):
            return name[:-len(suffix)]
    return osp.splitext(name)[0]


def mask_name(image_id: str) -> str:
    """``<image_id>_segmentation.png``: the mask file name of an image.

    Args:
        image_id (str): ISIC image id.

    Returns:
        str: The file name.
    """
    return image_id + MASK_SUFFIX


def write_submission_mask(pred: np.ndarray, out_dir: str,
                          image_id: str) -> str:
    """Write ``<image_id>_segmentation.png`` (0/255, 8-bit) into ``out_dir``.

    The file has the size of ``pred``; give it at the image's original size.
    It is written atomically (a temporary file renamed into place): a run
    killed mid-write leaves no truncated mask for a resumed run to keep.

    Args:
        pred (np.ndarray): HxW lesion mask (nonzero = lesion).
        out_dir (str): Output folder (must exist).
        image_id (str): ISIC image id.

    Returns:
        str: Path of the written file.

    Raises:
        OSError: If the file cannot be written.
    """
    path = osp.join(out_dir, mask_name(image_id))
    mask = (np.asarray(pred) > 0).astype(np.uint8) * 255
    ok, png = cv2.imencode('.png', mask)
    if not ok:
        raise OSError(f'could not encode the mask for {path}')
    tmp = f'{path}.tmp{os.getpid()}'
    try:
        with open(tmp, 'wb') as f:
            f.write(png.tobytes())
        os.replace(tmp, path)
    except OSError as e:
        if osp.exists(tmp):
            os.remove(tmp)
        raise OSError(f'could not write {path}: {e}') from e
    return path
