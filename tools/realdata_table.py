"""Tables 1 and 2 on real images, from the files tools/realdata.sh wrote.

    python tools/realdata_table.py seg work_dirs/realdata [--readme README.md]
    python tools/realdata_table.py cls work_dirs/realdata \
        --gt DATA/ISIC-2017_Test_v2_Part3_GroundTruth.csv [--readme README.md]

Every number comes from a run's ``metrics.json`` (mean Jaccard and its 95%
bootstrap interval, written by ``ISICSegmentationMetric``) or, for the
paired differences between two rows, from their per-image score files
(``per_image.csv``, bootstrap over the same images). Rows whose run has
not finished are listed as pending. Writes ``WORK/seg_table.md`` and
``WORK/seg_table.json``; ``--readme`` replaces the table between the
README's ``<!-- realdata-seg-table -->`` markers.

``cls`` re-scores each run's Part 3 CSV (``ISIC-2017_Test_v2_Part3.csv``,
written by ``tools/test.py --out``) against the ground-truth CSV with
scikit-learn: AUCs with 95% bootstrap intervals over images, paired
differences between rows, the challenge's other Part 3 figures for the best
row, and the ROC curves (``WORK/cls_roc.png``; with ``--readme`` also
``docs/realdata_cls_roc.png``). Rows that combine runs are made here from
their CSVs, written beside them: the two binary models side by side, and
the whole-image and lesion-crop ensembles averaged ("ensemble of both").
"""
import argparse
import json
import os
import os.path as osp
import re
from typing import Dict, List, Optional

import numpy as np
import pandas as pd

from isic_plugins.evaluation import (
    auc_or_nan,
    bootstrap_interval,
    bootstrap_statistic_interval,
)
from isic_plugins.evaluation.isic_classification_metric import (
    TASKS,
    task_scores,
)

_LITE = 'ImageNet EfficientNet-Lite0 + skips'
_S1, _S2 = 'seg_effnetlite0_short_stage1', 'seg_effnetlite0_short_stage2'
_M1, _M2 = 'seg_effnetlite0_stage1', 'seg_effnetlite0_stage2'
_R1, _R2 = 'seg_resnet18_scratch_stage1', 'seg_resnet18_scratch_stage2'
_H2 = 'seg_effnetlite0_stage2_hr320'
_L1, _L2 = 'seg_effnetlite2_short_stage1', 'seg_effnetlite2_short_stage2'

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
    ('hr320', f'{_LITE}, stage 1 (12 epochs, 256 px) -> stage 2 at 320 px '
     '(4 epochs)', None, _H2, 'test', [_M1, _H2]),
    ('hr320_tta', '... + multi-scale (288 / 320 / 352 px) x 4-flip TTA',
     None, _H2, 'test_tta', [_M1, _H2]),
    ('lite2', 'ImageNet EfficientNet-Lite2 + skips, stage 1 -> 2, 6 + 4 '
     'epochs', None, _L2, 'test', [_L1, _L2]),
    ('lite2_tta', '... + multi-scale x 4-flip TTA', None, _L2, 'test_tta',
     [_L1, _L2]),
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
    ('stage 2 at 320 px vs 256 px (from the same stage 1, TTA)',
     'hr320_tta', 'main_tta'),
    ('EfficientNet-Lite2 vs Lite0 encoder (6 + 4 epochs, TTA)',
     'lite2_tta', 'short_tta'),
    ('TTA vs single view (ImageNet Lite2, 6 + 4 epochs)', 'lite2_tta',
     'lite2'),
]

MARK_START = '<!-- realdata-seg-table:start -->'
MARK_END = '<!-- realdata-seg-table:end -->'
CLS_MARK_START = '<!-- realdata-cls-table:start -->'
CLS_MARK_END = '<!-- realdata-cls-table:end -->'
CLS_CSV = osp.join('test', 'ISIC-2017_Test_v2_Part3.csv')

_E = 'cls_effnetlite0_'
_BIN = [_E + 'melanoma', _E + 'seborrheic_keratosis']
_BIN_CROP = [r + '_crop' for r in _BIN]
_MEMBERS = [_E + 'multiclass'] + _BIN
_MEMBERS_CROP = [r + '_crop' for r in _MEMBERS]

