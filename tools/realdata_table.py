"""Tables 1 and 2 on real images, from the files tools/realdata.sh wrote.

    python tools/realdata_table.py seg work_dirs/realdata [--readme README.md]
        [--index]
    python tools/realdata_table.py cls work_dirs/realdata \
        --gt DATA/ISIC-2017_Test_v2_Part3_GroundTruth.csv [--readme README.md]

Every number comes from a run's ``metrics.json`` (mean Jaccard and its 95%
bootstrap interval, written by ``ISICSegmentationMetric``) or, for the
paired differences between two rows, from their per-image score files
(``per_image.csv``, bootstrap over the same images). Rows whose run has
not finished are listed as pending, except that with ``--readme`` a row
or paired difference that the work folder has nothing for keeps the
README's earlier line (and its model its earlier results in the model
index), so that a machine holding only some runs refreshes theirs without
blanking the rest; ``--fresh`` turns that off. Writes ``WORK/seg_table.md``
and ``WORK/seg_table.json``; ``--readme`` replaces the table between the
README's ``<!-- realdata-seg-table -->`` markers. With ``--readme`` or
``--index`` it also writes the model index from the same rows, the
OpenMMLab way: ``configs/<family>/metafile.yml`` for each table (one model
per run a row shows; without results where its tests are not in WORK) and
``model-index.yml``, which imports them.

``cls`` re-scores each run's Part 3 CSV (``ISIC-2017_Test_v2_Part3.csv``,
written by ``tools/test.py --out``) against the ground-truth CSV with
scikit-learn: AUCs with 95% bootstrap intervals over images, paired
differences between rows, the challenge's other Part 3 figures for the best
row, and the ROC curves (``WORK/cls_roc.png``; with ``--readme`` also
``docs/realdata_cls_roc.png``). Its rows and comparisons are the run table's
(``isic_plugins/realdata/cls_table.py``); the row of the two binary models
takes melanoma from one CSV and SK from the other.
"""
import argparse
import glob
import importlib
import json
import os
import os.path as osp
import re
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from isic_plugins.evaluation import (
    auc_or_nan,
    bootstrap_interval,
    bootstrap_statistics,
    percentile_interval,
)
from isic_plugins.evaluation.isic_classification_metric import (
    TASKS,
    task_scores,
)
from isic_plugins.realdata import CLS, CLS_TABLES, SEG_TABLES, Table
from isic_plugins.realdata.cls_table import CLS_CSV
from isic_plugins.realdata.driver import read_seconds

#: README markers of each segmentation table (isic_plugins.realdata).
SEG_MARKS = dict(
    realdata=('<!-- realdata-seg-table:start -->',
              '<!-- realdata-seg-table:end -->'),
    fullframe=('<!-- realdata-fullframe-table:start -->',
               '<!-- realdata-fullframe-table:end -->'))
MARK_START, MARK_END = SEG_MARKS['realdata']
CLS_MARKS = dict(
    cls=('<!-- realdata-cls-table:start -->',
         '<!-- realdata-cls-table:end -->'),
    archive=('<!-- realdata-cls-archive-table:start -->',
             '<!-- realdata-cls-archive-table:end -->'))


def _read_json(path: str) -> Optional[dict]:
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def _train_seconds(work: str, runs: List[str]) -> Optional[int]:
    """Training seconds of ``runs`` (every invocation), None unless all
    are finished."""
    if not all(osp.isfile(osp.join(work, r, '.done')) for r in runs):
        return None
    return sum(read_seconds(osp.join(work, r, 'train_seconds'))
               for r in runs)


def _metric(metrics: dict, name: str) -> Optional[float]:
    for key, value in metrics.items():
        if key.split('/')[-1] == name:
            return float(value)
    return None


