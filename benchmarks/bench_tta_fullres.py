"""Full-resolution TTA: merging the views once vs once per view.

``ISICSegTTAModel`` averages its views (scales x flips) either at the
network's working resolution, the average resized to the original size once
(``merge='working'``, the default), or each view resized to the original
size and averaged there (``merge='per_view'``, the exact merge). On a
4288x2848 photo the second pays a full-size resize and softmax per view.

1. **Speed and memory** on one 4288x2848 photo (the first of the real ISIC
   2017 photos in ``../shared/isic_sample/fullres``; two synthetic ones where
   that folder is missing), image decoded and packed beforehand, for each
   model of ``--models``:

   - ``trained``: the EfficientNet-Lite0 segmentor of ``--config`` with
     ``--checkpoint`` (the real-data model, scales of its ``tta_model``;
     random weights, said so, where the checkpoint is missing);
   - ``paper``: the paper's ResNet-50 segmentor of ``configs/seg_stage2.py``
     (random weights: speed needs none) at 400/500/600 px.

   Timed, each with ``ISICSegTTAModel.test_step``: 1 view (the middle
   scale, no flip) and 12 views (3 scales x 4 flips), each merge. The floor:
   the same 12 (or 1) network forwards alone, ``ISICSegTTAModel._forward``
   (the segmentor's data preprocessor + ``inference``, logits at the view's
   size) on views rescaled and flipped beforehand, in the same chunks.
   Ratio of the headline row = 12-view TTA time / its 12 forwards (goal
   <= 1.25). Peak memory: resident memory at its peak during one call above
   the level before it (Linux ``VmHWM`` after resetting it through
   ``/proc/self/clear_refs``), in MiB.

2. **Agreement** (``trained`` model): the masks of both merges, pixel by
   pixel, on the full-resolution photos and on the first ``--num-real``
   images of ``../shared/isic2017_real/ISIC-2017_Test_v2_Data``, and each
   merge's mean Jaccard against the ground truth there (ISIC's per-image
   Jaccard, ``isic_plugins.evaluation.per_image_scores``). Goals: >= 99.9%
   of pixels on every image set, mean Jaccard equal to 0.001.

Timed calls run in turn in each round after a warm-up round; figures are
medians, ratios medians of per-round ratios. Run with ``OMP_NUM_THREADS=1``
on a busy machine: absolute times then drift with the load, ratios measured
side by side in one run stay meaningful.

    python benchmarks/bench_tta_fullres.py [--models trained paper]
        [--num-real 50] [--repeats 3] [--json out.json]
"""
import argparse
import copy
import glob
import os
import os.path as osp
import sys
import tempfile
from typing import Callable, Dict, List, Optional, Tuple

import cv2
import mmcv
import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint

import isic_plugins  # noqa: F401  (registers modules, applies torch compat)
from isic_plugins.evaluation.isic_segmentation_metric import per_image_scores
from isic_plugins.models.segmentors import FLIP_DIMS

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from benchutils import (  # noqa: E402
    REPO,
    SAMPLE_DIR,
    alternate,
    fmt,
    fullres_jpegs,
    machine_info,
    median,
    paired_ratio,
    run_benchmark,
    time_call,
)

TRAINED_CONFIG = osp.join(
    REPO, 'configs', 'realdata',
    'effnetlite0-skips_stage2-4e_isic2017_256px.py')
TRAINED_CHECKPOINT = osp.join(
    REPO, 'work_dirs', 'realdata', 'seg_effnetlite0_short_stage2',
    'epoch_4.pth')
PAPER_CONFIG = osp.join(REPO, 'configs', 'seg_stage2.py')
REAL_ROOT = osp.join(REPO, '..', 'shared', 'isic2017_real')
ALL_FLIPS = ['none', 'horizontal', 'vertical', 'diagonal']
MERGES = ('per_view', 'working')
#: Goals of the issue: 12-view time / 12 forwards; pixel agreement; Jaccard.
GOAL_RATIO, GOAL_AGREEMENT, GOAL_JACCARD = 1.25, 0.999, 0.001
PIPELINE = [dict(type='LoadImageFromFile'), dict(type='PackSegInputs')]


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--models', nargs='+', default=['trained', 'paper'],
                        choices=['trained', 'paper'],
                        help='models to time (agreement: trained only)')
    parser.add_argument('--config', default=TRAINED_CONFIG)
    parser.add_argument('--checkpoint', default=TRAINED_CHECKPOINT)
    parser.add_argument('--real-root', default=REAL_ROOT,
                        help='ISIC 2017 layout with Test_v2 images + masks')
    parser.add_argument('--num-real', type=int, default=50,
                        help='Test_v2 images for the agreement (0: none)')
    parser.add_argument('--repeats', type=int, default=3,
                        help='timed rounds (default 3)')
    parser.add_argument('--json', help='also write the results here')
    return parser.parse_args(argv)


