"""Segment (and classify) new dermoscopy images.

    python tools/predict.py IMAGE_OR_DIR --seg-config C --seg-checkpoint K \
        [--cls-config C --cls-checkpoint K] [--tta] [--masks-only] --out DIR
    python tools/predict.py IMAGE_OR_DIR --backend onnxruntime \
        --seg-checkpoint SEG.onnx [--cls-checkpoint CLS.onnx ...] [--tta] \
        --out DIR

``--backend onnxruntime`` runs models exported by ``tools/export_onnx.py``
with ONNX Runtime, without torch or the OpenMMLab stack (``pip install
'isic_plugins[onnx]'``); the configs are then optional: given, each file
is checked to come from its config's model. ``--cls-checkpoint`` takes the
three member files of an exported ensemble. Lesion-crop classifiers
(``LesionCrop`` in their test pipeline) get the mask just predicted.

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

from isic_plugins.apis.image_file import check_image_file
from isic_plugins.isic_layout import (
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
    parser.add_argument('--seg-config',
                        help='segmentation config (optional with '
                        '--backend onnxruntime: checks the .onnx against it)')
    parser.add_argument('--seg-checkpoint', required=True,
                        help='.pth, or .onnx with --backend onnxruntime')
    parser.add_argument('--cls-config', help='classifier or ensemble config')
    parser.add_argument('--cls-checkpoint', nargs='+',
                        help='.pth, or .onnx with --backend onnxruntime '
                        "(an exported ensemble's three member files)")
    parser.add_argument('--backend', choices=['pytorch', 'onnxruntime'],
                        default='pytorch',
                        help='pytorch (configs + .pth checkpoints) or '
                        'onnxruntime (.onnx files of tools/export_onnx.py)')
    parser.add_argument('--threads', type=int,
                        help='ONNX Runtime threads (default: '
                        'OMP_NUM_THREADS, else one per core)')
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


def check_model_files(args: argparse.Namespace) -> None:
    """Refuse model files of the other backend, and (ONNX Runtime) files
    exported from another model than the config given with them."""
    onnx = args.backend == 'onnxruntime'
    files = [args.seg_checkpoint] + list(args.cls_checkpoint or [])
    for path in files:
        if path.endswith('.onnx') != onnx:
            raise SystemExit(
                f'error: {path} is {"not " if onnx else ""}an ONNX file; '
                + ('export it with tools/export_onnx.py CONFIG CHECKPOINT '
                   'OUT.onnx' if onnx else 'run it with --backend '
                   'onnxruntime'))
    if not onnx:
        if not args.seg_config:
            raise SystemExit('error: --seg-config is needed with the '
                             'pytorch backend')
        if args.cls_checkpoint and len(args.cls_checkpoint) > 1:
            raise SystemExit('error: the pytorch backend takes one '
                             '--cls-checkpoint (build an ensemble with '
                             'tools/build_ensemble.py)')
        return
    pairs = [(args.seg_config, [args.seg_checkpoint])]
    if args.cls_config:
        pairs.append((args.cls_config, args.cls_checkpoint))
    for config, paths in pairs:
        if config:
            check_onnx_against_config(config, paths)


def check_onnx_against_config(config: str, paths: List[str]) -> None:
    """Refuse ``.onnx`` files whose model is not the one of ``config``."""
    try:
        from mmengine.config import Config

        from isic_plugins.deploy import model_digest
    except ImportError:
        raise SystemExit(
            f'error: checking the .onnx files against {config} needs the '
            'OpenMMLab stack; without it, leave the config out (the .onnx '
            'file holds all it needs)') from None
    from isic_plugins.apis.ort_model import ORTModel
    digest = model_digest(Config.fromfile(config).model)
    for path in paths:
        card = ORTModel.read_card(path)
        if card.model_digest != digest:
            raise SystemExit(
                f'error: {path} was exported from {card.source_config} '
                f'({card.source_checkpoint}), whose model differs from the '
                f'model of {config}; give the config the file was exported '
                'from, or export this config\'s checkpoint')


def build_models(args: argparse.Namespace):
    """The segmenter and the classifier (None) of the chosen backend."""
    classifier = None
    if args.backend == 'onnxruntime':
        from isic_plugins.apis import ORTLesionClassifier, ORTLesionSegmenter
        segmenter = ORTLesionSegmenter(args.seg_checkpoint, tta=args.tta,
                                       threads=args.threads)
        if args.cls_checkpoint:
            classifier = ORTLesionClassifier(args.cls_checkpoint,
                                             threads=args.threads)
        return segmenter, classifier
    from isic_plugins.apis import LesionClassifier, LesionSegmenter
    from isic_plugins.utils import CheckpointMismatchError
    try:
        segmenter = LesionSegmenter(args.seg_config, args.seg_checkpoint,
                                    tta=args.tta, device=args.device)
        if args.cls_config:
            classifier = LesionClassifier(args.cls_config,
                                          args.cls_checkpoint[0],
                                          device=args.device)
    except CheckpointMismatchError as exc:
        raise SystemExit(f'error: {exc}') from None
    return segmenter, classifier


def classify(classifier, path: str, mask, mask_path: str):
    """Task probabilities; lesion-crop models get the predicted mask (the
    array for ONNX Runtime, the file just written for PyTorch)."""
    if hasattr(classifier, 'models'):  # ONNX Runtime
        return classifier(path, lesion_mask=mask)
    return classifier(path, lesion_mask_path=mask_path)


def main() -> None:
    args = parse_args()
    if args.backend == 'pytorch' and bool(args.cls_config) != bool(
            args.cls_checkpoint):
        raise SystemExit('error: give both --cls-config and --cls-checkpoint')
    if args.cls_config and not args.cls_checkpoint:
        raise SystemExit('error: --cls-config without --cls-checkpoint')
    check_model_files(args)
    images = list_images(args.inputs)
    try:
        segmenter, classifier = build_models(args)
    except (ValueError, FileNotFoundError) as exc:
        raise SystemExit(f'error: {exc}') from None
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
        try:
            # one message for either backend: empty, truncated, too large,
            # not an image
            check_image_file(path)
            seg = segmenter(path)
        except ValueError as exc:
            print(f'skipped: {exc}')
            continue
        mask_path = write_submission_mask(seg['mask'], mask_dir, image_id)
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
            row.update(classify(classifier, path, seg['mask'], mask_path))
        rows.append(row)
    if not rows:
        raise SystemExit('error: no image could be read')
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
    skipped = len(images) - len(rows)
    print(f'{len(rows)} images' + (f' ({skipped} skipped)' if skipped else '')
          + ': ' + ', '.join(written))


if __name__ == '__main__':
    main()