#: (key, what it is, paper's Table 2 AUCs (melanoma, SK, mean), the runs
#: whose CSVs give (melanoma, SK) probabilities, training runs). A row with
#: two runs takes melanoma from the first and SK from the second; 'both'
#: averages the two ensembles' probabilities.
CLS_ROWS = [
    ('scratch', 'ResNet-18 from scratch, 3 classes (the earlier recipe)',
     None, ['cls_resnet18_scratch_multiclass'] * 2,
     ['cls_resnet18_scratch_multiclass']),
    ('multiclass', 'ImageNet EfficientNet-Lite0, 3 classes',
     (84.3, 96.9, 90.6), [_E + 'multiclass'] * 2, [_E + 'multiclass']),
    ('binary', '... two binary models', (85.5, 97.0, 91.3), _BIN, _BIN),
    ('ensemble', '... ensemble of the three', (85.4, 97.6, 91.5),
     [_E + 'ensemble'] * 2, _MEMBERS),
    ('multiclass_crop', 'lesion crop, 3 classes', None,
     [_E + 'multiclass_crop'] * 2, [_E + 'multiclass_crop']),
    ('binary_crop', 'lesion crop, two binary models', None, _BIN_CROP,
     _BIN_CROP),
    ('ensemble_crop', 'lesion crop, ensemble of the three', None,
     [_E + 'ensemble_crop'] * 2, _MEMBERS_CROP),
    ('both', 'whole-image and lesion-crop ensembles averaged', None,
     ['cls_ensemble_both'] * 2, _MEMBERS + _MEMBERS_CROP),
]

#: Paired differences of the mean AUC: (label, better, worse).
CLS_COMPARISONS = [
    ('ImageNet encoder vs from scratch (3 classes)', 'multiclass',
     'scratch'),
    ('ensemble vs 3 classes', 'ensemble', 'multiclass'),
    ('ensemble vs two binary models', 'ensemble', 'binary'),
    ('lesion crop vs whole image (3 classes)', 'multiclass_crop',
     'multiclass'),
    ('lesion crop vs whole image (ensemble)', 'ensemble_crop', 'ensemble'),
    ('ensemble of both vs whole-image ensemble', 'both', 'ensemble'),
]


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


def _read_probabilities(work: str, run: str) -> Optional[pd.DataFrame]:
    path = osp.join(work, run, CLS_CSV)
    if not osp.isfile(path):
        return None
    return pd.read_csv(path).set_index('image_id')


def _average_ensembles(work: str) -> None:
    """Write the "ensemble of both" CSV: the mean of the whole-image and
    lesion-crop ensembles' probabilities, once both exist."""
    parts = [_read_probabilities(work, _E + r)
             for r in ('ensemble', 'ensemble_crop')]
    if any(p is None for p in parts):
        return
    both = ((parts[0] + parts[1].loc[parts[0].index]) / 2).reset_index()
    path = osp.join(work, 'cls_ensemble_both', CLS_CSV)
    os.makedirs(osp.dirname(path), exist_ok=True)
    both.to_csv(path, index=False)


def collect_cls(work: str, gt_csv: str,
                resamples: int = 2000) -> Dict[str, dict]:
    """One dict per row: AUCs re-scored from the CSVs, with intervals."""
    gt = pd.read_csv(gt_csv).set_index('image_id')
    _average_ensembles(work)
    rows = {}
    for key, label, paper, runs, train_runs in CLS_ROWS:
        row = dict(label=label, paper=paper, done=False, runs=runs)
        tables = [_read_probabilities(work, r) for r in runs]
        if any(t is None for t in tables):
            rows[key] = row
            continue
        ids = gt.index.intersection(tables[0].index).intersection(
            tables[1].index)
        if len(ids) != len(gt):
            raise SystemExit(
                f'error: {osp.join(work, runs[0], CLS_CSV)} covers '
                f'{len(ids)} of the {len(gt)} images of {gt_csv}')
        truth = {t: gt.loc[ids, t].to_numpy().astype(int) for t in TASKS}
        prob = {t: tables[i].loc[ids, t].to_numpy(np.float64)
                for i, t in enumerate(TASKS)}
        scores = {t: task_scores(truth[t], prob[t]) for t in TASKS}
        row.update(done=True, images=len(ids), truth=truth, prob=prob,
                   scores=scores,
                   train_seconds=_train_seconds(work, train_runs))
        for t in TASKS:
            row[f'{t}_auc'] = scores[t]['auc']
            row[f'{t}_ci'] = bootstrap_statistic_interval(
                lambda i, t=t: auc_or_nan(truth[t][i], prob[t][i]),
                len(ids), resamples)
        row['mean_auc'] = float(np.mean([row[f'{t}_auc'] for t in TASKS]))
        row['mean_ci'] = bootstrap_statistic_interval(
            lambda i: _mean_auc(truth, prob, i), len(ids), resamples)
        rows[key] = row
    return rows


