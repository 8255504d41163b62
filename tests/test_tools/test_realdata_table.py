"""tools/realdata_table.py: the README table comes from the runs' files."""
import json
import os
import os.path as osp
import subprocess

import numpy as np
import pandas as pd
import pytest


def _run_dir(work, run, test, jaccards, seconds=None):
    folder = osp.join(work, run, test)
    os.makedirs(folder, exist_ok=True)
    ids = [f'ISIC_{i:07d}' for i in range(len(jaccards))]
    pd.DataFrame(dict(image_id=ids, jaccard=jaccards)).to_csv(
        osp.join(folder, 'per_image.csv'), index=False)
    metrics = {'isic/jaccard': float(np.mean(jaccards)),
               'isic/sensitivity': 0.75, 'isic/specificity': 0.99,
               'isic/jaccard_ci_low': float(np.mean(jaccards)) - 0.01,
               'isic/jaccard_ci_high': float(np.mean(jaccards)) + 0.01,
               'isic/threshold_jaccard': 0.5, 'isic/dice': 0.8}
    with open(osp.join(folder, 'metrics.json'), 'w') as f:
        json.dump(metrics, f)
    if seconds is not None:
        with open(osp.join(work, run, 'train_seconds'), 'w') as f:
            f.write('\n'.join(str(s) for s in seconds) + '\n')
        open(osp.join(work, run, '.done'), 'w').close()


