"""Table 1 on real images, from the metrics that tools/realdata.sh wrote.

    python tools/realdata_table.py seg work_dirs/realdata [--readme README.md]

Every number comes from a run's ``metrics.json`` (mean Jaccard and its 95%
bootstrap interval, written by ``ISICSegmentationMetric``) or, for the
paired differences between two rows, from their per-image score files
(``per_image.csv``, bootstrap over the same images). Rows whose run has
not finished are listed as pending. Writes ``WORK/seg_table.md`` and
``WORK/seg_table.json``; ``--readme`` replaces the table between the
README's ``<!-- realdata-seg-table -->`` markers.
"""
import argparse
import json
import os.path as osp
import re
from typing import Dict, List, Optional

import pandas as pd

from isic_plugins.evaluation import bootstrap_interval

_LITE = 'ImageNet EfficientNet-Lite0 + skips'
_S1, _S2 = 'seg_effnetlite0_short_stage1', 'seg_effnetlite0_short_stage2'
_M1, _M2 = 'seg_effnetlite0_stage1', 'seg_effnetlite0_stage2'
_R1, _R2 = 'seg_resnet18_scratch_stage1', 'seg_resnet18_scratch_stage2'

#: (key, what it is, paper's Table 1 figure, run folder, test folder,
#: training runs whose time it took). The ablations are at 10 epochs of
#: training (6 + 4 for two stages), the best recipe at 20 (12 + 8).
SEG_ROWS = [
    ('otsu', 'Otsu threshold on the blue channel (nothing learned)', None,
     'otsu', 'test', []),
    ('scratch', 'ResNet-18 from scratch, stage 1 -> 2, 6 + 4 epochs (the '
     'earlier recipe)', None, _R2, 'test', [_R1, _R2]),
    ('scratch_tta', '... + multi-scale x 4-flip TTA', None, _R2, 'test_tta',
     [_R1, _R2]),
    ('noskip', 'ImageNet EfficientNet-Lite0, paper head (no skips), '
     'training images, one stage, 10 epochs', None,
     'seg_effnetlite0_1stage_noskip', 'test',
     ['seg_effnetlite0_1stage_noskip']),
    ('onestage', f'{_LITE}, training images, one stage, 10 epochs '
     '("ResNet-Seg")', 76.1, 'seg_effnetlite0_1stage', 'test',
     ['seg_effnetlite0_1stage']),
    ('onestage_tta', '... + multi-scale x 4-flip TTA', None,
     'seg_effnetlite0_1stage', 'test_tta', ['seg_effnetlite0_1stage']),
    ('short_stage1', f'{_LITE}, stage 1 only (training + archive, fixed '
     'lr), 6 epochs', None, _S1, 'test', [_S1]),
    ('short', f'{_LITE}, stage 1 -> 2, 6 + 4 epochs', None, _S2, 'test',
     [_S1, _S2]),
    ('short_tta', '... + multi-scale x 4-flip TTA', None, _S2, 'test_tta',
     [_S1, _S2]),
    ('stage1', f'{_LITE}, stage 1 only, 12 epochs', None, _M1, 'test',
     [_M1]),
    ('main', f'{_LITE}, stage 1 -> 2, 12 + 8 epochs ("with extra images")',
     77.8, _M2, 'test', [_M1, _M2]),
    ('main_tta', '... + multi-scale x 4-flip TTA ("MResNet-Seg")', 79.4,
     _M2, 'test_tta', [_M1, _M2]),
]

#: Paired differences reported under the table: (label, better, worse).
SEG_COMPARISONS = [
    ('ImageNet encoder vs from scratch (6 + 4 epochs, single view)', 'short',
     'scratch'),
    ('ImageNet encoder vs from scratch (6 + 4 epochs, TTA)', 'short_tta',
     'scratch_tta'),
    ('TTA vs single view (ImageNet, 12 + 8 epochs)', 'main_tta', 'main'),
    ('TTA vs single view (ImageNet, 6 + 4 epochs)', 'short_tta', 'short'),
    ('TTA vs single view (from scratch)', 'scratch_tta', 'scratch'),
    ('two stages vs one stage (ImageNet, 10 epochs, single view)', 'short',
     'onestage'),
    ('skip connections vs paper head (one stage, single view)', 'onestage',
     'noskip'),
    ('12 + 8 vs 6 + 4 epochs (ImageNet, two stages, single view)', 'main',
     'short'),
]

MARK_START = '<!-- realdata-seg-table:start -->'
MARK_END = '<!-- realdata-seg-table:end -->'


def _read_json(path: str) -> Optional[dict]:
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def _train_seconds(work: str, runs: List[str]) -> Optional[int]:
    total = 0
    for run in runs:
        path = osp.join(work, run, 'train_seconds')
        if not osp.isfile(path) or not osp.isfile(
                osp.join(work, run, '.done')):
            return None
        with open(path) as f:
            total += sum(int(line) for line in f if line.strip())
    return total


