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
         str(readme)], cwd=repo_root, capture_output=True, text=True,
        timeout=300)
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