def _scores(folder: str) -> dict:
    """The figures of one test folder (``done`` False if not tested)."""
    metrics = _read_json(osp.join(folder, 'metrics.json'))
    if metrics is None:
        return dict(done=False, folder=folder)
    row = dict(
        done=True, folder=folder,
        jaccard=_metric(metrics, 'jaccard'),
        ci_low=_metric(metrics, 'jaccard_ci_low'),
        ci_high=_metric(metrics, 'jaccard_ci_high'),
        threshold_jaccard=_metric(metrics, 'threshold_jaccard'),
        dice=_metric(metrics, 'dice'),
        sensitivity=_metric(metrics, 'sensitivity'),
        specificity=_metric(metrics, 'specificity'),
        per_image=osp.join(folder, 'per_image.csv'))
    seconds = osp.join(folder, 'test_seconds')
    if osp.isfile(seconds):
        with open(seconds) as f:
            row['test_seconds'] = int(f.read().strip())
    return row


def collect(work: str, table: Table = SEG_TABLES['realdata']
            ) -> Dict[str, dict]:
    """One dict per row of ``table``: scores, interval, times, files.

    The Test_v2 figures are at the top level; a row with a full-frame
    column has them under ``ff``.
    """
    rows = {}
    for r in table.rows:
        row = dict(label=r.label, paper=r.paper,
                   **_scores(osp.join(work, r.run, r.test)))
        if row['done']:
            row['train_seconds'] = _train_seconds(work, list(r.train_runs))
        if r.ff_test is not None and table is not SEG_TABLES['realdata']:
            for split in ('ff', 'ffhard', 'sample'):
                row[split] = _scores(osp.join(work, r.run,
                                              r.split_test(split)))
        rows[r.key] = row
    return rows


def _per_image(work: str, rows: Dict[str, dict], key: str,
               split: str) -> Optional[str]:
    """Per-image scores of a row (on ``split``) or of ``run/test``."""
    if key in rows:
        row = rows[key] if split == 'test' else rows[key].get(split, {})
        return row.get('per_image') if row.get('done') else None
    path = osp.join(work, key, 'per_image.csv')
    return path if osp.isfile(path) else None


def compare(rows: Dict[str, dict], table: Table = SEG_TABLES['realdata'],
            work: str = '') -> List[dict]:
    """Paired bootstrap of per-image Jaccard differences between rows."""
    out = []
    for c in table.comparisons:
        pa = _per_image(work, rows, c.better, c.split)
        pb = _per_image(work, rows, c.worse, c.split)
        if not (pa and pb and osp.isfile(pa) and osp.isfile(pb)):
            continue
        sa = pd.read_csv(pa).set_index('image_id')['jaccard']
        sb = pd.read_csv(pb).set_index('image_id')['jaccard']
        common = sa.index.intersection(sb.index)
        diff = (sa[common] - sb[common]).to_numpy()
        low, high = bootstrap_interval(diff)
        out.append(dict(label=c.label, better=c.better, worse=c.worse,
                        split=c.split, images=len(common),
                        difference=float(diff.mean()), ci_low=low,
                        ci_high=high))
    return out


def _minutes(seconds: Optional[int]) -> str:
    return '' if seconds is None else f'{seconds / 60:.0f}'


def _split_cell(split: str) -> str:
    """A paired difference's split, as the full-frame table names it."""
    return dict(ff='full frames', ffhard='hard full frames',
                sample='isic_sample').get(split, 'Test_v2')


def _diff_head(with_split: bool) -> List[str]:
    """The header and rule of a seg table's paired differences."""
    if with_split:
        return ['| paired difference (same images) | split | Jaccard points '
                '| 95% interval |', '|---|---|---|---|']
    return ['| paired difference (same images) | Jaccard points | '
            '95% interval |', '|---|---|---|']


#: The header and rule of a cls table's paired differences.
CLS_DIFF_HEAD = ['| paired difference of the mean AUC (same images) | '
                 'AUC points | 95% interval |', '|---|---|---|']


def _comparison_lines(comparisons: List[dict], with_split: bool) -> list:
    if not comparisons:
        return []
    lines = [''] + _diff_head(with_split)
    for c in comparisons:
        split = f'{_split_cell(c["split"])} | ' if with_split else ''
        lines.append(f'| {c["label"]} | {split}{100 * c["difference"]:+.1f} '
                     f'| {100 * c["ci_low"]:+.1f} to '
                     f'{100 * c["ci_high"]:+.1f} |')
    return lines


