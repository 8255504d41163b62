"""K-fold cross-validation of a segmentation config on a small real set.

    python tools/cross_validate.py CONFIG DATA_DIR --folds 5 [--tta]
        [--work-dir DIR] [--seed 0] [--cfg-options k=v ...]

``DATA_DIR`` is an ISIC 2017 layout (its ``Training`` image and Part 1 mask
folders, named as in :mod:`isic_plugins.datasets.isic_layout`) or a folder
with ``images/`` and ``masks/`` (like ``../shared/isic_sample``). The images are split into K
folds (shuffled with ``--seed``); for each fold the config is trained on the
other folds with ``tools/train.py`` and scored on the held-out fold with
``tools/test.py`` (and again with ``--tta``), so every image is scored
exactly once by a model that never saw it. Prints the ISIC per-image mean
Jaccard per fold and the mean and spread over folds, with the time each
took, and writes ``cv_results.json`` in the work dir.
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import time
from typing import Dict, List, Tuple

import numpy as np
from mmengine.config import DictAction

from isic_plugins.datasets import isic_layout
from isic_plugins.utils.kfold import make_folds

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='segmentation config to evaluate')
    parser.add_argument('data_dir', help='ISIC 2017 layout or images/+masks/')
    parser.add_argument('--folds', type=int, default=5)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--tta', action='store_true',
                        help="also score with the config's tta_model")
    parser.add_argument('--work-dir', help='default: work_dirs/cv_<config>')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, default={},
        help='passed to every tools/train.py and tools/test.py run')
    return parser.parse_args()


def layout(data_dir: str) -> Tuple[str, str]:
    """Image and mask folder names inside ``data_dir``."""
    train = isic_layout.SPLIT_NAMES['train']
    layouts = ((isic_layout.image_dir(train), isic_layout.mask_dir(train)),
               (isic_layout.ARCHIVE_IMAGE_DIR, isic_layout.ARCHIVE_MASK_DIR))
    for img, mask in layouts:
        if osp.isdir(osp.join(data_dir, img)) and osp.isdir(
                osp.join(data_dir, mask)):
            return img, mask
    raise SystemExit(f'error: {data_dir} has neither ' + ' nor '.join(
        f'{img}/+{mask}/' for img, mask in layouts))


def split_options(split: str, data_dir: str, img: str, mask: str,
                  indices: List[int]) -> List[str]:
    prefix = f'{split}_dataloader.dataset'
    return [f'{prefix}.data_root={data_dir}',
            f'{prefix}.data_prefix.img_path={img}',
            f'{prefix}.data_prefix.seg_map_path={mask}',
            f'{prefix}.indices={json.dumps(indices)}']


def run(cmd: List[str]) -> float:
    """Run a tool; stop with its error output if it fails. Returns seconds."""
    start = time.perf_counter()
    res = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if res.returncode:
        sys.stderr.write(res.stdout[-2000:] + res.stderr[-4000:])
        raise SystemExit(f'error: {" ".join(cmd[1:3])} failed')
    return time.perf_counter() - start


def main() -> None:
    args = parse_args()
    data_dir = osp.abspath(args.data_dir)
    img, mask = layout(data_dir)
    # the datasets read <id>.jpg, sorted: fold indices refer to that order
    n = len([f for f in os.listdir(osp.join(data_dir, img))
             if f.endswith('.jpg')])
    try:
        folds = make_folds(n, args.folds, args.seed)
    except ValueError as exc:
        raise SystemExit(f'error: {exc}')
    name = osp.splitext(osp.basename(args.config))[0]
    work = osp.abspath(args.work_dir or osp.join('work_dirs', f'cv_{name}'))
    extra = [f'{k}={json.dumps(v) if isinstance(v, (list, dict)) else v}'
             for k, v in args.cfg_options.items()]
    py = sys.executable
    results: List[Dict] = []
    for k, held_out in enumerate(folds):
        train_idx = sorted(set(range(n)) - set(held_out))
        fold_dir = osp.join(work, f'fold_{k}')
        opts = (split_options('train', data_dir, img, mask, train_idx) +
                split_options('val', data_dir, img, mask, held_out) +
                split_options('test', data_dir, img, mask, held_out) + extra)
        t_train = run([py, 'tools/train.py', args.config, '--work-dir',
                       fold_dir, '--cfg-options', *opts])
        with open(osp.join(fold_dir, 'last_checkpoint')) as f:
            ckpt = f.read().strip()
        row = dict(fold=k, images=len(held_out), train_s=t_train)
        views = [('single', [])] + ([('tta', ['--tta'])] if args.tta else [])
        for tag, flag in views:
            test_dir = osp.join(fold_dir, f'test_{tag}')
            row[f'{tag}_s'] = run([py, 'tools/test.py', args.config, ckpt,
                                   '--work-dir', test_dir, *flag,
                                   '--cfg-options', *opts])
            with open(osp.join(test_dir, 'metrics.json')) as f:
                row[f'{tag}_jaccard'] = json.load(f)['isic/jaccard']
        results.append(row)
        print(f'fold {k}: ' + ', '.join(
            f'{key} {val:.4f}' if isinstance(val, float) else f'{key} {val}'
            for key, val in row.items() if key != 'fold'), flush=True)

    summary = dict(config=args.config, data_dir=data_dir, folds=args.folds,
                   seed=args.seed, per_fold=results)
    lines = ['| | ' + ' | '.join(f'fold {r["fold"]}' for r in results) +
             ' | mean | std |', '|---|' + '---|' * (len(results) + 2)]
    for tag in ('single', 'tta') if args.tta else ('single', ):
        values = np.array([r[f'{tag}_jaccard'] for r in results])
        summary[f'{tag}_jaccard_mean'] = float(values.mean())
        summary[f'{tag}_jaccard_std'] = float(values.std(ddof=1))
        lines.append(f'| Jaccard ({tag}) | ' + ' | '.join(
            f'{v:.3f}' for v in values) +
            f' | {values.mean():.3f} | {values.std(ddof=1):.3f} |')
    times = np.array([r['train_s'] for r in results])
    lines.append('| train time (s) | ' + ' | '.join(f'{t:.0f}' for t in times)
                 + f' | {times.mean():.0f} | |')
    os.makedirs(work, exist_ok=True)
    with open(osp.join(work, 'cv_results.json'), 'w') as f:
        json.dump(summary, f, indent=2)
    print('\n'.join(lines))
    print(f'\nresults: {osp.join(work, "cv_results.json")}')


if __name__ == '__main__':
    main()