def _mean_auc(truth: dict, prob: dict, idx: np.ndarray) -> float:
    return float(np.mean(
        [auc_or_nan(truth[t][idx], prob[t][idx]) for t in TASKS]))


def compare_cls(rows: Dict[str, dict],
                resamples: int = 2000) -> List[dict]:
    """Paired bootstrap of mean-AUC differences (same resampled images)."""
    out = []
    for label, better, worse in CLS_COMPARISONS:
        a, b = rows.get(better, {}), rows.get(worse, {})
        if not (a.get('done') and b.get('done')):
            continue
        low, high = bootstrap_statistic_interval(
            lambda i: _mean_auc(a['truth'], a['prob'], i) -
            _mean_auc(b['truth'], b['prob'], i), a['images'], resamples)
        out.append(dict(label=label, better=better, worse=worse,
                        difference=a['mean_auc'] - b['mean_auc'],
                        ci_low=low, ci_high=high))
    return out


def best_cls_row(rows: Dict[str, dict]) -> Optional[str]:
    done = [k for k, r in rows.items() if r['done']]
    return max(done, key=lambda k: rows[k]['mean_auc']) if done else None


def cls_markdown(rows: Dict[str, dict], comparisons: List[dict]) -> str:
    """The README's "Table 2 on real images" and its companions."""
    lines = [
        '| model (Test_v2 of the shared set, 518 images) | melanoma AUC | '
        'SK AUC | mean AUC (95% interval) | training, min (2 CPU cores) | '
        'paper (validation, ResNet-50, GPUs) |', '|---|---|---|---|---|---|'
    ]
    for key, *_ in CLS_ROWS:
        row = rows[key]
        paper = '' if row['paper'] is None else ' / '.join(
            f'{v:.1f}' for v in row['paper'])
        if not row['done']:
            lines.append(f'| {row["label"]} | pending | | | | {paper} |')
            continue
        cells = [
            f'{100 * row[f"{t}_auc"]:.1f} ({100 * row[f"{t}_ci"][0]:.1f}-'
            f'{100 * row[f"{t}_ci"][1]:.1f})' for t in TASKS
        ]
        lines.append(
            f'| {row["label"]} | {cells[0]} | {cells[1]} | '
            f'**{100 * row["mean_auc"]:.1f}** ({100 * row["mean_ci"][0]:.1f}'
            f'-{100 * row["mean_ci"][1]:.1f}) | '
            f'{_minutes(row.get("train_seconds"))} | {paper} |')
    if comparisons:
        lines += ['', '| paired difference of the mean AUC (same images) | '
                  'AUC points | 95% interval |', '|---|---|---|']
        for c in comparisons:
            lines.append(f'| {c["label"]} | {100 * c["difference"]:+.1f} | '
                         f'{100 * c["ci_low"]:+.1f} to '
                         f'{100 * c["ci_high"]:+.1f} |')
    best = best_cls_row(rows)
    if best is not None:
        scores = rows[best]['scores']
        names = [('auc', 'AUC'), ('ap', 'average precision'),
                 ('accuracy', 'accuracy at 0.5'),
                 ('sensitivity', 'sensitivity at 0.5'),
                 ('specificity', 'specificity at 0.5'),
                 ('specificity_at_sens_82', 'specificity at 82% sens.'),
                 ('specificity_at_sens_89', 'specificity at 89% sens.'),
                 ('specificity_at_sens_95', 'specificity at 95% sens.')]
        label = rows[best]['label']
        lines += ['', f'Part 3 figures of the best row ({label}):', '',
                  '| | melanoma | seborrheic keratosis |', '|---|---|---|']
        for name, text in names:
            lines.append(f'| {text} | {100 * scores["melanoma"][name]:.1f} |'
                         f' {100 * scores["seborrheic_keratosis"][name]:.1f}'
                         ' |')
    return '\n'.join(lines) + '\n'