def to_markdown(rows: Dict[str, dict], comparisons: List[dict],
                table: Table = SEG_TABLES['realdata']) -> str:
    """The first table: Test_v2 only (its runs trained on every image)."""
    lines = [
        '| model (Test_v2 of the shared set, stored resolution) | mean '
        'Jaccard | 95% interval | thresholded Jaccard | training, min '
        '(2 CPU cores) | paper (validation, ResNet-50, GPUs) |',
        '|---|---|---|---|---|---|',
    ]
    for r in table.rows:
        row = rows[r.key]
        paper = '' if row['paper'] is None else f'{row["paper"]:.1f}'
        if not row['done']:
            lines.append(f'| {row["label"]} | pending | | | | {paper} |')
            continue
        lines.append(
            f'| {row["label"]} | **{100 * row["jaccard"]:.1f}** | '
            f'{100 * row["ci_low"]:.1f}-{100 * row["ci_high"]:.1f} | '
            f'{100 * row["threshold_jaccard"]:.1f} | '
            f'{_minutes(row.get("train_seconds"))} | {paper} |')
    lines += _comparison_lines(comparisons, with_split=False)
    return '\n'.join(lines) + '\n'


def _cell(scores: dict) -> str:
    if not scores.get('done'):
        return 'pending | | '
    return (f'**{100 * scores["jaccard"]:.1f}** | '
            f'{100 * scores["ci_low"]:.1f}-{100 * scores["ci_high"]:.1f} | '
            f'{100 * scores["sensitivity"]:.1f} / '
            f'{100 * scores["specificity"]:.1f}')


def fullframe_markdown(rows: Dict[str, dict], comparisons: List[dict],
                       table: Table = SEG_TABLES['fullframe']) -> str:
    """A table with the full-frame column beside Test_v2."""
    splits = ('ff', 'ffhard', 'sample')
    names = ('full frames', 'hard full frames', 'isic_sample', 'Test_v2')
    lines = [
        '| model (full frames held out of training) | ' + ' | '.join(
            f'{n}: mean Jaccard | 95% interval | sensitivity / specificity'
            for n in names) + ' | training, min (2 CPU cores) |',
        '|---|' + '---|---|---|' * len(names) + '---|',
    ]
    for r in table.rows:
        row = rows[r.key]
        cells = [_cell(row.get(s, dict(done=False))) for s in splits]
        lines.append(f'| {row["label"]} | ' + ' | '.join(cells) +
                     f' | {_cell(row)} | '
                     f'{_minutes(row.get("train_seconds"))} |')
    lines += _comparison_lines(comparisons, with_split=True)
    return '\n'.join(lines) + '\n'


def _cells(line: str) -> List[str]:
    return [c.strip() for c in line.strip().strip('|').split('|')]


def _section_lines(section: str, with_split: bool) -> Dict[tuple, str]:
    """The row and paired-difference lines of a README table section, by
    key: a row by its label (with the label of the last row above it that
    does not start with '...', for the '... + TTA' rows), a paired
    difference by its label and, in the full-frame table, its split."""
    out, lead, block = {}, '', 0
    for line in section.strip().splitlines():
        if not line.strip():
            block += 1
            continue
        if not line.startswith('|') or line.startswith('|---'):
            continue
        cells = _cells(line)
        if block == 0:
            lead = lead if cells[0].startswith('...') else cells[0]
            key = ('row', lead, cells[0])
        else:
            key = ('diff', cells[0], cells[1] if with_split else '')
        out.setdefault(key, line)
    return out


def _empty(line: str) -> bool:
    """A row none of whose runs was in the work folder."""
    return '| pending |' in line and '**' not in line


