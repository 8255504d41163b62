"""Segment (and classify) new dermoscopy images.

    python tools/predict.py IMAGE_OR_DIR --seg-config C --seg-checkpoint K \
        [--cls-config C --cls-checkpoint K] [--tta] [--masks-only] --out DIR

Writes, for every image, ``DIR/masks/<id>_segmentation.png`` (0/255, the
image's original size: the ISIC submission format), ``DIR/overlays/
<id>_overlay.jpg`` (predicted outline in red) and, with a classifier,
``DIR/predictions.csv`` (``image_id,melanoma,seborrheic_keratosis``).
``--masks-only`` writes the masks (and ``lesions.csv``) alone: the cache
that the classification dataset's ``lesion_mask_dir`` reads for
``LesionCrop``. Masks already in ``DIR/masks`` are kept, so an interrupted
run goes on where it stopped.
"""
import argparse
import glob
import os
import os.path as osp
from typing import List

import cv2
import pandas as pd
from rich.progress import track

from isic_plugins.apis import LesionSegmenter
from isic_plugins.datasets.isic_layout import (
    image_id_of,
    lesion_mask_dir,
    mask_name,
    write_submission_mask,
)
from isic_plugins.visualization import draw_lesion_overlay

IMAGE_EXTS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    parser.add_argument('inputs', help='an image or a folder of images')
    parser.add_argument('--seg-config', required=True)
    parser.add_argument('--seg-checkpoint', required=True)
    parser.add_argument('--cls-config', help='classifier or ensemble config')
    parser.add_argument('--cls-checkpoint')
    parser.add_argument('--tta', action='store_true',
                        help="segment with the config's multi-scale + flip "
                        'TTA')
    parser.add_argument('--masks-only', action='store_true',
                        help='write the masks only (no overlays), keeping '
                        'those already written: the lesion-mask cache of '
                        'segmentation-guided classification')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--out', required=True, help='output folder')
    return parser.parse_args()


def list_images(path: str) -> List[str]:
    """The image files named by ``path`` (a file or a folder), sorted."""
    if osp.isfile(path):
        return [path]
    if not osp.isdir(path):
        raise SystemExit(f'error: {path!r} is neither an image nor a folder')
    files = sorted(f for f in glob.glob(osp.join(path, '*'))
                   if f.lower().endswith(IMAGE_EXTS))
    if not files:
        raise SystemExit(
            f'error: no images ({", ".join(IMAGE_EXTS)}) in {path}')
    return files


def main() -> None:
    args = parse_args()
    if bool(args.cls_config) != bool(args.cls_checkpoint):
        raise SystemExit('error: give both --cls-config and --cls-checkpoint')
    images = list_images(args.inputs)
    segmenter = LesionSegmenter(args.seg_config, args.seg_checkpoint,
                                tta=args.tta, device=args.device)
    classifier = None
    if args.cls_config:
        from isic_plugins.apis import LesionClassifier
        classifier = LesionClassifier(args.cls_config, args.cls_checkpoint,
                                      device=args.device)
    if args.masks_only and classifier is not None:
        raise SystemExit('error: --masks-only writes no class probabilities; '
                         'drop --cls-config/--cls-checkpoint or --masks-only')
    mask_dir = lesion_mask_dir(args.out)
    overlay_dir = osp.join(args.out, 'overlays')
    os.makedirs(mask_dir, exist_ok=True)
    if not args.masks_only:
        os.makedirs(overlay_dir, exist_ok=True)
    rows = []
    for path in track(images, description='predicting'):
        image_id = image_id_of(path)
        cached = osp.join(mask_dir, mask_name(image_id))
        if args.masks_only and osp.isfile(cached):
            mask = cv2.imread(cached, cv2.IMREAD_GRAYSCALE)
            rows.append(dict(image_id=image_id,
                             lesion_fraction=float((mask > 128).mean())))
            continue
        seg = segmenter(path)
        write_submission_mask(seg['mask'], mask_dir, image_id)
        if not args.masks_only:
            overlay = draw_lesion_overlay(
                cv2.imread(path,
                           cv2.IMREAD_COLOR | cv2.IMREAD_IGNORE_ORIENTATION),
                seg['mask'])
            cv2.imwrite(osp.join(overlay_dir, f'{image_id}_overlay.jpg'),
                        overlay)
        row = dict(image_id=image_id,
                   lesion_fraction=float((seg['mask'] > 0).mean()))
        if classifier is not None:
            row.update(classifier(path))
        rows.append(row)
    table = pd.DataFrame(rows)
    if classifier is not None:
        table[['image_id', 'melanoma', 'seborrheic_keratosis']].to_csv(
            osp.join(args.out, 'predictions.csv'), index=False)
    table.to_csv(osp.join(args.out, 'lesions.csv'), index=False)
    written = [f'masks in {mask_dir}']
    if not args.masks_only:
        written.append(f'overlays in {overlay_dir}')
    if classifier is not None:
        written.append('class probabilities in '
                       f'{osp.join(args.out, "predictions.csv")}')
    print(f'{len(images)} images: ' + ', '.join(written))


if __name__ == '__main__':
    main()
