"""K-fold cross-validation of a segmentation config on a small real set.

    python tools/cross_validate.py CONFIG DATA_DIR --folds 5 [--tta]
        [--work-dir DIR] [--seed 0] [--cfg-options k=v ...]

``DATA_DIR`` is an ISIC 2017 layout (its ``Training`` image and Part 1 mask
folders, named as in :mod:`isic_plugins.datasets.isic_layout`) or a folder
with ``images/`` and ``masks/`` (like ``../shared/isic_sample``). The images
the config's dataset reads there are split into K folds by mmpretrain's
``KFoldDataset`` wrapped around it (shuffled with ``--seed``); for each fold
the config is trained on the other folds with ``tools/train.py`` and scored
on the held-out fold with ``tools/test.py`` (and again with ``--tta``), so
every image is scored exactly once by a model that never saw it. The config
each fold ran is written to ``<work dir>/configs/``. Prints the ISIC
per-image mean Jaccard per fold and the mean and spread over folds, with the
time each took, and writes ``cv_results.json`` in the work dir.
"""
import argparse
import copy
import json
import os
import os.path as osp
import subprocess
import sys
import time
from typing import Dict, List, Tuple

import numpy as np
from mmengine.config import Config, DictAction
from mmengine.registry import DATASETS, init_default_scope

import isic_plugins  # noqa: F401  (registers the datasets)
from isic_plugins.datasets import DataProblemError, isic_layout

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


def data_options(data_dir: str, img: str, mask: str) -> Dict[str, str]:
    """Point the train, val and test datasets at ``data_dir``."""
    options = {}
    for split in ('train', 'val', 'test'):
        prefix = f'{split}_dataloader.dataset'
        options.update({f'{prefix}.data_root': data_dir,
                        f'{prefix}.data_prefix.img_path': img,
                        f'{prefix}.data_prefix.seg_map_path': mask})
    return options


def fold_config(cfg: Config, fold: int, num_splits: int,
                seed: int) -> Config:
    """``cfg`` trained on all folds but ``fold`` and scored on ``fold``.

    Each dataloader's dataset is wrapped in mmpretrain's ``KFoldDataset``
    (the training folds for ``train_dataloader``, the held-out fold
    (``test_mode``) for ``val_dataloader`` and ``test_dataloader``); with
    the same ``seed`` all three split the same built image list.
    ``tools/test.py --tta`` sets the config's ``tta_pipeline`` on the
    wrapped dataset (:func:`~isic_plugins.utils.tta_wrapping.apply_tta`).

    Args:
        cfg (Config): The config, its datasets pointed at the data.
        fold (int): The held-out fold, 0 <= fold < num_splits.
        num_splits (int): Number of folds.
        seed (int): Seed of the shuffle before splitting.

    Returns:
        Config: A new config.
    """
    cfg = copy.deepcopy(cfg)
    for split, test_mode in (('train', False), ('val', True),
                             ('test', True)):
        loader = copy.deepcopy(cfg[f'{split}_dataloader'])
        # the runner builds it in mmseg's scope; the prefix finds mmpretrain's
        loader['dataset'] = dict(
            type='mmpretrain.KFoldDataset',
            dataset=loader['dataset'],
            fold=fold,
            num_splits=num_splits,
            test_mode=test_mode,
            seed=seed)
        cfg[f'{split}_dataloader'] = loader
    return cfg


def build_dataset(cfg: Config, dataset: dict):
    """Build ``dataset`` as the runner of ``cfg`` would."""
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    try:
        return DATASETS.build(copy.deepcopy(dataset))
    except DataProblemError as exc:
        raise SystemExit(f'error: {exc}')


def image_paths(dataset) -> List[str]:
    """The image of every sample of ``dataset``, in its order."""
    return [dataset.get_data_info(i)['img_path'] for i in range(len(dataset))]


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
    cfg = Config.fromfile(args.config)
    cfg.merge_from_dict(data_options(data_dir, img, mask))
    cfg.merge_from_dict(args.cfg_options)
    images = set(image_paths(build_dataset(cfg, cfg.test_dataloader.dataset)))
    n = len(images)
    if not 2 <= args.folds <= n:
        raise SystemExit(
            f'error: need 2 <= folds <= {n} images, got {args.folds}')
    name = osp.splitext(osp.basename(args.config))[0]
    work = osp.abspath(args.work_dir or osp.join('work_dirs', f'cv_{name}'))
    config_dir = osp.join(work, 'configs')
    os.makedirs(config_dir, exist_ok=True)
    py = sys.executable
    results: List[Dict] = []
    for k in range(args.folds):
        fold_dir = osp.join(work, f'fold_{k}')
        fold_cfg = fold_config(cfg, k, args.folds, args.seed)
        train = set(image_paths(build_dataset(
            cfg, fold_cfg.train_dataloader.dataset)))
        held_out = image_paths(build_dataset(
            cfg, fold_cfg.test_dataloader.dataset))
        if train & set(held_out) or train | set(held_out) != images:
            raise SystemExit(
                f'error: fold {k}: the training and held-out images do not '
                f'split the {n} images; do the train and test datasets of '
                f'{args.config} read the same images?')
        config = osp.join(config_dir, f'{name}_fold{k}.py')
        fold_cfg.dump(config)
        t_train = run([py, 'tools/train.py', config, '--work-dir', fold_dir])
        with open(osp.join(fold_dir, 'last_checkpoint')) as f:
            ckpt = f.read().strip()
        row = dict(fold=k, images=len(held_out), train_s=t_train)
        for tag in ('single', 'tta') if args.tta else ('single', ):
            test_dir = osp.join(fold_dir, f'test_{tag}')
            flag = ['--tta'] if tag == 'tta' else []
            row[f'{tag}_s'] = run([py, 'tools/test.py', config, ckpt,
                                   '--work-dir', test_dir, *flag])
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
    with open(osp.join(work, 'cv_results.json'), 'w') as f:
        json.dump(summary, f, indent=2)
    print('\n'.join(lines))
    print(f'\nresults: {osp.join(work, "cv_results.json")}')


if __name__ == '__main__':
    main()