def keep_readme_lines(markdown: str, old_section: str, table: Table,
                      with_split: bool, diff_head: List[str]
                      ) -> Tuple[str, List[str]]:
    """``markdown`` with the README's earlier figures where the work folder
    has none: a row pending here keeps its README line, a paired difference
    that cannot be computed here keeps its README line (in the table's
    order). Refreshing on a machine that holds only some runs thus adds
    their figures without blanking the others. Returns the table and the
    labels kept (``diff_head``: the paired differences' header lines)."""
    old = _section_lines(old_section, with_split)
    new = _section_lines(markdown, with_split)
    kept, lines, lead = [], [], ''
    rows = markdown.split('\n\n', 1)[0].splitlines()
    for i, line in enumerate(rows):
        if i >= 2:  # below the header and its rule
            label = _cells(line)[0]
            lead = lead if label.startswith('...') else label
            earlier = old.get(('row', lead, label))
            if _empty(line) and earlier and not _empty(earlier):
                line = earlier
                kept.append(label if label == lead else f'{lead} {label}')
        lines.append(line)
    diffs = []
    for c in table.comparisons:
        key = ('diff', c.label, _split_cell(c.split) if with_split else '')
        line = new.get(key)
        if line is None and key in old:
            line = old[key]
            kept.append(c.label)
        if line is not None:
            diffs.append(line)
    if diffs:
        lines += [''] + diff_head + diffs
    return '\n'.join(lines) + '\n', kept


def _best_mean_auc(markdown: str) -> float:
    """The highest bold mean AUC of a cls table's rows (-1: none)."""
    rows = markdown.split('\n\n', 1)[0]
    return max((float(m) for m in re.findall(r'\*\*([0-9.]+)\*\*', rows)),
               default=-1.0)


def keep_cls_readme(markdown: str, old_section: str, table: Table
                    ) -> Tuple[str, List[str], bool]:
    """:func:`keep_readme_lines` for a classification table, with the
    Part 3 figures of the best row among both the rows scored here and
    the rows kept (the README's earlier block where a kept row is best).
    Returns the table, the labels kept, and whether the best row is a
    kept one."""
    out, kept = keep_readme_lines(markdown, old_section, table, False,
                                  CLS_DIFF_HEAD)
    kept_best = bool(kept) and _best_mean_auc(out) > _best_mean_auc(markdown)
    source = old_section if kept_best else markdown
    block = source.strip().split('\nPart 3 figures', 1)
    named = re.search(r'of the best row \((.*)\):', block[-1])
    labels = {_cells(line)[0] for line in out.splitlines()
              if line.startswith('| ')}
    # the earlier block only where the row it names is still in the table
    if len(block) == 2 and (not kept_best or named and named.group(1) in
                            labels):
        out += '\nPart 3 figures' + block[1].rstrip('\n') + '\n'
    return out, kept, kept_best


def _read_probabilities(work: str, run: str,
                        test: str = 'test') -> Optional[pd.DataFrame]:
    path = osp.join(work, run, test, CLS_CSV)
    if not osp.isfile(path):
        return None
    return pd.read_csv(path).set_index('image_id')


def collect_cls(work: str, gt_csv: str, resamples: int = 2000,
                table: Table = CLS,
                cache: Optional[dict] = None) -> Dict[str, dict]:
    """One dict per row: AUCs re-scored from the CSVs, with intervals.

    Each task's AUC is bootstrapped once per row (``boot``: one value per
    resample, the same image draws for every row); the mean AUC's interval
    and :func:`compare_cls`'s paired differences are computed from these
    values. ``cache`` (a dict kept by the caller) shares the scores of the
    same runs' test between tables, so a run shown in two tables is scored
    once.
    """
    gt = pd.read_csv(gt_csv).set_index('image_id')
    cache = {} if cache is None else cache
    rows = {}
    for r in table.rows:
        runs = list(r.task_runs)
        row = dict(label=r.label, paper=r.paper, done=False, runs=runs)
        key = (work, gt_csv, resamples, tuple(runs), r.test)
        if key not in cache:
            cache[key] = _score_cls(work, gt, gt_csv, runs, r.test,
                                    resamples)
        if cache[key] is None:
            rows[r.key] = row
            continue
        row.update(cache[key], done=True,
                   train_seconds=_train_seconds(work, list(r.train_runs)))
        rows[r.key] = row
    return rows