def _metric(metrics: dict, name: str) -> Optional[float]:
    for key, value in metrics.items():
        if key.split('/')[-1] == name:
            return float(value)
    return None


def collect(work: str) -> Dict[str, dict]:
    """One dict per finished row: scores, interval, times, files."""
    rows = {}
    for key, label, paper, run, test, train_runs in SEG_ROWS:
        folder = osp.join(work, run, test)
        metrics = _read_json(osp.join(folder, 'metrics.json'))
        row = dict(label=label, paper=paper, folder=folder, done=False)
        if metrics is not None:
            row.update(
                done=True,
                jaccard=_metric(metrics, 'jaccard'),
                ci_low=_metric(metrics, 'jaccard_ci_low'),
                ci_high=_metric(metrics, 'jaccard_ci_high'),
                threshold_jaccard=_metric(metrics, 'threshold_jaccard'),
                dice=_metric(metrics, 'dice'),
                train_seconds=_train_seconds(work, train_runs),
                per_image=osp.join(folder, 'per_image.csv'))
            seconds = osp.join(folder, 'test_seconds')
            if osp.isfile(seconds):
                with open(seconds) as f:
                    row['test_seconds'] = int(f.read().strip())
        rows[key] = row
    return rows


def compare(rows: Dict[str, dict]) -> List[dict]:
    """Paired bootstrap of per-image Jaccard differences between rows."""
    out = []
    for label, better, worse in SEG_COMPARISONS:
        a, b = rows.get(better, {}), rows.get(worse, {})
        if not (a.get('done') and b.get('done')):
            continue
        if not (osp.isfile(a['per_image']) and osp.isfile(b['per_image'])):
            continue
        sa = pd.read_csv(a['per_image']).set_index('image_id')['jaccard']
        sb = pd.read_csv(b['per_image']).set_index('image_id')['jaccard']
        common = sa.index.intersection(sb.index)
        diff = (sa[common] - sb[common]).to_numpy()
        low, high = bootstrap_interval(diff)
        out.append(dict(label=label, better=better, worse=worse,
                        images=len(common), difference=float(diff.mean()),
                        ci_low=low, ci_high=high))
    return out


def _minutes(seconds: Optional[int]) -> str:
    return '' if seconds is None else f'{seconds / 60:.0f}'


def to_markdown(rows: Dict[str, dict], comparisons: List[dict]) -> str:
    lines = [
        '| model (Test_v2 of the shared set, stored resolution) | mean '
        'Jaccard | 95% interval | thresholded Jaccard | training, min '
        '(2 CPU cores) | paper (validation, ResNet-50, GPUs) |',
        '|---|---|---|---|---|---|',
    ]
    for key, *_ in SEG_ROWS:
        row = rows[key]
        paper = '' if row['paper'] is None else f'{row["paper"]:.1f}'
        if not row['done']:
            lines.append(f'| {row["label"]} | pending | | | | {paper} |')
            continue
        lines.append(
            f'| {row["label"]} | **{100 * row["jaccard"]:.1f}** | '
            f'{100 * row["ci_low"]:.1f}-{100 * row["ci_high"]:.1f} | '
            f'{100 * row["threshold_jaccard"]:.1f} | '
            f'{_minutes(row.get("train_seconds"))} | {paper} |')
    if comparisons:
        lines += [
            '', '| paired difference (same images) | Jaccard points | '
            '95% interval |', '|---|---|---|'
        ]
        for c in comparisons:
            lines.append(f'| {c["label"]} | {100 * c["difference"]:+.1f} | '
                         f'{100 * c["ci_low"]:+.1f} to '
                         f'{100 * c["ci_high"]:+.1f} |')
    return '\n'.join(lines) + '\n'


def replace_readme(readme: str, table: str) -> None:
    with open(readme) as f:
        text = f.read()
    pattern = re.compile(
        re.escape(MARK_START) + '.*?' + re.escape(MARK_END), re.S)
    if not pattern.search(text):
        raise SystemExit(f'error: {readme} has no {MARK_START} ... '
                         f'{MARK_END} section to replace')
    text = pattern.sub(
        lambda _: f'{MARK_START}\n{table}{MARK_END}', text)
    with open(readme, 'w') as f:
        f.write(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('task', choices=['seg'])
    parser.add_argument('work', help='WORK_DIR of tools/realdata.sh')
    parser.add_argument('--readme', help='README to refresh')
    args = parser.parse_args()
    rows = collect(args.work)
    comparisons = compare(rows)
    table = to_markdown(rows, comparisons)
    with open(osp.join(args.work, 'seg_table.md'), 'w') as f:
        f.write(table)
    with open(osp.join(args.work, 'seg_table.json'), 'w') as f:
        json.dump(dict(rows=rows, comparisons=comparisons), f, indent=2)
    print(table)
    if args.readme:
        replace_readme(args.readme, table)
        print(f'{args.readme}: table refreshed')


if __name__ == '__main__':
    main()
