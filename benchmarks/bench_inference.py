"""Single-image inference latency, and what test-time augmentation costs.

Models (random weights, ``eval()``, ``torch.no_grad``): the paper's
segmentor of ``configs/seg_stage2.py`` (ImageNet-free ResNet-50 +
DeconvFCNHead) on one 500x375 image, and the quick model of
``configs/quickstart/seg_quick.py`` on one 160x120 image (its own test
scale). The image is a synthetic dermoscopy rendering (content does not
change the cost), decoded once and packed by the test pipeline
(``LoadImageFromFile`` + ``PackSegInputs``); the clock covers
image-in-memory to predicted mask.

- **latency, project**: ``model.test_step(batch)``: mmseg's
  ``SegDataPreProcessor`` (to float, BGR->RGB, normalise), forward,
  resize of the logits to the image size, arg-max.
- **latency, reference**: the same network, bare: ``decode_head(backbone(x))``
  on a tensor normalised beforehand, ``F.interpolate`` to the image size,
  ``argmax``. Ratio = project time / reference time (the framework's share).
- **TTA cost**: ``ISICSegTTAModel.test_step`` with 1, 2, 4, 8 and 12 views
  vs the plain one-view ``test_step``: 1 = 500 px; 2 = 500 px x {none,
  left-right}; 4 = 500 px x 4 flips; 8 = {400, 500} px x 4 flips; 12 = the
  paper's {400, 500, 600} px x 4 flips (the config's ``tta_model``, chunks of
  its ``chunk_size``). Ratio = cost(n views) / cost(one view); views at 600
  px cost more than one at 500 px, views at 400 px less.

Every measurement is taken in turn in each round (a warm-up round first);
figures are medians over rounds, ratios medians of per-round ratios.

    python benchmarks/bench_inference.py [--device cpu|cuda] [--repeats 3]
"""
import argparse
import copy
import os.path as osp
import sys
import tempfile
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import init_default_scope
from PIL import Image

import isic_plugins  # noqa: F401  (registers modules, applies torch compat)
from isic_plugins.testing import render_sample

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from benchutils import (  # noqa: E402
    REPO,
    alternate,
    fmt,
    machine_info,
    median,
    paired_ratio,
    resolve_device,
    run_benchmark,
    time_call,
)

PAPER_CONFIG = osp.join(REPO, 'configs', 'seg_stage2.py')
QUICK_CONFIG = osp.join(REPO, 'configs', 'quickstart', 'seg_quick.py')
ALL_FLIPS = ['none', 'horizontal', 'vertical', 'diagonal']


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--device', default='cpu', help="'cpu' or 'cuda'")
    parser.add_argument('--views', type=int, nargs='+',
                        default=[1, 2, 4, 8, 12],
                        help='TTA view counts to time (from 1, 2, 4, 8, 12)')
    parser.add_argument('--size', type=int, nargs=2, default=[500, 375],
                        metavar=('W', 'H'),
                        help='paper-model image size (default 500 375)')
    parser.add_argument('--repeats', type=int, default=3,
                        help='timed rounds (default 3)')
    parser.add_argument('--json', help='also write the results here')
    return parser.parse_args(argv)


def tta_views(n: int, scales: Sequence[Tuple[int, int]],
              middle: Tuple[int, int]) -> Tuple[list, list]:
    """``(scales, flips)`` giving ``n`` views.

    Args:
        n (int): 1, 2, 4, 8 or 12.
        scales (Sequence[tuple[int, int]]): The config's TTA scales (three).
        middle (tuple[int, int]): The one-view scale.
    """
    table = {
        1: ([middle], ALL_FLIPS[:1]),
        2: ([middle], ALL_FLIPS[:2]),
        4: ([middle], ALL_FLIPS),
        8: (list(scales[:2]), ALL_FLIPS),
        12: (list(scales[:3]), ALL_FLIPS),
    }
    if n not in table:
        raise SystemExit(f'--views: {n} not one of {sorted(table)}')
    return table[n]


def build_model(config: str, device: str):
    """A segmentor of ``config`` with random weights, in eval mode."""
    from mmseg.registry import MODELS
    cfg = Config.fromfile(config)
    model_cfg = copy.deepcopy(cfg.model)
    model_cfg.backbone.init_cfg = None  # no download: speed needs no weights
    model = MODELS.build(model_cfg)
    model.init_weights()
    return cfg, model.to(device).eval()


def packed_image(width: int, height: int, folder: str) -> dict:
    """A synthetic dermoscopy image as the test pipeline packs it."""
    img, _ = render_sample(np.random.default_rng(0), 1, height, width)
    path = osp.join(folder, f'image_{width}x{height}.png')
    Image.fromarray(img).save(path)
    pipeline = Compose([
        dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
        dict(type='PackSegInputs')
    ])
    return pseudo_collate([pipeline(dict(img_path=path))])


