"""Write the quickstart report: Table 1 and Table 2 with this run's numbers.

    python tools/make_report.py work_dirs/quickstart [--data DIR]

Reads the ``metrics.json`` that ``tools/test.py`` wrote in each run's work
dir, the submission masks and the training logs, and writes
``report.md``, ``report.html`` and the pictures they show into the same
folder. Runs that are missing appear as "not run".
"""
import argparse
import csv
import glob
import html
import json
import os.path as osp
from typing import Dict, List, Optional

import cv2
import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from isic_plugins.datasets import isic_layout  # noqa: E402
from isic_plugins.evaluation.isic_segmentation_metric import (
    per_image_scores,  # noqa: E402
)
from isic_plugins.visualization import draw_lesion_overlay  # noqa: E402

# (row label, work dir, paper's Jaccard %)
SEG_ROWS = [
    ('FCN (VGG-16)', None, 68.0),
    ('ResNet-Seg (challenge images)', 'seg_resnet', 76.1),
    ('ResNet-Seg + extra images (stage 1 -> stage 2)', 'seg_stage2', 77.8),
    ('MResNet-Seg (+ multi-scale, 4 flips)', 'seg_stage2_tta', 79.4),
]
# (row label, work dirs for melanoma / SK, paper's AUC % mel / SK / mean)
CLS_ROWS = [
    ('3-class ResNet', ('cls_multiclass', 'cls_multiclass'),
     (84.3, 96.9, 90.6)),
    ('two binary ResNets', ('cls_melanoma', 'cls_seborrheic_keratosis'),
     (85.5, 97.0, 91.3)),
    ('ensemble', ('cls_ensemble', 'cls_ensemble'), (85.4, 97.6, 91.5)),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('root', help='quickstart work dir')
    parser.add_argument(
        '--data', help='ISIC 2017 layout the runs were tested on '
        '(default: ROOT/data)')
    parser.add_argument('--split', default=isic_layout.SPLIT_NAMES['test'],
                        help='the split tools/test.py scored')
    parser.add_argument(
        '--readme', help='also refresh the results section of this README '
        '(between <!-- QUICKSTART-RESULTS:BEGIN/END --> markers)')
    return parser.parse_args()


def refresh_readme(readme: str, text: str) -> None:
    """Replace the text between the quickstart-results markers."""
    begin, end = ('<!-- QUICKSTART-RESULTS:BEGIN -->',
                  '<!-- QUICKSTART-RESULTS:END -->')
    with open(readme) as f:
        content = f.read()
    if begin not in content or end not in content:
        raise SystemExit(f'{readme}: no {begin} ... {end} markers')
    head, rest = content.split(begin, 1)
    tail = rest.split(end, 1)[1]
    with open(readme, 'w') as f:
        f.write(f'{head}{begin}\n{text}\n{end}{tail}')


def load_metrics(root: str, run: Optional[str]) -> Optional[Dict]:
    """The flat metrics of ``root/run/metrics.json`` without prefixes."""
    if run is None or not osp.isfile(osp.join(root, run, 'metrics.json')):
        return None
    with open(osp.join(root, run, 'metrics.json')) as f:
        raw = json.load(f)
    return {k.split('/')[-1]: v for k, v in raw.items()}


def pct(value: Optional[float]) -> str:
    return 'not run' if value is None else f'{100 * value:.1f}'


def table1(root: str) -> List[List[str]]:
    rows = [['method', 'Jaccard (this run)', 'Dice', 'thresholded Jaccard',
             'Jaccard (paper)']]
    for label, run, paper in SEG_ROWS:
        m = load_metrics(root, run) or {}
        rows.append([label, pct(m.get('jaccard')), pct(m.get('dice')),
                     pct(m.get('threshold_jaccard')), f'{paper:.1f}'])
    return rows


def table2(root: str) -> List[List[str]]:
    rows = [['method', 'melanoma AUC', 'SK AUC', 'mean AUC',
             'paper (mel / SK / mean)']]
    for label, (mel_run, sk_run), paper in CLS_ROWS:
        mel = (load_metrics(root, mel_run) or {}).get('melanoma_auc')
        sk = (load_metrics(root, sk_run) or {}).get('seborrheic_keratosis_auc')
        mean = None if mel is None or sk is None else (mel + sk) / 2
        rows.append([label, pct(mel), pct(sk), pct(mean),
                     ' / '.join(f'{p:.1f}' for p in paper)])
    return rows


def best_worst_overlays(root: str, data: str, split: str, run: str,
                        k: int = 3) -> Optional[str]:
    """Montage of the k best and k worst segmentations of ``run``."""
    sub = osp.join(root, run, 'submission')
    masks = sorted(glob.glob(osp.join(sub, '*' + isic_layout.MASK_SUFFIX)))
    if not masks:
        return None
    scored = []
    for path in masks:
        image_id = isic_layout.image_id_of(path)
        gt_path = osp.join(data, isic_layout.mask_dir(split),
                           isic_layout.mask_name(image_id))
        if not osp.isfile(gt_path):
            continue
        pred = cv2.imread(path, cv2.IMREAD_GRAYSCALE) > 128
        gt = cv2.imread(gt_path, cv2.IMREAD_GRAYSCALE) > 128
        scored.append((per_image_scores(pred, gt)['jaccard'], image_id, pred,
                       gt))
    if not scored:
        return None
    scored.sort(key=lambda s: s[0])
    picks = scored[-k:][::-1] + scored[:k]
    fig, axes = plt.subplots(2, k, figsize=(4 * k, 7))
    for ax, (jac, image_id, pred, gt) in zip(axes.ravel(), picks):
        # stored orientation, as the masks (and the ISIC scorer) read it
        img = cv2.imread(osp.join(data, isic_layout.image_dir(split),
                                  image_id + isic_layout.IMAGE_SUFFIX),
                         cv2.IMREAD_COLOR | cv2.IMREAD_IGNORE_ORIENTATION)
        over = draw_lesion_overlay(img, pred.astype(np.uint8), gt)
        ax.imshow(cv2.cvtColor(over, cv2.COLOR_BGR2RGB))
        ax.set_title(f'{image_id}  Jaccard {jac:.3f}')
        ax.axis('off')
    fig.suptitle('best (top) and worst (bottom) images: prediction red, '
                 'ground truth green')
    fig.tight_layout()
    out = osp.join(root, 'overlays_best_worst.png')
    fig.savefig(out, dpi=80)
    plt.close(fig)
    return out


def read_scalars(run_dir: str) -> List[Dict]:
    """All rows of the newest training log (``vis_data/scalars.json``)."""
    logs = sorted(glob.glob(osp.join(run_dir, '*', 'vis_data',
                                     'scalars.json')))
    rows = []
    for log in logs:  # several when a run was resumed
        with open(log) as f:
            rows += [json.loads(line) for line in f if line.strip()]
    return rows


def training_curves(root: str, runs: List[str], metric: str,
                    name: str) -> Optional[str]:
    """Loss per iteration and validation ``metric`` per epoch of ``runs``."""
    logs = {r: read_scalars(osp.join(root, r)) for r in runs}
    logs = {r: rows for r, rows in logs.items() if rows}
    if not logs:
        return None
    fig, (ax_loss, ax_val) = plt.subplots(1, 2, figsize=(11, 4))
    for run, rows in logs.items():
        train = [r for r in rows if 'loss' in r]
        val = [r for r in rows if metric in r]
        ax_loss.plot([r['step'] for r in train], [r['loss'] for r in train],
                     label=run)
        if val:
            ax_val.plot([r['step'] for r in val], [r[metric] for r in val],
                        marker='o', label=run)
    ax_loss.set(xlabel='iteration', ylabel='training loss', yscale='log')
    ax_val.set(xlabel='epoch', ylabel=f'validation {metric.split("/")[-1]}')
    for ax in (ax_loss, ax_val):
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    out = osp.join(root, name)
    fig.savefig(out, dpi=80)
    plt.close(fig)
    return out


def to_markdown(rows: List[List[str]]) -> str:
    lines = ['| ' + ' | '.join(rows[0]) + ' |',
             '|' + '---|' * len(rows[0])]
    lines += ['| ' + ' | '.join(r) + ' |' for r in rows[1:]]
    return '\n'.join(lines)


def to_html(rows: List[List[str]]) -> str:
    head = ''.join(f'<th>{html.escape(c)}</th>' for c in rows[0])
    body = ''.join('<tr>' + ''.join(f'<td>{html.escape(c)}</td>' for c in r)
                   + '</tr>' for r in rows[1:])
    return f'<table><tr>{head}</tr>{body}</table>'


MODES = {
    'fast': 'fast mode (the default: fewer images and epochs, every stage '
            'once; the challenge-images-only baseline row is left to '
            '`--full`)',
    'full': 'full mode (`bash tools/quickstart.sh --full`: the configs\' '
            'own epochs, more images, the challenge-images-only baseline)',
}


def run_mode(root: str) -> str:
    """Describe the quickstart mode that wrote ``root`` (its ``mode`` file)."""
    try:
        with open(osp.join(root, 'mode')) as f:
            mode = f.read().strip()
    except FileNotFoundError:
        return 'an unrecorded mode (no `mode` file: not tools/quickstart.sh)'
    return MODES.get(mode, f'mode "{mode}"')


def stage_times(root: str) -> List[List[str]]:
    """Rows of the per-stage wall times in ``root/stage_seconds.csv``."""
    path = osp.join(root, 'stage_seconds.csv')
    if not osp.isfile(path):
        return []
    with open(path, newline='') as f:
        rows = [r for r in csv.reader(f) if len(r) == 2]
    return rows  # its header first: stage, seconds


def main() -> None:
    args = parse_args()
    root = args.root
    data = args.data or osp.join(root, 'data')
    t1, t2 = table1(root), table2(root)
    pictures = [
        ('Segmentation: best and worst test images (MResNet-Seg)',
         best_worst_overlays(root, data, args.split, 'seg_stage2_tta')),
        ('ROC curves of the ensemble',
         *[p for p in glob.glob(osp.join(root, 'cls_ensemble', 'ROC_*.png'))]),
        ('Segmentation training: loss and validation Jaccard',
         training_curves(root, ['seg_resnet', 'seg_stage1', 'seg_stage2'],
                         'isic/jaccard', 'curves_segmentation.png')),
        ('Classification training: loss and validation mean AUC',
         training_curves(root, ['cls_multiclass', 'cls_melanoma',
                                'cls_seborrheic_keratosis'], 'isic/mean_auc',
                         'curves_classification.png')),
    ]
    intro = ('Synthetic ISIC 2017 data, small ResNet-18 models trained from '
             'scratch on a CPU by `bash tools/quickstart.sh`, '
             f'{run_mode(root)}; numbers are '
             f'fractions x 100 on the {args.split} split, from each run\'s '
             '`metrics.json`. The paper\'s figures (ImageNet ResNet-50 on the '
             'real ISIC 2017 data) are for reference only.')
    times = stage_times(root)
    md = ['# Quickstart report', '', intro, '',
          '## Table 1: lesion segmentation (ISIC Part 1, mean per-image '
          'Jaccard %)', '', to_markdown(t1), '',
          '## Table 2: lesion classification (ISIC Part 3, AUC %)', '',
          to_markdown(t2), '']
    body = [f'<h1>Quickstart report</h1><p>{html.escape(intro)}</p>',
            '<h2>Table 1: lesion segmentation (mean per-image Jaccard %)</h2>',
            to_html(t1),
            '<h2>Table 2: lesion classification (AUC %)</h2>', to_html(t2)]
    if times:
        md += ['## Wall time of each stage (this invocation)', '',
               to_markdown(times), '']
        body += ['<h2>Wall time of each stage (this invocation)</h2>',
                 to_html(times)]
    for title, *paths in pictures:
        paths = [p for p in paths if p]
        if not paths:
            continue
        md += [f'## {title}', '']
        body.append(f'<h2>{html.escape(title)}</h2>')
        for p in paths:
            rel = osp.relpath(p, root)
            md += [f'![{title}]({rel})', '']
            body.append(f'<img src="{html.escape(rel)}" '
                        'style="max-width:100%">')
    with open(osp.join(root, 'report.md'), 'w') as f:
        f.write('\n'.join(md))
    with open(osp.join(root, 'report.html'), 'w') as f:
        f.write('<!doctype html><meta charset="utf-8"><title>isic_plugins '
                'quickstart report</title><style>body{font-family:sans-serif;'
                'max-width:1100px;margin:auto}table{border-collapse:collapse}'
                'td,th{border:1px solid #ccc;padding:4px 8px}</style>' +
                ''.join(body))
    if args.readme:
        refresh_readme(args.readme, '\n\n'.join([
            '**Table 1** (ISIC Part 1, mean per-image Jaccard %, '
            f'{args.split} split):', to_markdown(t1),
            '**Table 2** (ISIC Part 3, AUC %):', to_markdown(t2)]))
    print(to_markdown(t1))
    print()
    print(to_markdown(t2))
    print(f'\nreport: {osp.abspath(osp.join(root, "report.md"))} '
          f'(and report.html)')


if __name__ == '__main__':
    main()
