"""Write a synthetic data set in the ISIC 2017 challenge layout.

Example::

    python tools/make_synthetic_isic.py data/isic2017_synth \\
        --num-train 100 --num-val 30 --num-test 30 --seed 0
    # a stand-in for ISIC archive images (images/, masks/, metadata.csv)
    python tools/make_synthetic_isic.py data/isic_archive_synth \\
        --archive 200 --seed 1
"""

from __future__ import annotations

import argparse
import json
import time

from isic_plugins.testing import (
    make_synthetic_isic,
    make_synthetic_isic_archive,
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse command-line arguments.

    Args:
        argv: Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns:
        The parsed namespace.
    """
    parser = argparse.ArgumentParser(
        description='Generate synthetic dermoscopy images, lesion masks and '
        'Part 3 labels in the ISIC 2017 folder layout.')
    parser.add_argument('out_dir', help='output root folder')
    parser.add_argument('--num-train', type=int, default=100)
    parser.add_argument('--num-val', type=int, default=30)
    parser.add_argument('--num-test', type=int, default=30)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--archive', type=int, metavar='N', default=None,
        help='write N images in the ISIC archive layout (images/, masks/, '
        'metadata.csv) instead of the challenge layout')
    parser.add_argument('--min-size', type=int, default=320,
                        help='smallest longer image side in pixels')
    parser.add_argument('--max-size', type=int, default=1100,
                        help='largest longer image side in pixels')
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Generate the data set and print a summary.

    Args:
        argv: Arguments without the program name; ``None`` reads ``sys.argv``.
    """
    args = parse_args(argv)
    start = time.perf_counter()
    if args.archive is not None:
        summary = make_synthetic_isic_archive(
            args.out_dir, num_images=args.archive, seed=args.seed,
            min_size=args.min_size, max_size=args.max_size)
        print(json.dumps(summary, indent=2))
        print(f'Wrote {args.archive} archive images to {args.out_dir} in '
              f'{time.perf_counter() - start:.1f} s')
        return
    summary = make_synthetic_isic(
        args.out_dir,
        num_train=args.num_train,
        num_val=args.num_val,
        num_test=args.num_test,
        seed=args.seed,
        min_size=args.min_size,
        max_size=args.max_size)
    elapsed = time.perf_counter() - start
    print(json.dumps(summary, indent=2))
    print(f'Wrote {summary["total"]["num_images"]} images to '
          f'{summary["out_dir"]} in {elapsed:.1f} s')


if __name__ == '__main__':
    main()