def _score_cls(work: str, gt: pd.DataFrame, gt_csv: str, runs: List[str],
               test: str, resamples: int) -> Optional[dict]:
    """What a row scores from its runs' ``test`` CSVs (the images, labels,
    probabilities, AUCs, their bootstrap values and intervals); None until
    each run's CSV is there."""
    tables = [_read_probabilities(work, run, test) for run in runs]
    if any(t is None for t in tables):
        return None
    ids = gt.index.intersection(tables[0].index).intersection(
        tables[1].index)
    if len(ids) != len(gt):
        raise SystemExit(
            f'error: {osp.join(work, runs[0], test, CLS_CSV)} covers '
            f'{len(ids)} of the {len(gt)} images of {gt_csv}')
    truth = {t: gt.loc[ids, t].to_numpy().astype(int) for t in TASKS}
    prob = {t: tables[i].loc[ids, t].to_numpy(np.float64)
            for i, t in enumerate(TASKS)}
    scores = {t: task_scores(truth[t], prob[t]) for t in TASKS}
    boot = {t: bootstrap_statistics(
        lambda i, t=t: auc_or_nan(truth[t][i], prob[t][i]), len(ids),
        resamples) for t in TASKS}
    # NaN where either task's AUC is undefined, dropped by the interval
    boot['mean'] = np.mean([boot[t] for t in TASKS], axis=0)
    out = dict(images=len(ids), truth=truth, prob=prob, scores=scores,
               boot=boot,
               mean_auc=float(np.mean([scores[t]['auc'] for t in TASKS])),
               mean_ci=percentile_interval(boot['mean']))
    for t in TASKS:
        out[f'{t}_auc'] = scores[t]['auc']
        out[f'{t}_ci'] = percentile_interval(boot[t])
    return out


