"""tools/realdata.py: the run table's runs trained, resumed and tested.

A tiny run table of the test's own (two stages of the quick config on a
generated ISIC tree, 2 epochs) drives the real tools; a second test does
the same with the full-frame Lite0 configs on a few real images of
``../shared/isic2017_real`` (skipped without it)."""
import os
import os.path as osp
import shutil
import signal
import subprocess
import time

import pytest

from isic_plugins.datasets.isic_layout import image_dir, mask_dir

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
    proc = subprocess.Popen(_cmd(python, synthetic_isic, work, '--runs',
                                 'g'), cwd=repo_root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    deadline = time.time() + 600
    first = osp.join(work, 's2', 'epoch_1.pth')
    while not osp.isfile(first) and proc.poll() is None:
        assert time.time() < deadline, 'stage 2 never saved a checkpoint'
        time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
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


def test_unknown_run_is_refused_with_the_known_ones(repo_root, python,
                                                     tmp_path):
    data = tmp_path / 'data'
    (data / image_dir('Training')).mkdir(parents=True)
    res = subprocess.run(
        [python, 'tools/realdata.py', 'seg', str(data), '--runs', 'nope'],
        cwd=repo_root, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2
    assert 'unknown run(s) nope' in res.stderr
    assert 'ff_lite0_ham' in res.stderr and 'main' in res.stderr


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
