"""tools/realdata.py: the run table's runs trained, resumed and tested.

A tiny run table of the test's own (two stages of the quick config on a
generated ISIC tree, 2 epochs) drives the real tools; a second test does
the same with the full-frame Lite0 configs on a few real images of
``../shared/isic2017_real`` (skipped without it). The classification
pipeline likewise: runs of the project's table, shrunk, on the generated
tree and on a few real challenge and HAM10000 archive images."""
import glob
import os
import os.path as osp
import shutil
import signal
import subprocess
import time

import pytest

from isic_plugins.datasets.isic_layout import image_dir, mask_dir, part3_csv

TABLE = '''
import isic_plugins.realdata.run_table as rt
from isic_plugins.realdata import Row, Run, Table
if {split!r}:
    rt.FULLFRAME_SPLIT = {split!r}
TABLES = dict(t=Table(
    runs=dict(
        s1=Run('s1', {cfg1!r}, 'stage 1', options={opts1!r}),
        s2=Run('s2', {cfg2!r}, 'stage 2', parent='s1', tests={tests!r},
               options={opts2!r})),
    groups=dict(g=['s1', 's2']),
    rows=[Row('s2', 'stage 1 -> 2', 's2', 'test', ('s1', 's2'))]))
'''


def _table(tmp_path, cfg1, cfg2, opts1, opts2, tests=('test', ),
           split=''):
    """A module ``tiny_table`` with a two-stage table, in ``tmp_path``."""
    mod = tmp_path / 'tiny_table.py'
    mod.write_text(TABLE.format(cfg1=cfg1, cfg2=cfg2, opts1=tuple(opts1),
                                opts2=tuple(opts2), tests=tuple(tests),
                                split=split))
    return str(tmp_path)


def _cmd(python, data, work, *extra):
    return [python, 'tools/realdata.py', 'seg', data, '--work', work,
            '--table', 'tiny_table:TABLES', '--no-check', *extra]


def _env(table_dir):
    env = dict(os.environ, OMP_NUM_THREADS='1')
    env['PYTHONPATH'] = os.pathsep.join(
        [table_dir, env.get('PYTHONPATH', '')])
    return env