def bare_forward(model, batch: dict):
    """The reference: the network alone on a pre-normalised tensor."""
    with torch.no_grad():
        x = model.data_preprocessor(copy.copy(batch), False)['inputs']
    size = x.shape[2:]

    def run():
        with torch.no_grad():
            logits = model.decode_head(model.backbone(x))
            logits = F.interpolate(logits, size=size, mode='bilinear',
                                   align_corners=model.align_corners)
            return logits.argmax(dim=1)
    return run


def test_step(model, batch: dict):
    """``model.test_step`` on the packed image."""
    def run():
        with torch.no_grad():
            return model.test_step(batch)
    return run


def measure(args: argparse.Namespace) -> Dict[str, object]:
    """Time latency and TTA; return figures and result rows."""
    from mmseg.registry import MODELS
    device = resolve_device(args.device)
    init_default_scope('mmseg')
    width, height = args.size
    paper_cfg, paper = build_model(PAPER_CONFIG, device)
    _, quick = build_model(QUICK_CONFIG, device)
    quick_scale = Config.fromfile(QUICK_CONFIG).img_scale
    qw = quick_scale[0]
    qh = round(qw * height / width)
    tta_cfg = paper_cfg.tta_model
    scales = [tuple(s) for s in tta_cfg.scales]
    middle = scales[len(scales) // 2]
    with tempfile.TemporaryDirectory(prefix='bench_inference_') as tmp:
        paper_batch = packed_image(width, height, tmp)
        quick_batch = packed_image(qw, qh, tmp)

    fns = dict(
        paper_project=test_step(paper, paper_batch),
        paper_bare=bare_forward(paper, paper_batch),
        quick_project=test_step(quick, quick_batch),
        quick_bare=bare_forward(quick, quick_batch),
    )
    for n in args.views:
        view_scales, flips = tta_views(n, scales, middle)
        tta = MODELS.build(dict(
            type='ISICSegTTAModel', module=paper, scales=view_scales,
            flips=flips, chunk_size=tta_cfg.get('chunk_size', 8)))
        fns[f'tta_{n}'] = test_step(tta, paper_batch)
    runs = alternate(
        {name: (lambda fn=fn: time_call(fn, device))
         for name, fn in fns.items()}, repeats=args.repeats)

    dev = device.split(':')[0]
    ms = {name: 1000 * median(times) for name, times in runs.items()}
    rows = []
    for name, desc, (w, h) in (
            ('paper', 'paper model (ResNet-50 + DeconvFCNHead)',
             (width, height)),
            ('quick', 'quick model (ResNet-18 s16)', (qw, qh))):
        ratio = paired_ratio(runs[f'{name}_project'], runs[f'{name}_bare'])
        rows.append(dict(
            key=f'latency_{name}', device=dev,
            figure=f'single-image inference latency, {desc}, {w}x{h}, ms',
            project=ms[f'{name}_project'],
            project_text=(f'{fmt(ms[f"{name}_project"])} ms '
                          '(model.test_step)'),
            reference=ms[f'{name}_bare'],
            reference_text=(f'{fmt(ms[f"{name}_bare"])} ms (bare network '
                            'on a normalised tensor + upsample + argmax)'),
            ratio=ratio, goal=None, passed=None))
    for n in args.views:
        view_scales, flips = tta_views(n, scales, middle)
        ratio = paired_ratio(runs[f'tta_{n}'], runs['paper_project'])
        px = '/'.join(str(s[0]) for s in view_scales)
        rows.append(dict(
            key=f'tta_cost_{n}', device=dev, views=n,
            figure=(f'TTA cost, {n} view{"s" if n > 1 else ""} ({px} px x '
                    f'{len(flips)} flip{"s" if len(flips) > 1 else ""}), '
                    f'paper model, {width}x{height}: time / one-view time'),
            project=ms[f'tta_{n}'],
            project_text=(f'{fmt(ms[f"tta_{n}"])} ms (ISICSegTTAModel; '
                          f'{ratio / n:.2f} x one view per view)'),
            reference=ms['paper_project'],
            reference_text=(f'{fmt(ms["paper_project"])} ms (one view, '
                            'model.test_step)'),
            ratio=ratio, goal=None, passed=None))
    return dict(benchmark='inference', device=device, machine=machine_info(),
                image_size=[width, height], quick_image_size=[qw, qh],
                repeats=args.repeats, seconds=runs, rows=rows)


def main(argv: Optional[List[str]] = None) -> Dict[str, object]:
    return run_benchmark(measure, parse_args, argv)


if __name__ == '__main__':
    main()
