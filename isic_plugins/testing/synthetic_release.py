"""Write a stand-in for an official ISIC release: the server's files.

:func:`make_synthetic_release` writes, for each file of a
:class:`~isic_plugins.data_fetch.Release`, what the ISIC server serves under
that name: a zip whose top folder holds the file's number of images
``ISIC_<id>.jpg`` (with the ``*_superpixels.png`` files and metadata CSV the
challenge's image zips also hold) or masks ``ISIC_<id>_segmentation.png``,
or a Part 3 CSV with its number of rows. Every image is the same tiny JPEG
and every mask the same tiny PNG (a lesion box the checks find), so a full
ISIC 2017 release (2,750 images and masks) is a few megabytes written in
about a second. Ids run on across splits (training, then validation, then
test), as the challenge's do.
"""
import io
import os
import os.path as osp
import zipfile
from typing import Dict, Optional

import numpy as np
import pandas as pd
from PIL import Image

from ..data_fetch.isic_releases import Release, ReleaseFile
from ..datasets import isic_layout

#: Width and height of every image and mask.
SIZE = (12, 8)


def _encoded(image: np.ndarray, fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format=fmt)
    return buffer.getvalue()


def tiny_image_and_mask() -> tuple:
    """JPEG bytes of a small skin-coloured image and PNG bytes of its
    0/255 mask (a dark lesion box and its mask)."""
    w, h = SIZE
    image = np.full((h, w, 3), (200, 160, 140), np.uint8)
    image[2:6, 3:9] = (90, 50, 40)
    mask = np.zeros((h, w), np.uint8)
    mask[2:6, 3:9] = 255
    return _encoded(image, 'JPEG'), _encoded(mask, 'PNG')


def split_ids(release: Release) -> Dict[str, list]:
    """The image ids of each subset: consecutive, running on across
    subsets in the release's order."""
    counts = {}
    for f in release.files:
        counts.setdefault(f.subset, f.count)
    ids, first = {}, 0
    for subset, n in counts.items():
        ids[subset] = [f'ISIC_{i:07d}' for i in range(first, first + n)]
        first += n
    return ids


def write_release_file(path: str, file: ReleaseFile, ids: list,
                       image: bytes, mask: bytes) -> str:
    """Write the server's ``file`` (a zip or a Part 3 CSV) to ``path``."""
    if not file.is_zip:
        rng = np.random.default_rng(len(ids))
        label = rng.integers(0, 3, len(ids))
        pd.DataFrame({
            'image_id': ids,
            'melanoma': (label == 0).astype(float),
            'seborrheic_keratosis': (label == 1).astype(float),
        }).to_csv(path, index=False, lineterminator='\n')
        return path
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as archive:
        top = file.folder + '/'
        if file.content == 'images':
            archive.writestr(f'{top}{file.folder}_metadata.csv',
                             'image_id,age_approximate,sex\n' + ''.join(
                                 f'{i},unknown,unknown\n' for i in ids))
        for image_id in ids:
            if file.content == 'images':
                archive.writestr(top + image_id + isic_layout.IMAGE_SUFFIX,
                                 image)
                archive.writestr(f'{top}{image_id}_superpixels.png', mask)
            else:
                archive.writestr(top + isic_layout.mask_name(image_id), mask)
    return path


def make_synthetic_release(out_dir: str, release: Release,
                           only: Optional[list] = None) -> Dict[str, str]:
    """Write every file of ``release`` (or those named in ``only``) into
    ``out_dir`` under its server name.

    Args:
        out_dir (str): Folder to serve (created).
        release (Release): The release whose files to write.
        only (list[str], optional): File names to write. Defaults to None
            (all).

    Returns:
        dict[str, str]: File name -> path.
    """
    os.makedirs(out_dir, exist_ok=True)
    ids = split_ids(release)
    image, mask = tiny_image_and_mask()
    written = {}
    for file in release.files:
        if only is not None and file.name not in only:
            continue
        written[file.name] = write_release_file(
            osp.join(out_dir, file.name), file, ids[file.subset], image,
            mask)
    return written