def save_cls_roc(rows: Dict[str, dict], path: str) -> Optional[str]:
    """ROC curves of every finished row, one panel per task."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from sklearn.metrics import roc_curve

    done = [k for k, r in rows.items() if r['done']]
    if not done:
        return None
    fig = Figure(figsize=(9, 4.5), dpi=100)
    FigureCanvasAgg(fig)
    for i, task in enumerate(TASKS):
        ax = fig.add_subplot(1, 2, i + 1)
        for key in done:
            row = rows[key]
            fpr, tpr, _ = roc_curve(row['truth'][task], row['prob'][task])
            ax.plot(fpr, tpr, lw=1.5,
                    label=f'{key} ({100 * row[f"{task}_auc"]:.1f})')
        ax.plot([0, 1], [0, 1], ls='--', lw=1, color='grey')
        ax.set(xlim=(0, 1), ylim=(0, 1.01), xlabel='1 - specificity',
               ylabel='sensitivity', title=f'{task} (Test_v2)')
        ax.legend(loc='lower right', fontsize=7)
    fig.tight_layout()
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    fig.savefig(path)
    return path


def _json_row(row: dict) -> dict:
    """A row without its per-image arrays."""
    return {k: v for k, v in row.items() if k not in ('truth', 'prob')}


def replace_readme(readme: str, table: str, start: str = MARK_START,
                   end: str = MARK_END) -> None:
    with open(readme) as f:
        text = f.read()
    pattern = re.compile(re.escape(start) + '.*?' + re.escape(end), re.S)
    if not pattern.search(text):
        raise SystemExit(f'error: {readme} has no {start} ... '
                         f'{end} section to replace')
    text = pattern.sub(lambda _: f'{start}\n{table}{end}', text)
    with open(readme, 'w') as f:
        f.write(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('task', choices=['seg', 'cls'])
    parser.add_argument('work', help='WORK_DIR of tools/realdata.sh')
    parser.add_argument('--gt', help='cls: the Test_v2 Part 3 ground-truth '
                        'CSV')
    parser.add_argument('--readme', help='README to refresh')
    parser.add_argument('--resamples', type=int, default=2000,
                        help='cls: bootstrap resamples (default 2000)')
    args = parser.parse_args()
    if args.task == 'cls':
        if not args.gt:
            raise SystemExit('error: cls needs --gt, the ground-truth CSV '
                             '(DATA/ISIC-2017_Test_v2_Part3_GroundTruth.csv)')
        rows = collect_cls(args.work, args.gt, args.resamples)
        comparisons = compare_cls(rows, args.resamples)
        table = cls_markdown(rows, comparisons)
        name = 'cls_table'
        save_cls_roc(rows, osp.join(args.work, 'cls_roc.png'))
        dump = dict(rows={k: _json_row(r) for k, r in rows.items()},
                    comparisons=comparisons, best=best_cls_row(rows))
    else:
        rows = collect(args.work)
        comparisons = compare(rows)
        table = to_markdown(rows, comparisons)
        name = 'seg_table'
        dump = dict(rows=rows, comparisons=comparisons)
    with open(osp.join(args.work, f'{name}.md'), 'w') as f:
        f.write(table)
    with open(osp.join(args.work, f'{name}.json'), 'w') as f:
        json.dump(dump, f, indent=2)
    print(table)
    if args.readme:
        if args.task == 'cls':
            replace_readme(args.readme, table, CLS_MARK_START, CLS_MARK_END)
            save_cls_roc(rows, osp.join(osp.dirname(osp.abspath(
                args.readme)), 'docs', 'realdata_cls_roc.png'))
        else:
            replace_readme(args.readme, table)
        print(f'{args.readme}: table refreshed')


if __name__ == '__main__':
    main()