def build(config: str, checkpoint: Optional[str]) -> Tuple[Config, object]:
    """The segmentor of ``config`` (eval mode), with ``checkpoint``'s
    weights if given, else random ones (no download)."""
    from mmseg.registry import MODELS
    cfg = Config.fromfile(config)
    model_cfg = copy.deepcopy(cfg.model)
    if checkpoint:
        model = MODELS.build(model_cfg)
        load_checkpoint(model, checkpoint, map_location='cpu',
                        logger='silent')
    else:
        model_cfg.backbone.init_cfg = None
        if 'weights' in model_cfg.backbone:
            model_cfg.backbone.weights = None
        model = MODELS.build(model_cfg)
        model.init_weights()
    return cfg, model.eval()


def tta_model(model, scales, flips, merge: str, chunk_size: int):
    """An ``ISICSegTTAModel`` around ``model``."""
    from mmseg.registry import MODELS
    return MODELS.build(dict(type='ISICSegTTAModel', module=model,
                             scales=scales, flips=flips, merge=merge,
                             chunk_size=chunk_size))


def packed(path: str) -> dict:
    """One image as the TTA test pipeline packs it."""
    return pseudo_collate([Compose(PIPELINE)(dict(img_path=path))])


def forwards_only(tta, image: torch.Tensor) -> Callable[[], object]:
    """The floor: ``tta``'s network forwards on views made beforehand."""
    chunks = []
    for scale in tta.scales:
        view = torch.from_numpy(np.ascontiguousarray(mmcv.imrescale(
            image.permute(1, 2, 0).numpy(), scale, interpolation='bilinear',
            backend='cv2'))).permute(2, 0, 1)
        views = [view.flip([d - 1 for d in FLIP_DIMS[f]]) for f in tta.flips]
        chunks += [views[i:i + tta.chunk_size]
                   for i in range(0, len(views), tta.chunk_size)]

    def run():
        with torch.no_grad():
            return [tta._forward(chunk) for chunk in chunks]
    return run


def peak_memory_mib(fn: Callable[[], object]) -> float:
    """Peak resident memory during ``fn()`` above the level before, MiB
    (NaN where ``/proc/self/clear_refs`` cannot reset the peak)."""
    def status(key: str) -> float:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith(key + ':'):
                    return float(line.split()[1]) / 1024
        return float('nan')
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')  # reset VmHWM to the current resident size
    except OSError:
        return float('nan')
    before = status('VmRSS')
    fn()
    return status('VmHWM') - before


