"""tools/cross_validate.py: every image scored once, by a model that never saw it."""
import json
import os.path as osp
import subprocess

from isic_plugins.utils.kfold import make_folds


def test_folds_partition_the_images():
    folds = make_folds(13, 4, seed=0)
    flat = sorted(i for f in folds for i in f)
    assert flat == list(range(13))
    assert sorted(len(f) for f in folds) == [3, 3, 3, 4]
    assert make_folds(13, 4, seed=0) == folds != make_folds(13, 4, seed=1)


def test_two_fold_run(python, repo_root, synthetic_isic, tmp_path):
    work = str(tmp_path / 'cv')
    res = subprocess.run(
        [python, 'tools/cross_validate.py', 'tests/data/tiny_seg_config.py',
         synthetic_isic, '--folds', '2', '--tta', '--work-dir', work,
         '--cfg-options', 'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
         'default_hooks.checkpoint.interval=1'],
        cwd=repo_root, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    with open(osp.join(work, 'cv_results.json')) as f:
        summary = json.load(f)
    assert [r['images'] for r in summary['per_fold']] == [6, 6]
    for key in ('single_jaccard_mean', 'tta_jaccard_mean'):
        assert 0.0 <= summary[key] <= 1.0
    assert 'Jaccard (tta)' in res.stdout
