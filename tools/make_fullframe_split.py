"""Write the full-frame / square-crop split files of an ISIC 2017 split.

The shared real set stores most challenge images as 512x512 centre crops
and keeps about a sixth at their true proportions (full frames: 4:3 or 3:2,
with the vignette, rulers and hairs users' photographs have). This writes
two mmseg split files (``ann_file``: one image id per line) from the image
sizes, read from the file headers:

    OUT/isic2017_<split>_fullframe.txt   images that are not square
    OUT/isic2017_<split>_crops.txt       square images (the rest)
    OUT/isic2017_<split>_fullframe_hard.txt   the hard full frames

The real-data configs hold the full-frame training images out of training
(``..._crops.txt``) and score the models on them (``..._fullframe.txt``).

The full frames score higher than the ISIC 2017 validation images, on
which the models lose the paler rim of lesions and take dark vignette
corners for lesion. The hard subset is the full frames that look like
that, chosen from the image and its expert mask alone (never from a
model's scores): a pale rim (the CIELAB colour distance between a band
just inside and a band just outside the expert boundary, each 4% of the
shorter side wide, in the lowest quarter of the full frames') or a dark
vignette (at least two of the four corner squares, a tenth of the shorter
side each, darker than grey level 60)::

    python tools/make_fullframe_split.py ../shared/isic2017_real \\
        configs/_base_/datasets/splits
"""
import argparse
import os
import os.path as osp
from typing import List, Sequence

import cv2
import numpy as np
from PIL import Image

from isic_plugins.datasets.isic_layout import (
    IMAGE_SUFFIX,
    image_dir,
    mask_dir,
    mask_name,
)

#: Band width around the expert boundary, as a share of the shorter side.
RIM_BAND = 0.04
#: Share of the full frames with the palest rims that count as hard.
PALE_RIM_QUANTILE = 0.25
#: A corner square darker than this grey level is vignette.
DARK_LEVEL = 60
#: Dark corners (of four) that make a vignetted image.
DARK_CORNERS = 2


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('data_root', help='ISIC 2017 layout')
    parser.add_argument('out_dir', help='folder for the split files')
    parser.add_argument('--split', default='Training',
                        help='challenge split (default: Training)')
    return parser.parse_args()


def split_ids(folder: str) -> tuple:
    """``(full-frame ids, square ids)`` of the JPEG images in ``folder``."""
    full, square = [], []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(IMAGE_SUFFIX):
            continue
        with Image.open(osp.join(folder, name)) as img:
            width, height = img.size
        (square if width == height else full).append(
            name[:-len(IMAGE_SUFFIX)])
    return full, square


def rim_contrast(image_bgr: np.ndarray, mask: np.ndarray) -> float:
    """CIELAB distance between the mean colours just inside and just
    outside the boundary of ``mask`` (lesion > 0): small for a pale rim.
    NaN where the mask has no inside or no outside band."""
    lesion = (mask > 0).astype(np.uint8)
    size = max(3, int(RIM_BAND * min(lesion.shape)))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    inner = (lesion - cv2.erode(lesion, kernel)).astype(bool)
    outer = (cv2.dilate(lesion, kernel) - lesion).astype(bool)
    if not inner.any() or not outer.any():
        return float('nan')
    lab = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2LAB).astype(np.float32)
    return float(np.linalg.norm(lab[outer].mean(0) - lab[inner].mean(0)))


def dark_corners(image_bgr: np.ndarray) -> int:
    """How many of the four corner squares (a tenth of the shorter side)
    are darker than :data:`DARK_LEVEL`: the dermoscope's vignette."""
    gray = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY)
    c = max(4, min(gray.shape) // 10)
    corners = (gray[:c, :c], gray[:c, -c:], gray[-c:, :c], gray[-c:, -c:])
    return sum(int(x.mean() < DARK_LEVEL) for x in corners)


def hard_ids(data_root: str, split: str, ids: Sequence[str]) -> List[str]:
    """The full frames of ``ids`` with a pale rim or a dark vignette."""
    contrast, dark = [], []
    for i in ids:
        image = cv2.imread(osp.join(data_root, image_dir(split),
                                    i + IMAGE_SUFFIX))
        mask = cv2.imread(osp.join(data_root, mask_dir(split),
                                   mask_name(i)), cv2.IMREAD_GRAYSCALE)
        if image is None or mask is None:
            raise SystemExit(f'error: cannot read the image or mask of {i} '
                             f'under {data_root}: run tools/check_dataset.py '
                             'on the layout first')
        contrast.append(rim_contrast(image, mask > 128))
        dark.append(dark_corners(image))
    contrast = np.asarray(contrast)
    pale = contrast <= np.nanquantile(contrast, PALE_RIM_QUANTILE)
    return [i for i, p, d in zip(ids, pale, dark) if p or d >= DARK_CORNERS]


def main() -> None:
    args = parse_args()
    folder = osp.join(args.data_root, image_dir(args.split))
    if not osp.isdir(folder):
        raise SystemExit(f'error: {folder} does not exist: give the root of '
                         'an ISIC 2017 layout (e.g. ../shared/isic2017_real)')
    full, square = split_ids(folder)
    os.makedirs(args.out_dir, exist_ok=True)
    stem = f'isic2017_{args.split.lower()}'
    hard = hard_ids(args.data_root, args.split, full)
    for ids, kind in ((full, 'fullframe'), (square, 'crops'),
                      (hard, 'fullframe_hard')):
        path = osp.join(args.out_dir, f'{stem}_{kind}.txt')
        with open(path, 'w') as f:
            f.write(''.join(i + '\n' for i in ids))
        print(f'{path}: {len(ids)} images')


if __name__ == '__main__':
    main()