def time_model(name: str, model, scales, chunk_size: int,
               batch: dict, repeats: int) -> Dict[str, object]:
    """Seconds and peak MiB of 1 and 12 views, each merge, and the floors."""
    image = batch['inputs'][0]
    middle = [scales[len(scales) // 2]]
    fns, ttas = {}, {}
    for views, (view_scales, flips) in ((1, (middle, ALL_FLIPS[:1])),
                                        (12, (scales, ALL_FLIPS))):
        for merge in MERGES:
            tta = tta_model(model, view_scales, flips, merge, chunk_size)
            ttas[f'{merge}_{views}'] = tta
            fns[f'{merge}_{views}'] = (
                lambda t=tta: t.test_step(batch))
        fns[f'forwards_{views}'] = forwards_only(tta, image)
    with torch.no_grad():
        runs = alternate({k: (lambda fn=fn: time_call(fn))
                          for k, fn in fns.items()}, repeats=repeats)
        memory = {k: peak_memory_mib(fn) for k, fn in fns.items()}
    seconds = {k: median(v) for k, v in runs.items()}
    ratios = {views: {merge: paired_ratio(runs[f'{merge}_{views}'],
                                          runs[f'forwards_{views}'])
                      for merge in MERGES} for views in (1, 12)}
    speedup = paired_ratio(runs['per_view_12'], runs['working_12'])
    return dict(model=name, scales=[list(s) for s in scales],
                chunk_size=chunk_size, image_size=list(image.shape[1:]),
                runs=runs, seconds=seconds, peak_mib=memory,
                ratio_to_forwards=ratios, merge_speedup_12=speedup)


def gt_mask(path: str) -> np.ndarray:
    """A 0/255 ground-truth PNG as booleans."""
    return cv2.imread(path, cv2.IMREAD_GRAYSCALE) > 127


def agreement(model, scales, chunk_size: int,
              pairs: List[Tuple[str, str]]) -> Dict[str, object]:
    """Both merges' masks on ``(image, mask)`` pairs: pixel agreement per
    image and each merge's per-image Jaccard."""
    ttas = {m: tta_model(model, scales, ALL_FLIPS, m, chunk_size)
            for m in MERGES}
    agree, jaccard = [], {m: [] for m in MERGES}
    for image, mask in pairs:
        batch = packed(image)
        gt = gt_mask(mask)
        preds = {}
        with torch.no_grad():
            for merge, tta in ttas.items():
                pred = tta.test_step(copy.deepcopy(batch))[0]
                preds[merge] = pred.pred_sem_seg.data[0].numpy()
                jaccard[merge].append(
                    per_image_scores(preds[merge] == 1, gt)['jaccard'])
        agree.append(float((preds['per_view'] == preds['working']).mean()))
    return dict(images=len(pairs), agreement=agree,
                agreement_min=min(agree), agreement_mean=float(
                    np.mean(agree)), jaccard=jaccard,
                mean_jaccard={m: float(np.mean(v))
                              for m, v in jaccard.items()})


def real_pairs(root: str, count: int) -> List[Tuple[str, str]]:
    """The first ``count`` Test_v2 images with their masks."""
    images = sorted(glob.glob(osp.join(root, 'ISIC-2017_Test_v2_Data',
                                       '*.jpg')))[:count]
    gt_dir = osp.join(root, 'ISIC-2017_Test_v2_Part1_GroundTruth')
    pairs = []
    for path in images:
        stem = osp.splitext(osp.basename(path))[0]
        mask = osp.join(gt_dir, f'{stem}_segmentation.png')
        if osp.isfile(mask):
            pairs.append((path, mask))
    return pairs


def fullres_pairs() -> List[Tuple[str, str]]:
    """The real full-resolution photos of the sample with their masks."""
    pairs = []
    for path in sorted(glob.glob(osp.join(SAMPLE_DIR, 'fullres', 'images',
                                          '*.jpg'))):
        stem = osp.splitext(osp.basename(path))[0]
        mask = osp.join(SAMPLE_DIR, 'fullres', 'masks',
                        f'{stem}_segmentation.png')
        if osp.isfile(mask):
            pairs.append((path, mask))
    return pairs


def speed_rows(t: Dict[str, object], desc: str) -> List[Dict[str, object]]:
    """Table rows of one model's timing."""
    s, mem, name = t['seconds'], t['peak_mib'], t['model']
    h, w = t['image_size']
    px = '/'.join(str(sc[0]) for sc in t['scales'])
    middle = t['scales'][len(t['scales']) // 2][0]
    ratio = t['ratio_to_forwards'][12]['working']
    rows = [
        dict(key=f'tta_fullres_{name}_vs_forwards', device='cpu',
             figure=(f'full-resolution TTA, {desc}, {w}x{h}, 12 views '
                     f'({px} px x 4 flips): time / its 12 network forwards'),
             project=s['working_12'],
             project_text=(f'{fmt(s["working_12"])} s (merged once at the '
                           'working size)'),
             reference=s['forwards_12'],
             reference_text=(f'{fmt(s["forwards_12"])} s (the 12 forwards '
                             'alone)'),
             ratio=ratio, goal=f'<= {GOAL_RATIO}',
             passed=bool(ratio <= GOAL_RATIO)),
        dict(key=f'tta_fullres_{name}_merge', device='cpu',
             figure=(f'full-resolution TTA, {desc}, 12 views: merged once '
                     'vs per view (s; peak MiB)'),
             project=s['working_12'],
             project_text=(f'{fmt(s["working_12"])} s; '
                           f'{fmt(mem["working_12"])} MiB (merged once)'),
             reference=s['per_view_12'],
             reference_text=(f'{fmt(s["per_view_12"])} s; '
                             f'{fmt(mem["per_view_12"])} MiB (per view, '
                             'exact)'),
             ratio=1 / t['merge_speedup_12'], goal=None, passed=None),
        dict(key=f'tta_fullres_{name}_one_view', device='cpu',
             figure=(f'full-resolution TTA, {desc}, 1 view ({middle} px): '
                     'time / its network forward (s; peak MiB)'),
             project=s['working_1'],
             project_text=(f'{fmt(s["working_1"])} s; '
                           f'{fmt(mem["working_1"])} MiB (per view: '
                           f'{fmt(s["per_view_1"])} s; '
                           f'{fmt(mem["per_view_1"])} MiB)'),
             reference=s['forwards_1'],
             reference_text=f'{fmt(s["forwards_1"])} s (the forward alone)',
             ratio=t['ratio_to_forwards'][1]['working'], goal=None,
             passed=None),
    ]
    return rows


def agreement_rows(sets: Dict[str, Dict[str, object]]
                   ) -> List[Dict[str, object]]:
    """Table rows of the agreement of the two merges."""
    rows = []
    for label, a in sets.items():
        jac = a['mean_jaccard']
        diff = abs(jac['working'] - jac['per_view'])
        rows.append(dict(
            key=f'tta_fullres_agreement_{label}', device='cpu',
            figure=(f'TTA masks merged once vs per view, {a["description"]}'
                    ': pixel agreement (worst image); mean Jaccard'),
            project=a['agreement_min'],
            project_text=(f'{a["agreement_min"]:.5f}; Jaccard '
                          f'{jac["working"]:.4f} (merged once)'),
            reference=1.0,
            reference_text=f'1; Jaccard {jac["per_view"]:.4f} (per view)',
            ratio=a['agreement_min'],
            goal=f'>= {GOAL_AGREEMENT}, Jaccard within {GOAL_JACCARD}',
            passed=bool(a['agreement_min'] >= GOAL_AGREEMENT
                        and diff <= GOAL_JACCARD)))
    return rows


def measure(args: argparse.Namespace) -> Dict[str, object]:
    """Time both merges and compare their masks; return figures and rows."""
    init_default_scope('mmseg')
    rows, timings, sets = [], [], {}
    trained_cfg = trained = None
    weights = None
    if 'trained' in args.models or args.num_real:
        ckpt = args.checkpoint if osp.isfile(args.checkpoint) else None
        trained_cfg, trained = build(args.config, ckpt)
        weights = (osp.relpath(ckpt, REPO) if ckpt else
                   'random (no checkpoint)')
    with tempfile.TemporaryDirectory(prefix='bench_tta_fullres_') as tmp:
        photos = fullres_jpegs(tmp, 1)
        batch = packed(photos['paths'][0])
        for name in args.models:
            if name == 'trained':
                cfg, model = trained_cfg, trained
                desc = (f'EfficientNet-Lite0 ({osp.basename(args.config)}, '
                        f'weights {weights})')
            else:
                cfg, model = build(PAPER_CONFIG, None)
                desc = 'paper ResNet-50 (seg_stage2.py, random weights)'
            scales = [tuple(s) for s in cfg.tta_model.scales]
            chunk = cfg.tta_model.get('chunk_size', 8)
            print(f'timing {name}: scales {scales}, chunks of {chunk}',
                  flush=True)
            timing = time_model(name, model, scales, chunk, batch,
                                args.repeats)
            timing['description'] = desc
            timings.append(timing)
            rows += speed_rows(timing, desc)
    if trained is not None:
        scales = [tuple(s) for s in trained_cfg.tta_model.scales]
        chunk = trained_cfg.tta_model.get('chunk_size', 8)
        candidates = [('fullres', fullres_pairs(),
                       'real 4288x2848 ISIC 2017 photos'),
                      ('test_v2', real_pairs(args.real_root, args.num_real),
                       'ISIC 2017 Test_v2 images (isic2017_real)')]
        for label, pairs, text in candidates:
            if not pairs:
                continue
            print(f'agreement on {len(pairs)} {text}', flush=True)
            result = agreement(trained, scales, chunk, pairs)
            result['description'] = f'{len(pairs)} {text}'
            sets[label] = result
        rows += agreement_rows(sets)
    return dict(benchmark='tta_fullres', device='cpu',
                machine=machine_info(), photo=photos['source'],
                omp_num_threads=os.environ.get('OMP_NUM_THREADS'),
                repeats=args.repeats, timings=timings, agreement=sets,
                rows=rows)


def main(argv: Optional[List[str]] = None) -> Dict[str, object]:
    return run_benchmark(measure, parse_args, argv)


if __name__ == '__main__':
    main()
