"""Offline downscaling: tools/prepare_isic.py vs plain decode + resize.

Both sides turn the same full-resolution JPEGs (copies of the 4288x2848
ISIC 2017 photos in ``../shared/isic_sample/fullres``, or synthetic
4288x2848 renderings where that folder is missing) into JPEGs whose longer
side is 500 px, into a fresh output folder each time (so nothing is "up to
date" and skipped):

- **project**: what ``tools/prepare_isic.py SRC DST`` does, in-process:
  ``plan_jobs`` -> ``mmengine.track_parallel_progress(run_job, nproc=all
  cores)`` -> ``write_sizes``; each job opens the JPEG in PIL's draft mode
  (libjpeg decodes at 1/2, 1/4 or 1/8 scale), resizes with Lanczos and
  writes a quality-95 JPEG. The pool's start-up is inside the clock.
- **reference**: plain decode + resize in one process: ``cv2.imread``
  (full decode) -> ``cv2.resize(INTER_AREA)`` to the same size ->
  ``cv2.imwrite`` at quality 95.

A second pair isolates the decoder: ``run_job`` in one process with
``draft=True`` vs ``draft=False`` (full decode, then the same resize).

Images/s = files / seconds; each figure is the median of ``--repeats``
rounds after a warm-up round, the four measured in turn in each round;
ratios are medians of per-round ratios.

    python benchmarks/bench_prepare.py [--num-images 24] [--repeats 3]
"""
import argparse
import os
import os.path as osp
import shutil
import sys
import tempfile
import time
from typing import Dict, List, Optional

import cv2
import mmengine

from isic_plugins.data_prep import (
    DownscaleJob,
    plan_jobs,
    run_job,
    target_size,
    write_sizes,
)

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from benchutils import (  # noqa: E402
    alternate,
    fmt,
    fullres_jpegs,
    machine_info,
    median,
    paired_ratio,
    run_benchmark,
)

LONGER = 500


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--num-images', type=int, default=24,
                        help='full-resolution JPEGs per run (default 24)')
    parser.add_argument('--workers', type=int, default=os.cpu_count() or 1,
                        help='prepare_isic.py workers (default: all cores, '
                        "as the tool's default)")
    parser.add_argument('--repeats', type=int, default=3,
                        help='timed rounds (default 3)')
    parser.add_argument('--json', help='also write the results here')
    return parser.parse_args(argv)


def prepare_isic(src: str, dst: str, workers: int) -> None:
    """``tools/prepare_isic.py src dst`` (longer side 500), minus printing."""
    jobs = plan_jobs(src, dst, LONGER, None, draft=True)
    if workers > 1:
        with open(os.devnull, 'w') as quiet:
            results = mmengine.track_parallel_progress(
                run_job, jobs, nproc=workers, keep_order=True, file=quiet)
    else:
        results = [run_job(job) for job in jobs]
    write_sizes(results, jobs, dst)


def plain_resize(paths: List[str], dst: str) -> None:
    """The reference: full decode, area resize, write; one process."""
    os.makedirs(dst, exist_ok=True)
    for path in paths:
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        h, w = img.shape[:2]
        small = cv2.resize(img, target_size(w, h, LONGER, None),
                           interpolation=cv2.INTER_AREA)
        cv2.imwrite(osp.join(dst, osp.basename(path)), small,
                    [cv2.IMWRITE_JPEG_QUALITY, 95])


def single_process(paths: List[str], dst: str, draft: bool) -> None:
    """``run_job`` on each file in this process."""
    os.makedirs(dst, exist_ok=True)
    for path in paths:
        run_job(DownscaleJob(path, osp.join(dst, osp.basename(path)), LONGER,
                             None, draft))


def measure(args: argparse.Namespace) -> Dict[str, object]:
    """Run the four measurements; return figures and result rows."""
    with tempfile.TemporaryDirectory(prefix='bench_prepare_') as tmp:
        src = osp.join(tmp, 'src')
        sample = fullres_jpegs(src, args.num_images)
        paths = sample['paths']
        n = len(paths)

        def images_per_s(fn) -> float:
            dst = tempfile.mkdtemp(dir=tmp, prefix='out_')
            start = time.perf_counter()
            fn(dst)
            seconds = time.perf_counter() - start
            shutil.rmtree(dst)
            return n / seconds

        runs = alternate(dict(
            project=lambda: images_per_s(
                lambda d: prepare_isic(src, d, args.workers)),
            reference=lambda: images_per_s(lambda d: plain_resize(paths, d)),
            draft=lambda: images_per_s(
                lambda d: single_process(paths, d, True)),
            full=lambda: images_per_s(
                lambda d: single_process(paths, d, False)),
        ), repeats=args.repeats)

    ratio = paired_ratio(runs['project'], runs['reference'])
    draft_ratio = paired_ratio(runs['draft'], runs['full'])
    rows = [
        dict(key='prepare_throughput', device='cpu',
             figure=(f'tools/prepare_isic.py on {n} full-res JPEGs '
                     f'({sample["source"]}) to 500 px, images/s'),
             project=median(runs['project']), project_text=(
                 f'{fmt(median(runs["project"]))} img/s ({args.workers} '
                 'processes, draft decoding, Lanczos, write)'),
             reference=median(runs['reference']), reference_text=(
                 f'{fmt(median(runs["reference"]))} img/s (1 process: '
                 'cv2.imread full decode + cv2.resize INTER_AREA + '
                 'cv2.imwrite q95)'),
             ratio=ratio, goal='>= 3', passed=ratio >= 3),
        dict(key='prepare_draft_decoding', device='cpu',
             figure='JPEG draft decoding alone: run_job draft vs full '
             'decode, 1 process, images/s',
             project=median(runs['draft']), project_text=(
                 f'{fmt(median(runs["draft"]))} img/s (draft=True)'),
             reference=median(runs['full']), reference_text=(
                 f'{fmt(median(runs["full"]))} img/s (draft=False)'),
             ratio=draft_ratio, goal=None, passed=None),
    ]
    return dict(benchmark='prepare', device='cpu', machine=machine_info(),
                images=n, source=sample['source'], workers=args.workers,
                repeats=args.repeats, images_per_s=runs, rows=rows)


def main(argv: Optional[List[str]] = None) -> Dict[str, object]:
    return run_benchmark(measure, parse_args, argv)


if __name__ == '__main__':
    main()