def _kill_when(cmd, path, repo_root, env, timeout=600):
    """Run ``cmd`` and kill it (and its tools) once ``path`` exists."""
    proc = subprocess.Popen(cmd, cwd=repo_root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    deadline = time.time() + timeout
    while not osp.isfile(path) and proc.poll() is None:
        assert time.time() < deadline, f'{path} never written'
        time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _lines(path):
    with open(path) as f:
        return [line for line in f if line.strip()]


QUICK = 'configs/quickstart/seg_quick.py'
QUICK_OPTS = [
    'train_dataloader.dataset.data_root={data}',
    'test_dataloader.dataset.data_root={data}',
    'val_dataloader.dataset.data_root={data}',
    'train_cfg.max_epochs=3', 'default_hooks.checkpoint.interval=1',
    'default_hooks.logger.interval=1',
]


def test_train_resume_after_kill_and_test_on_synthetic_data(
        repo_root, python, synthetic_isic, tmp_path):
    table = _table(tmp_path, QUICK, QUICK, QUICK_OPTS, QUICK_OPTS)
    work = str(tmp_path / 'work')
    env = _env(table)
    # killed once stage 2 has saved its first checkpoint
    _kill_when(_cmd(python, synthetic_isic, work, '--runs', 'g'),
               osp.join(work, 's2', 'epoch_1.pth'), repo_root, env)
    assert osp.isfile(osp.join(work, 's1', '.done'))
    assert not osp.isfile(osp.join(work, 's2', '.done'))
    res = subprocess.run(_cmd(python, synthetic_isic, work, '--runs', 'g'),
                         cwd=repo_root, env=env, capture_output=True,
                         text=True, timeout=900)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    # stage 1 not trained again, stage 2 resumed (not restarted)
    assert len(_lines(osp.join(work, 's1', 'train_seconds'))) == 1
    assert 'stage 1 (' not in res.stdout
    assert '1/2 runs trained; now s2' in res.stdout
    log = subprocess.run(['grep', '-rl', 'resumed', osp.join(work, 's2')],
                         capture_output=True, text=True).stdout
    assert log, 'stage 2 did not resume from its checkpoint'
    assert osp.isfile(osp.join(work, 's2', 'epoch_3.pth'))
    assert osp.isfile(osp.join(work, 's2', 'test', 'metrics.json'))
    assert osp.isfile(osp.join(work, 's2', 'test', 'per_image.csv'))
    # a third run does nothing
    before = _lines(osp.join(work, 's2', 'train_seconds'))
    res = subprocess.run(_cmd(python, synthetic_isic, work, '--runs', 'g'),
                         cwd=repo_root, env=env, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0 and '==> [' not in res.stdout.replace(
        '==> training copy', '')
    assert _lines(osp.join(work, 's2', 'train_seconds')) == before


@pytest.mark.parametrize('task,known', [
    ('seg', ('ff_lite0_ham', 'main', 'seg_table.py')),
    ('cls', ('ham_ensemble', 'multiclass', 'cls_table.py'))])
def test_unknown_run_is_refused_with_the_known_ones(repo_root, python,
                                                     tmp_path, task, known):
    data = tmp_path / 'data'
    (data / image_dir('Training')).mkdir(parents=True)
    res = subprocess.run(
        [python, 'tools/realdata.py', task, str(data), '--runs', 'nope'],
        cwd=repo_root, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2
    assert 'unknown run(s) nope' in res.stderr
    assert all(name in res.stderr for name in known)


REAL = osp.join(osp.dirname(__file__), '..', '..', '..', 'shared',
                'isic2017_real')


def test_fullframe_configs_on_a_few_real_images(repo_root, python, tmp_path):
    """The full-frame Lite0 configs, shrunk to a few iterations, on six real
    training images (three crops, three full frames) and three Test_v2
    images: train, test on both splits."""
    real = os.environ.get('ISIC_REAL_DIR', REAL)
    if not osp.isdir(osp.join(real, image_dir('Training'))):
        pytest.skip(f'real ISIC 2017 set not found at {real}')
    splits = osp.join(repo_root, 'configs', '_base_', 'datasets', 'splits')
    full = open(osp.join(splits, 'isic2017_training_fullframe.txt')).read()
    crops = open(osp.join(splits, 'isic2017_training_crops.txt')).read()
    picked = dict(Training=full.split()[:3] + crops.split()[:3])
    picked['Test_v2'] = sorted(os.listdir(osp.join(
        real, image_dir('Test_v2'))))[:3]
    data = tmp_path / 'data'
    for split, ids in picked.items():
        for folder in (image_dir(split), mask_dir(split)):
            os.makedirs(data / folder)
        for name in ids:
            iid = name.split('.')[0]
            shutil.copy(osp.join(real, image_dir(split), iid + '.jpg'),
                        data / image_dir(split))
            shutil.copy(osp.join(real, mask_dir(split),
                                 iid + '_segmentation.png'),
                        data / mask_dir(split))
    # two archive images, as stage 1 reads them (archive/ beside)
    archive = osp.join(real, 'archive')
    ids = sorted(os.listdir(osp.join(archive, 'images')))[:2]
    for folder in ('images', 'masks'):
        os.makedirs(data / 'archive' / folder)
    for name in ids:
        iid = name.split('.')[0]
        shutil.copy(osp.join(archive, 'images', name),
                    data / 'archive' / 'images')
        shutil.copy(osp.join(archive, 'masks', iid + '_segmentation.png'),
                    data / 'archive' / 'masks')
    rows = open(osp.join(archive, 'metadata.csv')).read().splitlines()
    (data / 'archive' / 'metadata.csv').write_text('\n'.join(
        [rows[0]] + [r for r in rows if r.split(',')[0] in
                     {i.split('.')[0] for i in ids}]) + '\n')
    tiny = tmp_path / 'tiny_crops.txt'
    tiny.write_text('\n'.join(crops.split()[:3]) + '\n')
    tiny_ff = tmp_path / 'tiny_ff.txt'
    tiny_ff.write_text('\n'.join(full.split()[:3]) + '\n')
    f = 'configs/fullframe/'
    opts = [
        'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False',
        f'train_dataloader.dataset.datasets.0.ann_file={tiny}',
    ]
    table = _table(
        tmp_path, f + 'effnetlite0-skips_stage1-666it_crops+arch138_256px.py',
        f + 'effnetlite0-skips_stage2-4e_crops_256px.py',
        opts + ['train_cfg.max_iters=2', 'train_cfg.val_interval=2'],
        opts + ['train_cfg.max_epochs=1', 'train_cfg.val_interval=1'],
        tests=('ff', 'ff_tta', 'test'), split=str(tiny_ff))
    work = str(tmp_path / 'work')
    res = subprocess.run(_cmd(python, str(data), work, '--runs', 'g'),
                         cwd=repo_root, env=_env(table), capture_output=True,
                         text=True, timeout=1200)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-4000:]
    for test in ('ff', 'ff_tta', 'test'):
        scores = osp.join(work, 's2', test, 'per_image.csv')
        assert len(_lines(scores)) == 3 + 1, test
    scored = open(osp.join(work, 's2', 'ff', 'per_image.csv')).read()
    assert all(i in scored for i in full.split()[:3])


# -- the classification pipeline ----------------------------------------
CLS_TABLE = '''
import dataclasses
from isic_plugins.realdata import CLS, ClsRow, Comparison, Run, Table
SMALL = {small!r}
def small(name, more, members=None):
    run = dataclasses.replace(CLS.runs[name], options=SMALL + more)
    return dataclasses.replace(run, members=members) if members else run
runs = [small(*spec) for spec in {runs!r}]
masks = dataclasses.replace(
    CLS.masks, seg=Run('seg', {seg!r}, 'a tiny segmenter'), group='seg',
    splits=tuple(s for s in CLS.masks.splits if s[0] in {splits!r}))
TABLES = dict(cls=Table(
    runs={{r.name: r for r in runs}},
    groups={{r.name: [r.name] for r in runs}},
    rows=[ClsRow(r.name, r.what, r.name, 'test', (r.name, )) for r in runs
          if r.tests],
    comparisons=[Comparison('last vs first', runs[-1].name, runs[0].name)],
    test_sets=CLS.test_sets, masks=masks))
'''
#: Tiny data loaders for the real classification configs.
CLS_SMALL = (
    'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
    'train_dataloader.persistent_workers=False',
    'test_dataloader.num_workers=0',
    'test_dataloader.persistent_workers=False',
    'val_dataloader.num_workers=0', 'val_dataloader.persistent_workers=False',
    'test_evaluator.bootstrap=50')
SEG_QUICK = 'configs/quickstart/seg_quick.py'


def _cls_table(tmp_path, runs, splits=('Training', 'Test_v2')):
    """A module ``tiny_cls_table``: runs of the project's classification
    table (``(name, extra options[, members])``), their rows, a comparison
    of the last with the first, and the mask step by a random
    ``seg_quick`` model."""
    mod = tmp_path / 'tiny_cls_table.py'
    mod.write_text(CLS_TABLE.format(small=CLS_SMALL, runs=runs,
                                    seg=SEG_QUICK, splits=splits))
    return str(tmp_path)


def _random_segmenter(work):
    """``WORK/seg``: a finished run of ``seg_quick`` with random weights
    (the masks it predicts are random, which is all the crops need here)."""
    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmengine.runner.checkpoint import save_checkpoint, weights_to_cpu
    from mmseg.registry import MODELS
    init_default_scope('mmseg')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(SEG_QUICK).model)
    folder = osp.join(work, 'seg')
    os.makedirs(folder)
    ckpt = osp.join(folder, 'iter_1.pth')
    save_checkpoint(dict(meta={}, state_dict=weights_to_cpu(
        model.state_dict())), ckpt)
    with open(osp.join(folder, 'last_checkpoint'), 'w') as f:
        f.write(ckpt)
    open(osp.join(folder, '.done'), 'w').close()


def _cls_cmd(python, data, work, *extra):
    return [python, 'tools/realdata.py', 'cls', data, '--work', work,
            '--table', 'tiny_cls_table:TABLES', '--no-check', *extra]


def _part3(work, run, test='test'):
    import pandas as pd
    return pd.read_csv(osp.join(work, run, test,
                                'ISIC-2017_Test_v2_Part3.csv')
                       ).set_index('image_id')


_MC, _CROP = 'cls_effnetlite0_multiclass', 'cls_effnetlite0_multiclass_crop'
_BOTH = 'cls_effnetlite0_ensemble_both'
CLS_CONFIGS = {_MC: 'configs/realdata/'
               'effnetlite0_multiclass-8e_isic2017_224px.py',
               _CROP: 'configs/realdata/'
               'effnetlite0_multiclass-8e_isic2017-lesioncrop_224px.py'}


def test_cls_train_resume_masks_two_views_and_table_on_synthetic_data(
        repo_root, python, synthetic_isic, tmp_path):
    """The real 3-class, lesion-crop and two-view configs, shrunk: killed
    mid-run and resumed, the masks predicted once, the two-view model's
    probabilities the mean of its two members' CSVs, the table written."""
    work = str(tmp_path / 'work')
    _random_segmenter(work)
    # the two-view model of the two 3-class models (not of two ensembles:
    # fewer runs to train); the member configs are the real ones
    members = ('model.members.whole.config=' + CLS_CONFIGS[_MC],
               'model.members.crop.config=' + CLS_CONFIGS[_CROP])
    table = _cls_table(tmp_path, [
        (_MC, ('train_cfg.max_epochs=2', )),
        (_CROP, ('train_cfg.max_epochs=1', )),
        (_BOTH, members, (('model.members.whole.checkpoint', _MC),
                          ('model.members.crop.checkpoint', _CROP)))])
    env = _env(table)
    # killed once the first run has saved its first checkpoint
    _kill_when(_cls_cmd(python, synthetic_isic, work, '--runs', _BOTH),
               osp.join(work, _MC, 'epoch_1.pth'), repo_root, env)
    assert not osp.isfile(osp.join(work, _MC, '.done'))
    res = subprocess.run(_cls_cmd(python, synthetic_isic, work, '--runs',
                                  _BOTH), cwd=repo_root, env=env,
                         capture_output=True, text=True, timeout=1500)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    log = subprocess.run(['grep', '-rl', 'resumed', osp.join(work, _MC)],
                         capture_output=True, text=True).stdout
    assert log, 'the 3-class run did not resume from its checkpoint'
    assert osp.isfile(osp.join(work, _MC, 'epoch_2.pth'))
    # the masks of both splits, by the table's segmentation run, once
    for split in ('Training', 'Test_v2'):
        folder = osp.join(work, 'lesion_masks', split)
        assert _lines(osp.join(folder, '.done')) == ['seg\n']
        assert len(os.listdir(osp.join(folder, 'masks'))) == len(os.listdir(
            osp.join(synthetic_isic, image_dir(split))))
    # the two-view model, scored by tools/test.py: the mean of its members
    whole, crop, both = (_part3(work, r) for r in (_MC, _CROP, _BOTH))
    tasks = ['melanoma', 'seborrheic_keratosis']
    mean = (whole[tasks] + crop.loc[whole.index, tasks]) / 2
    assert (whole[tasks] - crop.loc[whole.index, tasks]).abs().max().max() \
        > 1e-4  # two different views
    assert (both.loc[whole.index, tasks] - mean).abs().max().max() < 1e-6
    assert osp.isfile(osp.join(work, _BOTH, 'ensemble.pth'))
    # and with tools/test.py --tta (four flips of both views)
    assert len(_part3(work, _BOTH, 'test_tta')) == len(whole)
    # the table, from the tests' CSVs
    import json
    dump = json.load(open(osp.join(work, 'cls_table.json')))
    assert all(row['done'] for row in dump['rows'].values())
    assert [c['label'] for c in dump['comparisons']] == ['last vs first']
    assert open(osp.join(work, 'cls_table.md')).read().count('| **') == 3
    # a third run does nothing
    before = _lines(osp.join(work, _MC, 'train_seconds'))
    res = subprocess.run(_cls_cmd(python, synthetic_isic, work, '--runs',
                                  _BOTH), cwd=repo_root, env=env,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0 and '==> [' not in res.stdout
    assert _lines(osp.join(work, _MC, 'train_seconds')) == before


def test_cls_refuses_lesion_crops_without_their_mask_model(repo_root,
                                                           python, tmp_path):
    data = tmp_path / 'data'
    (data / image_dir('Training')).mkdir(parents=True)
    work = tmp_path / 'work'
    res = subprocess.run(
        [python, 'tools/realdata.py', 'cls', str(data), '--work', str(work),
         '--runs', 'both'], cwd=repo_root, capture_output=True, text=True,
        timeout=300)
    assert res.returncode == 2
    assert (f'python tools/realdata.py seg {data} --work {work} --runs '
            'ff_lite2_ham') in res.stderr
    assert not (work / 'check.ok').exists()  # refused before any work


def test_cls_archive_lesion_crops_on_a_few_real_images(repo_root, python,
                                                       tmp_path):
    """The archive 3-class lesion-crop config, shrunk to two iterations, on
    a few real challenge and HAM10000 images: the masks of all three image
    folders predicted, the archive crops trained, tested, tabled."""
    real = os.environ.get('ISIC_REAL_DIR', REAL)
    archive = osp.join(osp.dirname(real), 'ham10000_archive')
    if not (osp.isdir(osp.join(real, image_dir('Training')))
            and osp.isfile(osp.join(archive, 'metadata.csv'))):
        pytest.skip(f'real ISIC 2017 set or archive not found beside {real}')
    import pandas as pd
    data, ham = tmp_path / 'data', tmp_path / 'ham'
    for split, n in (('Training', 4), ('Test_v2', 6)):
        gt = pd.read_csv(osp.join(real, part3_csv(split)))
        # melanoma, SK and nevus in each split: every AUC defined
        picked = pd.concat([gt[gt.melanoma == 1][:2],
                            gt[gt.seborrheic_keratosis == 1][:2],
                            gt[(gt.melanoma + gt.seborrheic_keratosis) == 0]
                            [:n - 4]])
        os.makedirs(data / image_dir(split))
        picked.to_csv(data / part3_csv(split), index=False)
        for iid in picked.image_id:
            shutil.copy(osp.join(real, image_dir(split), iid + '.jpg'),
                        data / image_dir(split))
    meta = pd.read_csv(osp.join(archive, 'metadata.csv'))
    meta = meta.groupby('diagnosis').head(2)
    os.makedirs(ham / 'images')
    meta.to_csv(ham / 'metadata.csv', index=False)
    for iid in meta.isic_id:
        shutil.copy(osp.join(archive, 'images', iid + '.jpg'),
                    ham / 'images')
    work = str(tmp_path / 'work')
    _random_segmenter(work)
    run = 'cls_effnetlite0_ham_multiclass_crop'
    table = _cls_table(tmp_path, [(run, ('train_cfg.max_iters=2', ))],
                       splits=('Training', 'Test_v2', 'ham10000_archive'))
    res = subprocess.run(
        _cls_cmd(python, str(data), work, '--ham', str(ham), '--runs', run),
        cwd=repo_root, env=_env(table), capture_output=True, text=True,
        timeout=1500)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-4000:]
    masks = os.listdir(osp.join(work, 'lesion_masks', 'ham10000_archive',
                                'masks'))
    assert sorted(m.split('_seg')[0] for m in masks) == sorted(meta.isic_id)
    # every archive image trained on, its BKL as SK (6 = 2 per diagnosis)
    log = open(next(glob.iglob(osp.join(work, run, '*', '*.log')))).read()
    assert 'kept 6 of 6 rows' in log
    assert len(_part3(work, run)) == 6
    assert open(osp.join(work, 'cls_table.md')).read().count('| **') == 1
