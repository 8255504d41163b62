"""Downscale an ISIC folder offline, as Bi et al. did before training.

Segmentation (default): longer side to 500 px. Classification:
``--shorter-side 224``. The folder layout is mirrored (challenge or archive
layout alike), masks are resized with nearest neighbour, other files (CSVs)
copied, and every image's original size is recorded in
``DST/original_sizes.csv``. Outputs newer than their source are skipped.

    python tools/prepare_isic.py data/ISIC2017 data/ISIC2017_500
    python tools/prepare_isic.py data/ISIC2017 data/ISIC2017_224 \
        --shorter-side 224
"""
import argparse
import collections
import os

import mmengine

from isic_plugins.data_prep import plan_jobs, run_job, write_sizes


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src', help='ISIC folder to read')
    parser.add_argument('dst', help='folder to write (same layout)')
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        '--longer-side', type=int, default=None,
        help='longer side in px (segmentation; default 500)')
    size.add_argument(
        '--shorter-side', type=int, default=None,
        help='shorter side in px (classification, e.g. 224)')
    parser.add_argument(
        '--workers', type=int, default=os.cpu_count() or 1,
        help='parallel worker processes (default: all cores)')
    parser.add_argument(
        '--no-draft', action='store_true',
        help='decode JPEGs at full size before resizing (slower)')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    longer = args.longer_side
    if longer is None and args.shorter_side is None:
        longer = 500
    jobs = plan_jobs(args.src, args.dst, longer, args.shorter_side,
                     draft=not args.no_draft)
    if not jobs:
        raise SystemExit(f'{args.src}: no files to prepare')
    if args.workers > 1:
        results = mmengine.track_parallel_progress(
            run_job, jobs, nproc=args.workers, keep_order=True)
    else:
        results = mmengine.track_progress(run_job, jobs)
    path = write_sizes(results, jobs, args.dst)
    counts = collections.Counter(r[0] for r in results)
    print(f'\n{args.dst}: {counts["written"]} images written, '
          f'{counts["skipped"]} up to date, {counts["copied"]} other files '
          f'copied; original sizes in {path}')


if __name__ == '__main__':
    main()
