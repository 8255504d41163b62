"""Write the full-frame / square-crop split files of an ISIC 2017 split.

The shared real set stores most challenge images as 512x512 centre crops
and keeps about a sixth at their true proportions (full frames: 4:3 or 3:2,
with the vignette, rulers and hairs users' photographs have). This writes
two mmseg split files (``ann_file``: one image id per line) from the image
sizes, read from the file headers:

    OUT/isic2017_<split>_fullframe.txt   images that are not square
    OUT/isic2017_<split>_crops.txt       square images (the rest)

The real-data configs hold the full-frame training images out of training
(``..._crops.txt``) and score the models on them (``..._fullframe.txt``)::

    python tools/make_fullframe_split.py ../shared/isic2017_real \\
        configs/_base_/datasets/splits
"""
import argparse
import os
import os.path as osp

from PIL import Image

from isic_plugins.datasets.isic_layout import IMAGE_SUFFIX, image_dir


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


def main() -> None:
    args = parse_args()
    folder = osp.join(args.data_root, image_dir(args.split))
    if not osp.isdir(folder):
        raise SystemExit(f'error: {folder} does not exist: give the root of '
                         'an ISIC 2017 layout (e.g. ../shared/isic2017_real)')
    full, square = split_ids(folder)
    os.makedirs(args.out_dir, exist_ok=True)
    stem = f'isic2017_{args.split.lower()}'
    for ids, kind in ((full, 'fullframe'), (square, 'crops')):
        path = osp.join(args.out_dir, f'{stem}_{kind}.txt')
        with open(path, 'w') as f:
            f.write(''.join(i + '\n' for i in ids))
        print(f'{path}: {len(ids)} images')


if __name__ == '__main__':
    main()