def compare_cls(rows: Dict[str, dict], resamples: int = 2000,
                table: Table = CLS) -> List[dict]:
    """Paired bootstrap of mean-AUC differences: the two rows' mean AUCs
    on the same resampled images (their ``boot`` values, drawn alike)."""
    out = []
    for c in table.comparisons:
        a, b = rows.get(c.better, {}), rows.get(c.worse, {})
        if not (a.get('done') and b.get('done')):
            continue
        low, high = percentile_interval(a['boot']['mean'] -
                                        b['boot']['mean'])
        out.append(dict(label=c.label, better=c.better, worse=c.worse,
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
    for row in rows.values():
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
        lines += [''] + CLS_DIFF_HEAD
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
    return {k: v for k, v in row.items()
            if k not in ('truth', 'prob', 'boot')}


def _say_kept(readme: str, key: str, kept: List[str]) -> None:
    if kept:
        print(f'{readme}: {len(kept)} lines of the {key} table kept (no '
              'results in the work folder): ' + '; '.join(kept))


def readme_section(readme: str, start: str, end: str) -> str:
    """The README's text between the markers ('' where it has none)."""
    with open(readme) as f:
        text = f.read()
    match = re.search(re.escape(start) + '(.*?)' + re.escape(end), text, re.S)
    return match.group(1) if match else ''


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


def _index_root(args: argparse.Namespace) -> str:
    """Where the model index goes: beside the README, else into this
    repository."""
    if args.readme:
        return osp.dirname(osp.abspath(args.readme))
    return osp.dirname(osp.dirname(osp.abspath(__file__)))


def write_cls_table(key: str, table: Table, args: argparse.Namespace,
                    index_root: str, skip: Sequence[str] = (),
                    cache: Optional[dict] = None) -> None:
    """One classification table: ``WORK/cls_table[_KEY].{md,json}``, the
    ROC curves, and with ``--readme`` the README section between the
    table's markers (:data:`CLS_MARKS`) and
    ``docs/realdata_cls[_KEY]_roc.png``.
    """
    suffix = '' if key == 'cls' else f'_{key}'
    rows = collect_cls(args.work, args.gt, args.resamples, table, cache)
    comparisons = compare_cls(rows, args.resamples, table)
    markdown = cls_markdown(rows, comparisons)
    save_cls_roc(rows, osp.join(args.work, f'cls{suffix}_roc.png'))
    dump = dict(rows={k: _json_row(r) for k, r in rows.items()},
                comparisons=comparisons, best=best_cls_row(rows))
    kept = []
    if args.readme and not args.fresh:
        markdown, kept, _ = keep_cls_readme(
            markdown, readme_section(args.readme, *CLS_MARKS[key]), table)
        _say_kept(args.readme, key, kept)
    _write(args.work, f'cls_table{suffix}', markdown, dump)
    if args.readme:
        replace_readme(args.readme, markdown, *CLS_MARKS[key])
        roc = osp.join(osp.dirname(osp.abspath(args.readme)), 'docs',
                       f'realdata_cls{suffix}_roc.png')
        if kept:  # its curves are of runs this work folder lacks
            print(f'{roc}: not redrawn (rows kept from the README)')
        else:
            save_cls_roc(rows, roc)
        print(f'{args.readme}: {key} table refreshed')
    if args.readme or args.index:
        write_metafile(key, table, rows, index_root,
                       cls_metafile(key, table, rows, skip),
                       keep=not args.fresh)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('task', choices=['seg', 'cls'])
    parser.add_argument('work', help='WORK_DIR of tools/realdata.sh')
    parser.add_argument('--gt', help='cls: the Test_v2 Part 3 ground-truth '
                        'CSV')
    parser.add_argument('--readme', help='README to refresh')
    parser.add_argument('--index', action='store_true',
                        help='write the model index (configs/<family>/'
                        'metafile.yml, model-index.yml) without refreshing '
                        'a README (--readme writes it too)')
    parser.add_argument('--only', nargs='+',
                        choices=[*SEG_TABLES, *CLS_TABLES],
                        help='only these tables (default: all of the task)')
    parser.add_argument('--fresh', action='store_true',
                        help='write "pending" for every row and model '
                        'whose runs are not in WORK (default: keep the '
                        'README\'s and the model index\'s earlier figures '
                        'for them, so a machine holding only some runs '
                        'refreshes those)')
    parser.add_argument('--resamples', type=int, default=2000,
                        help='cls: bootstrap resamples (default 2000)')
    parser.add_argument('--table', help='cls: MODULE:NAME of a dict of run '
                        'tables that replaces the project\'s (tests)')
    args = parser.parse_args()
    if args.task == 'cls':
        if not args.gt:
            raise SystemExit('error: cls needs --gt, the ground-truth CSV '
                             '(DATA/ISIC-2017_Test_v2_Part3_GroundTruth.csv)')
        tables = CLS_TABLES
        if args.table:
            module, name = args.table.split(':')
            tables = getattr(importlib.import_module(module), name)
        shown: set = set()  # a run is indexed by the first table showing it
        scored: dict = {}  # a run shown in two tables is scored once
        for key, cls in tables.items():
            if not args.only or key in args.only:
                write_cls_table(key, cls, args, _index_root(args), shown,
                                scored)
            shown |= {r for row in cls.rows
                      for r in (row.run, row.sk_run) if r}
        if args.readme or args.index:
            write_model_index(_index_root(args))
        return
    index_root = _index_root(args)
    for key, seg in SEG_TABLES.items():
        if args.only and key not in args.only:
            continue
        rows = collect(args.work, seg)
        comparisons = compare(rows, seg, args.work)
        write = fullframe_markdown if key == 'fullframe' else to_markdown
        table = write(rows, comparisons, seg)
        name = 'seg_table' if key == 'realdata' else f'seg_table_{key}'
        if args.readme and not args.fresh:
            split = key == 'fullframe'
            table, kept = keep_readme_lines(
                table, readme_section(args.readme, *SEG_MARKS[key]), seg,
                split, _diff_head(split))
            _say_kept(args.readme, key, kept)
        _write(args.work, name, table,
               dict(rows=rows, comparisons=comparisons))
        if args.readme:
            replace_readme(args.readme, table, *SEG_MARKS[key])
            print(f'{args.readme}: {key} table refreshed')
        if args.readme or args.index:
            write_metafile(key, seg, rows, index_root,
                           keep=not args.fresh)
    if args.readme or args.index:
        path = write_model_index(index_root)
        if path:
            print(f'{path}: written')


#: What each table's runs are scored on, as the model index names it.
_DATASETS = dict(
    test='ISIC 2017 Test_v2 (shared set, 512 px crops, 518 images)',
    ff='ISIC 2017 training full frames (held out, 341 images)',
    ffhard='ISIC 2017 training full frames with pale rims or dark '
    'vignettes (held out, 101 images)',
    sample='isic_sample (40 full frames at up to 1024 px)')


def _collection(key: str, models: Dict[str, dict]) -> dict:
    """A metafile's collection ``key`` of ``models`` (name -> entry whose
    ``Results`` is a dict by split; a model without results has none)."""
    out = []
    for model in models.values():
        results = list(model.pop('Results').values())
        out.append(dict(model, Results=results) if results else model)
    return dict(Collections=[dict(
        Name=key, Metadata={'Training Data': 'ISIC 2017 (shared set)'},
        README='README.md')], Models=out)


def metafile(key: str, table: Table, rows: Dict[str, dict]) -> dict:
    """The model index of one table, the OpenMMLab way (``metafile.yml``).

    One model per run that a row of the table shows (rows marked
    ``index=False`` only serve a comparison), with its config, the run it
    starts from, its training time once its row is done, and the
    single-view and TTA Jaccard (x100, as the README) of each split it was
    scored on. The figures are the rows' own, so the README and the index
    agree; a model none of whose tests are in the work folder has no
    ``Results``.
    """
    models = {}
    for r in table.rows:
        if not r.index:
            continue
        row = rows[r.key]
        run = table.runs[r.run]
        model = models.setdefault(r.run, dict(
            Name=r.run, **{'In Collection': key},
            Config=run.config,
            Metadata={'Training Resources': '2 CPU cores',
                      'Run': run.what},
            Results={}))
        if run.parent:
            parent = table.runs[run.parent]
            model['Metadata']['load_from'] = (
                f'{parent.name} ({parent.config})')
        if row.get('train_seconds') is not None:
            model['Metadata']['Training Time (min)'] = round(
                row['train_seconds'] / 60)
        metric = 'Jaccard (ms+flip)' if 'tta' in r.test else 'Jaccard'
        splits = [(split, row if split == 'test' else row.get(split, {}))
                  for split in ('test', 'ff', 'ffhard', 'sample')]
        for split, scores in splits:
            if not scores.get('done'):
                continue
            result = model['Results'].setdefault(split, dict(
                Task='Semantic Segmentation', Dataset=_DATASETS[split],
                Metrics={}))
            result['Metrics'][metric] = round(100 * scores['jaccard'], 1)
    return _collection(key, models)


def cls_metafile(key: str, table: Table, rows: Dict[str, dict],
                 skip: Sequence[str] = ()) -> dict:
    """:func:`metafile` for a classification table: one model per run that
    a row shows (``skip``: runs another collection lists), its AUCs on
    Test_v2 (x100, as the README), single view and with TTA; a binary
    model, shown beside its partner, has its own task's AUC."""
    models = {}
    for r in table.rows:
        row = rows[r.key]
        tta = ' (4-flip)' if 'tta' in r.test else ''
        if r.sk_run:  # the two binary models: each its task's AUC
            parts = [(r.run, [('Melanoma AUC', 'melanoma_auc')]),
                     (r.sk_run, [('SK AUC', 'seborrheic_keratosis_auc')])]
        else:
            parts = [(r.run, [('Mean AUC', 'mean_auc'),
                              ('Melanoma AUC', 'melanoma_auc'),
                              ('SK AUC', 'seborrheic_keratosis_auc')])]
        for name, metrics in parts:
            if name in skip:
                continue
            run = table.runs[name]
            model = models.setdefault(name, dict(
                Name=name, **{'In Collection': key}, Config=run.config,
                Metadata={'Training Resources': '2 CPU cores',
                          'Run': run.what}, Results={}))
            if not row.get('done'):
                continue
            if not r.sk_run and row.get('train_seconds') is not None:
                model['Metadata']['Training Time (min)'] = round(
                    row['train_seconds'] / 60)
            result = model['Results'].setdefault('test', dict(
                Task='Image Classification', Dataset=_DATASETS['test'],
                Metrics={}))
            for metric, field in metrics:
                result['Metrics'][metric + tta] = round(100 * row[field], 1)
    return _collection(key, models)


def write_metafile(key: str, table: Table, rows: Dict[str, dict],
                   root: str, index: Optional[dict] = None,
                   keep: bool = False) -> Optional[str]:
    """``configs/<family>/metafile.yml`` of a table whose runs share one
    config folder under ``root`` (None where they do not): the collection
    ``key`` (``index``, by default :func:`metafile`'s) replaces its earlier
    entries there; other tables' collections in that folder are kept. With
    ``keep``, a model without results here keeps its earlier results and
    training time. Its first lines name the models without results."""
    import textwrap

    import yaml
    if index is None:
        index = metafile(key, table, rows)
    folders = {osp.dirname(r.config) for r in table.runs.values()
               if r.train}
    if len(folders) != 1:
        return None
    folder = osp.join(root, folders.pop())
    if not osp.isdir(folder):  # a README outside the repository
        return None
    path = osp.join(folder, 'metafile.yml')
    if osp.isfile(path):  # the folder's other tables
        old = yaml.safe_load(open(path)) or {}
        earlier = {m['Name']: m for m in old.get('Models', [])
                   if m['In Collection'] == key and 'Results' in m}
        for model in index['Models']:
            was = earlier.get(model['Name'])
            if keep and 'Results' not in model and was is not None:
                model['Results'] = was['Results']
                time = was['Metadata'].get('Training Time (min)')
                if time is not None:
                    model['Metadata'].setdefault('Training Time (min)', time)
        index = dict(  # in place of the earlier entries, else last
            Collections=_replace(old.get('Collections', []),
                                 index['Collections'],
                                 lambda c: c['Name'] == key),
            Models=_replace(old.get('Models', []), index['Models'],
                            lambda m: m['In Collection'] == key))
    missing = [m['Name'] for m in index['Models'] if 'Results' not in m]
    note = ("Written by tools/realdata_table.py from the runs' metrics.json "
            '(as the README tables): do not edit.')
    if missing:
        note += (f' No results for {", ".join(missing)}: their tests\' '
                 'metrics.json were not in the work folder this was '
                 'written from (tools/realdata_table.py seg|cls WORK '
                 '--index where the runs are adds them).')
    with open(path, 'w') as f:
        for line in textwrap.wrap(note, 77):
            f.write(f'# {line}\n')
        yaml.safe_dump(index, f, sort_keys=False, width=79)
    print(f'{path}: model index written ({len(index["Models"])} models, '
          f'{len(missing)} without results)')
    return path


def _replace(old: list, new: list, ours) -> list:
    """``old`` with the entries ``ours`` selects replaced by ``new``, where
    the first of them was (at the end if none)."""
    at = next((i for i, e in enumerate(old) if ours(e)), len(old))
    rest = [e for e in old if not ours(e)]
    at -= sum(1 for e in old[:at] if ours(e))
    return rest[:at] + new + rest[at:]


def write_model_index(root: str) -> Optional[str]:
    """``model-index.yml`` at ``root``: OpenMMLab's index, importing every
    ``configs/**/metafile.yml``; None without a ``configs`` folder."""
    import yaml
    if not osp.isdir(osp.join(root, 'configs')):
        return None
    metafiles = sorted(
        osp.relpath(p, root) for p in glob.glob(
            osp.join(root, 'configs', '**', 'metafile.yml'), recursive=True))
    path = osp.join(root, 'model-index.yml')
    with open(path, 'w') as f:
        f.write('# Written by tools/realdata_table.py: the model index of '
                'every config family\n# with results (configs/*/'
                'metafile.yml).\n')
        yaml.safe_dump(dict(Import=metafiles), f, sort_keys=False)
    return path


def _write(work: str, name: str, table: str, dump: dict) -> None:
    with open(osp.join(work, f'{name}.md'), 'w') as f:
        f.write(table)
    with open(osp.join(work, f'{name}.json'), 'w') as f:
        json.dump(dump, f, indent=2)
    print(table)


if __name__ == '__main__':
    main()