def test_table_rows_and_paired_differences(python, repo_root, tmp_path):
    work = str(tmp_path / 'work')
    rng = np.random.default_rng(0)
    base = rng.uniform(0.5, 0.9, 50)
    _run_dir(work, 'seg_effnetlite0_stage1', 'test', base - 0.05, [600, 300])
    _run_dir(work, 'seg_effnetlite0_stage2', 'test', base, [600])
    _run_dir(work, 'seg_effnetlite0_stage2', 'test_tta', base + 0.02)
    _run_dir(work, 'seg_effnetlite0_short_stage2', 'test', base - 0.01)
    _run_dir(work, 'seg_resnet18_scratch_stage1', 'test', base - 0.3, [60])
    _run_dir(work, 'seg_resnet18_scratch_stage2', 'test', base - 0.2, [60])
    readme = tmp_path / 'README.md'
    readme.write_text('intro\n<!-- realdata-seg-table:start -->\nOLD TABLE\n'
                      '<!-- realdata-seg-table:end -->\nrest\n')
    res = subprocess.run(
        [python, 'tools/realdata_table.py', 'seg', work, '--readme',
         str(readme), '--only', 'realdata'], cwd=repo_root,
        capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    table = open(osp.join(work, 'seg_table.md')).read()
    main = f'**{100 * base.mean():.1f}**'
    assert main in table
    # stage 1 (900 s, two invocations after a resume) + stage 2 (600 s)
    row = next(line for line in table.splitlines()
               if line.startswith('| ImageNet EfficientNet-Lite0 + skips, '
                                  'stage 1 -> 2, 12 + 8'))
    assert '| 25 |' in row and '77.8' in row
    assert '| pending |' in table  # runs that did not finish
    data = json.load(open(osp.join(work, 'seg_table.json')))
    diffs = {c['label']: c for c in data['comparisons']}
    tta = diffs['TTA vs single view (ImageNet, 12 + 8 epochs)']
    assert tta['difference'] == pytest.approx(0.02)
    assert tta['ci_low'] == pytest.approx(0.02)  # a constant difference
    # the ablation compares equal budgets: the 6 + 4 epoch run, not 12 + 8
    scratch = diffs['ImageNet encoder vs from scratch (6 + 4 epochs, '
                    'single view)']
    assert scratch['difference'] == pytest.approx(0.19)
    text = readme.read_text()
    assert "OLD TABLE" not in text and main in text
    assert text.endswith("rest\n")


def test_readme_without_markers_is_refused(python, repo_root, tmp_path):
    work = str(tmp_path / 'work')
    os.makedirs(work)
    readme = tmp_path / 'README.md'
    readme.write_text('no markers\n')
    res = subprocess.run(
        [python, 'tools/realdata_table.py', 'seg', work, '--readme',
         str(readme)], cwd=repo_root, capture_output=True, text=True,
        timeout=300)
    assert res.returncode != 0
    assert 'realdata-seg-table:start' in res.stderr


def _cls_csv(work, run, ids, melanoma, sk):
    folder = osp.join(work, run, 'test')
    os.makedirs(folder, exist_ok=True)
    pd.DataFrame(dict(image_id=ids, melanoma=melanoma,
                      seborrheic_keratosis=sk)).to_csv(
        osp.join(folder, 'ISIC-2017_Test_v2_Part3.csv'), index=False)


def _cls_truth(tmp_path, n, seed):
    """Random Part 3 labels of ``n`` images in ``tmp_path/gt.csv``, and
    ``noisy(truth, noise)``: probabilities that follow the labels less the
    larger ``noise``. Returns ids, melanoma, SK, the CSV path, noisy."""
    rng = np.random.default_rng(seed)
    ids = [f'ISIC_{i:07d}' for i in range(n)]
    mel = rng.integers(0, 2, n)
    sk = (1 - mel) * rng.integers(0, 2, n)
    gt = str(tmp_path / 'gt.csv')
    pd.DataFrame(dict(image_id=ids, melanoma=mel,
                      seborrheic_keratosis=sk)).to_csv(gt, index=False)

    def noisy(truth, noise):
        return 1 / (1 + np.exp(-(2 * truth - 1 + rng.normal(0, noise, n))))

    return ids, mel, sk, gt, noisy


def test_cls_table_rescores_the_part3_csvs(python, repo_root, tmp_path):
    from sklearn.metrics import roc_auc_score
    work = str(tmp_path / 'work')
    ids, mel, sk, gt, noisy = _cls_truth(tmp_path, 120, seed=0)
    good = (noisy(mel, 0.8), noisy(sk, 0.8))
    _cls_csv(work, 'cls_effnetlite0_multiclass', ids, *good)
    _cls_csv(work, 'cls_resnet18_scratch_multiclass', ids, noisy(mel, 3),
             noisy(sk, 3))
    # the binary models: each CSV holds its own task only (NaN elsewhere)
    _cls_csv(work, 'cls_effnetlite0_melanoma', ids, good[0], np.nan)
    _cls_csv(work, 'cls_effnetlite0_seborrheic_keratosis', ids, np.nan,
             good[1])
    for run, crop_noise in (('ensemble', 0.8), ('ensemble_crop', 0.5),
                            ('ensemble_both', 0.4)):
        _cls_csv(work, f'cls_effnetlite0_{run}', ids, noisy(mel, crop_noise),
                 noisy(sk, crop_noise))
    with open(osp.join(work, 'cls_effnetlite0_multiclass', 'train_seconds'),
              'w') as f:
        f.write('600\n300\n')
    open(osp.join(work, 'cls_effnetlite0_multiclass', '.done'), 'w').close()
    readme = tmp_path / 'README.md'
    readme.write_text('<!-- realdata-cls-table:start -->\nOLD\n'
                      '<!-- realdata-cls-table:end -->\n'
                      '<!-- realdata-cls-archive-table:start -->\nOLD2\n'
                      '<!-- realdata-cls-archive-table:end -->\n')
    # with the archive: the 3-class run only (the other archive runs
    # pending)
    _cls_csv(work, 'cls_effnetlite0_ham_multiclass', ids, noisy(mel, 0.6),
             noisy(sk, 0.6))
    res = subprocess.run(
        [python, 'tools/realdata_table.py', 'cls', work, '--gt', gt,
         '--readme', str(readme), '--resamples', '200'], cwd=repo_root,
        capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    data = json.load(open(osp.join(work, 'cls_table.json')))
    rows = data['rows']
    # the same AUCs as scikit-learn on the CSVs
    mc = rows['multiclass']
    assert mc['melanoma_auc'] == pytest.approx(roc_auc_score(mel, good[0]))
    assert mc['seborrheic_keratosis_auc'] == pytest.approx(
        roc_auc_score(sk, good[1]))
    assert mc['mean_ci'][0] < mc['mean_auc'] < mc['mean_ci'][1]
    assert mc['train_seconds'] == 900
    # two binary models side by side = the same probabilities here
    assert rows['binary']['mean_auc'] == pytest.approx(mc['mean_auc'])
    # the "ensemble of both" is a model with its own CSV; rows and
    # comparisons are the run table's (isic_plugins/realdata/cls_table.py)
    assert rows['both']['done'] and rows['both']['mean_auc'] > mc['mean_auc']
    assert not rows['multiclass_crop']['done']  # pending rows stay listed
    # the archive rows are in their own table, beside the challenge-only
    # rows they are compared with (the same runs, the same figures)
    assert 'ham_multiclass' not in rows
    archive = json.load(open(osp.join(work, 'cls_table_archive.json')))
    assert archive['rows']['multiclass']['mean_auc'] == mc['mean_auc']
    assert archive['rows']['ham_multiclass']['done']
    assert not archive['rows']['ham_binary']['done']
    labels = {c['label'] for c in archive['comparisons']}
    assert 'with archive vs without (3 classes, "benign keratosis" as SK)' \
        in labels
    assert 'with archive vs without (two binary models)' not in labels
    diffs = {c['label']: c for c in data['comparisons']}
    scratch = diffs['ImageNet encoder vs from scratch (3 classes)']
    assert scratch['difference'] > 0.1 and scratch['ci_low'] > 0
    table = readme.read_text()
    assert 'OLD' not in table and 'specificity at 89% sens.' in table
    assert data['best'] == 'both'
    assert 'OLD2' not in table
    first, second = table.split('realdata-cls-archive-table:start')
    assert '+ 6,000 archive images (496 it), lesion crop, 3 classes | ' \
        'pending' in second and 'archive images' not in first
    assert osp.isfile(osp.join(work, 'cls_roc.png'))
    assert osp.isfile(tmp_path / 'docs' / 'realdata_cls_roc.png')
    assert osp.isfile(tmp_path / 'docs' / 'realdata_cls_archive_roc.png')


def test_fullframe_table_has_both_splits_and_split_comparisons(
        python, repo_root, tmp_path):
    """The full-frame table: a full-frame column beside Test_v2 for each
    row (the longer-side row reads ff_longer), sensitivity / specificity,
    and paired differences on the split each names."""
    from isic_plugins.realdata import FULLFRAME
    work = str(tmp_path / 'work')
    rng = np.random.default_rng(1)
    ff, test = rng.uniform(0.5, 0.9, 30), rng.uniform(0.5, 0.9, 40)
    s1, s2 = FULLFRAME.groups['ff_lite0_arch138']
    _run_dir(work, s1, 'unused', ff, [120])
    _run_dir(work, s2, 'ff', ff, [60])
    _run_dir(work, s2, 'ff_longer', ff - 0.04)
    _run_dir(work, s2, 'ff_tta', ff + 0.01)
    _run_dir(work, s2, 'ff_longer_tta', ff - 0.02)
    _run_dir(work, s2, 'test', test)
    _run_dir(work, s2, 'test_tta', test + 0.005)
    readme = tmp_path / 'README.md'
    (tmp_path / 'configs' / 'fullframe').mkdir(parents=True)
    readme.write_text('<!-- realdata-fullframe-table:start -->\nOLD\n'
                      '<!-- realdata-fullframe-table:end -->\n')
    res = subprocess.run(
        [python, 'tools/realdata_table.py', 'seg', work, '--only',
         'fullframe', '--readme', str(readme)], cwd=repo_root,
        capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    table = open(osp.join(work, 'seg_table_fullframe.md')).read()
    assert table == readme.read_text().split('\n', 1)[1].rsplit(
        '<!--', 1)[0]
    lines = {line.split(' | ')[0]: line for line in table.splitlines()}
    longer = next(v for k, v in lines.items() if 'longer side' in k)
    # the full-frame column of the longer-side row reads ff_longer; its
    # Test_v2 column the same test as the shorter side (squares)
    assert f'**{100 * (ff.mean() - 0.04):.1f}**' in longer
    assert f'**{100 * test.mean():.1f}**' in longer
    assert '75.0 / 99.0' in longer and '| 3 |' in longer
    data = json.load(open(osp.join(work, 'seg_table_fullframe.json')))
    diffs = [c for c in data['comparisons']
             if c['label'].startswith('test resize by the shorter side')]
    assert [c['split'] for c in diffs] == ['ff', 'ff']
    assert diffs[0]['difference'] == pytest.approx(0.04)
    assert diffs[1]['difference'] == pytest.approx(0.03)
    assert '| full frames | +4.0 |' in table
    assert 'pending' in table  # the large-archive rows did not run
    # the model index, written beside the README from the same rows: one
    # model per run a row shows (the longer-side row is not a model), with
    # results where its tests were done, and model-index.yml imports it
    import yaml
    path = tmp_path / 'configs' / 'fullframe' / 'metafile.yml'
    index = yaml.safe_load(open(path))
    shown = {r.run for r in FULLFRAME.rows if r.index}
    assert [m['Name'] for m in index['Models']] == sorted(
        shown, key=[r.run for r in FULLFRAME.rows].index)
    (model, ) = [m for m in index['Models'] if 'Results' in m]
    assert model['Name'] == s2 and model['Config'].startswith(
        'configs/fullframe/')
    for other in index['Models']:
        assert other['Config'] == FULLFRAME.runs[other['Name']].config
    header = ' '.join(line[2:] for line in path.read_text().splitlines()
                      if line.startswith('# '))
    assert 'No results for ' + ', '.join(sorted(
        shown - {s2}, key=[r.run for r in FULLFRAME.rows].index)) in header
    assert yaml.safe_load(open(tmp_path / 'model-index.yml')) == {
        'Import': ['configs/fullframe/metafile.yml']}
    metrics = {r['Dataset'].split(' (')[0]: r['Metrics']
               for r in model['Results']}
    assert metrics['ISIC 2017 training full frames'] == {
        'Jaccard': round(100 * ff.mean(), 1),
        'Jaccard (ms+flip)': round(100 * (ff.mean() + 0.01), 1)}


def _row_tests(work, table, run, scores):
    """Every test folder that a row of ``table`` reads for ``run``."""
    for r in table.rows:
        if r.run == run:
            for test in {r.test, *(r.split_test(s) for s in
                                   ('ff', 'ffhard', 'sample'))} - {None}:
                _run_dir(work, run, test, scores)


def test_refresh_keeps_the_rows_whose_runs_are_elsewhere(
        python, repo_root, tmp_path):
    """A machine holding only some runs refreshes their rows and keeps the
    README's (and the model index's) figures of the others; --fresh
    writes them as pending."""
    import yaml

    from isic_plugins.realdata import FULLFRAME
    rng = np.random.default_rng(2)
    scores = rng.uniform(0.5, 0.9, 30)
    (first, ), (one, ) = (FULLFRAME.groups['ff_lite2_ham_mix'][1:],
                          FULLFRAME.groups['ff_lite2_ham_1stage'])
    (tmp_path / 'configs' / 'fullframe').mkdir(parents=True)
    readme = tmp_path / 'README.md'
    readme.write_text('<!-- realdata-fullframe-table:start -->\nOLD\n'
                      '<!-- realdata-fullframe-table:end -->\n')
    paired = FULLFRAME.groups['ff_lite2_ham'][1]  # the mix run's partner

    def refresh(work, *extra):
        res = subprocess.run(
            [python, 'tools/realdata_table.py', 'seg', str(work), '--only',
             'fullframe', '--readme', str(readme), *extra], cwd=repo_root,
            capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr[-2000:]
        return {line.split(' | ')[0]: line for line in
                readme.read_text().splitlines()}, res.stdout

    def row(lines, run):
        label = next(r.label for r in FULLFRAME.rows if r.run == run)
        return lines['| ' + label]

    _row_tests(tmp_path / 'a', FULLFRAME, first, scores)
    _row_tests(tmp_path / 'a', FULLFRAME, paired, scores - 0.01)
    before, _ = refresh(tmp_path / 'a')
    shown = f'**{100 * scores.mean():.1f}**'
    assert shown in row(before, first)
    assert 'pending' in row(before, one)
    mix = [k for k in before if 'HAM10000 full-field' in k]
    assert mix and '+1.0' in before[mix[0]]
    # another machine: only the one-stage run
    _row_tests(tmp_path / 'b', FULLFRAME, one, scores - 0.1)
    after, out = refresh(tmp_path / 'b')
    assert row(after, first) == row(before, first)  # kept as it was
    assert after[mix[0]] == before[mix[0]]
    assert f'**{100 * (scores.mean() - 0.1):.1f}**' in row(after, one)
    assert 'kept (no results in the work folder)' in out
    index = yaml.safe_load(open(tmp_path / 'configs' / 'fullframe' /
                                'metafile.yml'))
    results = {m['Name']: m.get('Results') for m in index['Models']}
    assert results[first] and results[one]
    # --fresh: only what this work folder holds
    fresh, _ = refresh(tmp_path / 'b', '--fresh')
    assert 'pending' in row(fresh, first) and shown not in row(fresh, first)
    assert mix[0] not in fresh


def test_cls_refresh_keeps_rows_and_the_best_rows_part3_figures(
        python, repo_root, tmp_path):
    """A cls refresh from a work folder holding a weaker run keeps the
    README's best row, its Part 3 figures and its ROC curves."""
    ids, mel, sk, gt, noisy = _cls_truth(tmp_path, 100, seed=3)
    first, second = str(tmp_path / 'a'), str(tmp_path / 'b')
    _cls_csv(first, 'cls_effnetlite0_ensemble_both', ids, noisy(mel, 0.3),
             noisy(sk, 0.3))
    _cls_csv(first, 'cls_effnetlite0_multiclass', ids, noisy(mel, 1),
             noisy(sk, 1))
    _cls_csv(second, 'cls_effnetlite0_multiclass_crop', ids, noisy(mel, 2),
             noisy(sk, 2))
    readme = tmp_path / 'README.md'
    readme.write_text('<!-- realdata-cls-table:start -->\nOLD\n'
                      '<!-- realdata-cls-table:end -->\n')

    def refresh(work):
        res = subprocess.run(
            [python, 'tools/realdata_table.py', 'cls', work, '--gt', gt,
             '--readme', str(readme), '--only', 'cls', '--resamples', '100'],
            cwd=repo_root, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr[-2000:]
        return readme.read_text()

    before = refresh(first)
    roc = tmp_path / 'docs' / 'realdata_cls_roc.png'
    drawn = roc.read_bytes()
    after = refresh(second)
    lines = before.splitlines()
    kept = [line for line in lines if line.startswith('| ') and (
        'one model (ISICMultiViewEnsemble)' in line or
        line.startswith('| ImageNet EfficientNet-Lite0, 3'))]
    assert len(kept) == 2 and all('**' in line for line in kept)
    assert all(line in after.splitlines() for line in kept)
    crop = next(line for line in after.splitlines()
                if line.startswith('| lesion crop, 3 classes'))
    assert '**' in crop  # the new run's row
    assert 'ensemble of both vs whole-image ensemble' not in after
    # the best row is still the kept one, and so are its figures
    assert before.split('Part 3 figures')[1] == after.split(
        'Part 3 figures')[1]
    assert roc.read_bytes() == drawn
