"""Helpers shared by the benchmark scripts: timing, machine, test images.

Every figure is measured the same way: a warm-up (untimed), then several
timed runs, project and reference alternating in one process so that both
see the same machine load; the figure is the median.
"""
import glob
import json
import os
import os.path as osp
import platform
import shutil
import statistics
import time
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
import torch

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
#: The real ISIC sample beside the checkout (the tests use the same one).
SAMPLE_DIR = os.environ.get('ISIC_SAMPLE_DIR',
                            osp.join(REPO, '..', 'shared', 'isic_sample'))
#: Size of the ISIC 2017 full-resolution photos in the sample (w, h).
FULLRES_SIZE = (4288, 2848)


def sync(device: str) -> None:
    """Wait for queued GPU work, so that a clock reading means "done"."""
    if str(device).startswith('cuda'):
        torch.cuda.synchronize()


def time_call(fn: Callable[[], object], device: str = 'cpu') -> float:
    """Seconds one call of ``fn`` takes (GPU work included)."""
    sync(device)
    start = time.perf_counter()
    fn()
    sync(device)
    return time.perf_counter() - start


def alternate(fns: Dict[str, Callable[[], float]], repeats: int,
              warmup: int = 1) -> Dict[str, List[float]]:
    """Run measurements round-robin: warm-up rounds, then timed rounds.

    Args:
        fns (dict[str, Callable[[], float]]): Each returns one measurement
            (seconds or a rate); they are called in turn, ``name`` order
            kept, so drifting machine load hits all of them alike.
        repeats (int): Timed rounds.
        warmup (int): Untimed rounds first. Defaults to 1.

    Returns:
        dict[str, list[float]]: The ``repeats`` measurements of each.
    """
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    out: Dict[str, List[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            out[name].append(fn())
    return out


def median(values: Sequence[float]) -> float:
    """The median (NaN for no values)."""
    return statistics.median(values) if values else float('nan')


def paired_ratio(num: Sequence[float], den: Sequence[float]) -> float:
    """Median of the per-round ratios ``num[i] / den[i]``.

    Each round measured both sides back to back, so the per-round ratio
    cancels load that drifts between rounds.
    """
    return median([a / b for a, b in zip(num, den) if b])


def cpu_model() -> str:
    """The processor's name from ``/proc/cpuinfo`` (or ``platform``)."""
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info() -> Dict[str, object]:
    """What the figures were measured on."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    info: Dict[str, object] = dict(
        cpu=cpu_model(), cores=usable, torch_threads=torch.get_num_threads(),
        torch=torch.__version__, python=platform.python_version(),
        os=f'{platform.system()} {platform.release()}', gpu=None)
    if torch.cuda.is_available():
        info['gpu'] = torch.cuda.get_device_name(0)
        info['cuda'] = torch.version.cuda
    return info


def machine_line(info: Optional[Dict[str, object]] = None) -> str:
    """One line describing the machine, for tables and the README."""
    info = info or machine_info()
    gpu = f'GPU {info["gpu"]} (CUDA {info.get("cuda")})' if info.get(
        'gpu') else 'no GPU'
    return (f'{info["cpu"]}, {info["cores"]} cores, {info["torch_threads"]} '
            f'torch threads, torch {info["torch"]}, Python '
            f'{info["python"]}, {info["os"]}, {gpu}')


def resolve_device(device: str) -> str:
    """``device`` if usable here; 'cuda' without a GPU is an error."""
    if device.startswith('cuda') and not torch.cuda.is_available():
        raise SystemExit('--device cuda: no CUDA device on this machine')
    return device


def fullres_jpegs(out_dir: str, count: int) -> Dict[str, object]:
    """``count`` full-resolution dermoscopy JPEGs in ``out_dir``.

    Copies of the real 4288x2848 ISIC photos in ``SAMPLE_DIR/fullres``
    cycled to ``count`` files; where that folder is missing, two synthetic
    dermoscopy images rendered at 4288x2848 (JPEG quality 92, as the
    synthetic data set) stand in for them.

    Args:
        out_dir (str): Folder to fill (created).
        count (int): Number of files.

    Returns:
        dict: ``paths`` (the files), ``source`` (a description).
    """
    os.makedirs(out_dir, exist_ok=True)
    originals = sorted(
        glob.glob(osp.join(SAMPLE_DIR, 'fullres', 'images', '*.jpg')))
    if originals:
        source = (f'{len(originals)} real ISIC 2017 photos '
                  f'({"x".join(map(str, _jpeg_size(originals[0])))})')
    else:
        from PIL import Image

        from isic_plugins.testing import render_sample
        originals = []
        w, h = FULLRES_SIZE
        for i in range(2):
            img, _ = render_sample(np.random.default_rng(i), i, h, w)
            path = osp.join(out_dir, f'source_{i}.jpg.src')
            Image.fromarray(img).save(path, format='JPEG', quality=92)
            originals.append(path)
        source = f'2 synthetic images rendered at {w}x{h} (no real sample)'
    paths = []
    for i in range(count):
        path = osp.join(out_dir, f'ISIC_{i:07d}.jpg')
        shutil.copyfile(originals[i % len(originals)], path)
        paths.append(path)
    for path in glob.glob(osp.join(out_dir, '*.src')):
        os.remove(path)
    return dict(paths=paths, source=source)


def _jpeg_size(path: str):
    from PIL import Image
    with Image.open(path) as im:
        return im.size


def fmt(value: object, digits: int = 3) -> str:
    """A number with ``digits`` significant digits (text as it is)."""
    if isinstance(value, float):
        if value != value:
            return 'n/a'
        return f'{value:.{digits}g}' if abs(value) < 10**digits else \
            f'{value:.0f}'
    return str(value)


def print_rows(rows: List[Dict[str, object]]) -> None:
    """Print result rows as a markdown table (figure, project, reference,
    ratio, goal)."""
    print('| figure | this project | reference | ratio | goal |')
    print('|---|---|---|---|---|')
    for r in rows:
        print(f'| {r["figure"]} | {cell(r, "project")} | '
              f'{cell(r, "reference")} | {fmt(r.get("ratio"))} | '
              f'{goal_cell(r)} |')


def cell(row: Dict[str, object], side: str) -> str:
    """``row[side + '_text']``, or the bare number."""
    return str(row.get(f'{side}_text') or fmt(row.get(side)))


def goal_cell(row: Dict[str, object]) -> str:
    """The goal and whether it was met."""
    goal = row.get('goal')
    if not goal:
        return '-'
    passed = row.get('passed')
    return f'{goal} ' + ('(met)' if passed else '(NOT met)')


def run_benchmark(measure: Callable, parse_args: Callable,
                  argv: Optional[List[str]] = None) -> Dict[str, object]:
    """The ``main`` of every benchmark script: measure, print, save JSON.

    Args:
        measure (Callable): Takes the parsed arguments, returns the result
            dict with its table ``rows``.
        parse_args (Callable): The script's argument parser.
        argv (list[str], optional): Arguments; None reads ``sys.argv``.

    Returns:
        dict: The result.
    """
    args = parse_args(argv)
    result = measure(args)
    print_rows(result['rows'])
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(result, f, indent=2)
    return result
