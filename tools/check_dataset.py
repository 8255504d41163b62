"""Check every file a config reads; list all problems, exit 1 on errors.

    python tools/check_dataset.py CONFIG [--cfg-options k=v ...]
        [--splits train val test] [--workers N] [--errors-only]

For each dataset of the config's train/val/test dataloaders (ConcatDataset
members included) it checks the folders, image/mask pairs and CSVs, decodes
every image and mask, and compares each mask with its image as the pipeline
loads it. Each problem is printed with its file and a fix. Errors (the run
would crash or learn/score something wrong) make the exit status 1; notes
(conversions the loaders make: grayscale/RGBA/16-bit/CMYK images, EXIF
orientation, anti-aliased masks...) do not. Datasets run the cheap part of
these checks themselves when they are built.
"""
import argparse
import sys

from mmengine.config import DictAction

import isic_plugins  # noqa: F401  (registers the datasets)
from isic_plugins.data_check import SPLITS, ISICDatasetChecker, format_report
from isic_plugins.utils.config_loading import load_config


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Check the data sets of a config')
    parser.add_argument('config', help='config file')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, xxx=yyy format, e.g. '
        'train_dataloader.dataset.data_root=data/ISIC2017')
    parser.add_argument(
        '--splits', nargs='+', choices=SPLITS, default=list(SPLITS),
        help='dataloaders to check (default: all three)')
    parser.add_argument(
        '--workers', type=int, default=1,
        help='processes that decode the files (default 1)')
    parser.add_argument(
        '--errors-only', action='store_true',
        help='list only errors (notes are still counted)')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        cfg = load_config(args.config, args.cfg_options)
    except Exception as exc:  # noqa: BLE001 - a broken config, one line
        raise SystemExit(f'error: cannot load config {args.config}: {exc}')
    checker = ISICDatasetChecker(
        cfg, splits=args.splits, workers=args.workers,
        progress=sys.stdout.isatty() or args.workers > 1)
    checked, cross = checker.run()
    report, errors = format_report(checked, cross,
                                   show_notes=not args.errors_only)
    print(report)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
