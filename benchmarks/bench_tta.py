"""ISICSegTTAModel vs mmseg's SegTTAModel: speed and agreement.

Both run the same segmentor on the same images with the views mmseg's
SegTTAModel can express (scales x {none, left-right, up-down}; it cannot
undo the diagonal flip). Ours runs with ``merge='per_view'``, the exact
merge, which is mmseg's (the default merge, at the working size, is
``bench_tta_fullres.py``'s subject); it is also timed with all 12 views (3
scales x 4 flips). Each figure is the median of ``--repeats`` timed runs
after a warm-up, measured side by side in one process.

    python benchmarks/bench_tta.py [--config C] [--checkpoint K] [--images DIR]
"""
import argparse
import glob
import json
import os.path as osp
import platform
import statistics
import time

import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmseg.registry import MODELS

import isic_plugins  # noqa: F401

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default=osp.join(
        REPO, 'configs/quickstart/seg_quick.py'))
    parser.add_argument('--checkpoint', help='weights (random if omitted)')
    parser.add_argument('--images', default=osp.join(
        REPO, '..', 'shared', 'isic_sample', 'images'))
    parser.add_argument('--num-images', type=int, default=6)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--json', help='also write the results here')
    return parser.parse_args()


def build_segmentor(cfg, checkpoint):
    model = MODELS.build(cfg.model)
    if checkpoint:
        load_checkpoint(model, checkpoint, map_location='cpu')
    else:
        model.init_weights()
    return model.eval()


def mmseg_tta(cfg, model, scales, paths):
    """mmseg's way: a TestTimeAug pipeline and SegTTAModel.merge_preds."""
    pipeline = Compose([
        dict(type='LoadImageFromFile'),
        dict(type='TestTimeAug', transforms=[
            [dict(type='Resize', scale=s, keep_ratio=True) for s in scales],
            [dict(type='RandomFlip', prob=0., direction='horizontal'),
             dict(type='RandomFlip', prob=1., direction='horizontal'),
             dict(type='RandomFlip', prob=1., direction='vertical')],
            [dict(type='PackSegInputs')]])
    ])
    tta = MODELS.build(dict(type='SegTTAModel', module=model))

    def run():
        preds = []
        for path in paths:
            data = pipeline(dict(img_path=path))
            # one image per batch, as mmseg's TTA test loop feeds it
            batch = {k: [[v] for v in vs] for k, vs in data.items()}
            with torch.no_grad():
                preds.append(tta.test_step(batch)[0])
        return preds
    return run


def ours_tta(model, scales, flips, paths):
    pipeline = Compose([dict(type='LoadImageFromFile'),
                        dict(type='PackSegInputs')])
    # the exact per-view merge, as mmseg's (the default merge, at the
    # working size, is bench_tta_fullres.py's subject)
    tta = MODELS.build(dict(type='ISICSegTTAModel', module=model,
                            scales=scales, flips=flips, chunk_size=4,
                            merge='per_view'))

    def run():
        preds = []
        for path in paths:
            preds.append(tta.test_step(
                pseudo_collate([pipeline(dict(img_path=path))]))[0])
        return preds
    return run


def timed(fn, repeats):
    fn()  # warm-up
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> None:
    args = parse_args()
    init_default_scope('mmseg')
    cfg = Config.fromfile(args.config)
    paths = sorted(glob.glob(osp.join(args.images, '*.jpg')))[:args.num_images]
    if not paths:
        raise SystemExit(f'no .jpg images in {args.images}')
    scales = [tuple(s) for s in cfg.tta_model.scales]
    model = build_segmentor(cfg, args.checkpoint)
    shared_flips = ['none', 'horizontal', 'vertical']

    t_mmseg, p_mmseg = timed(mmseg_tta(cfg, model, scales, paths),
                             args.repeats)
    t_ours, p_ours = timed(ours_tta(model, scales, shared_flips, paths),
                           args.repeats)
    t_ours12, _ = timed(
        ours_tta(model, scales, shared_flips + ['diagonal'], paths),
        args.repeats)

    agree = [float((a.pred_sem_seg.data == b.pred_sem_seg.data).float().mean())
             for a, b in zip(p_mmseg, p_ours)]
    result = dict(
        machine=f'{platform.processor() or platform.machine()}, '
        f'{torch.get_num_threads()} torch threads, torch {torch.__version__}',
        images=len(paths), scales=[list(s) for s in scales],
        mmseg_9_views_s=t_mmseg, ours_9_views_s=t_ours,
        ours_12_views_s=t_ours12, speedup_9_views=t_mmseg / t_ours,
        pixel_agreement_min=min(agree),
        identical_predictions=all(a == 1.0 for a in agree))
    print('| figure | value |\n|---|---|')
    for k, v in result.items():
        value = f'{v:.4f}' if isinstance(v, float) else v
        print(f'| {k} | {value} |')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(result, f, indent=2)


if __name__ == '__main__':
    main()
