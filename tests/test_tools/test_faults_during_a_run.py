"""Faults during a run, caused for real: a NaN loss, a full disk, a killed or
hung loader worker, a dead or silent process of a distributed run.

Each runs tools/train.py (or tools/test.py) on the tiny config in a
subprocess, with a fault hook or transform of
``isic_plugins.testing.fault_injection`` that makes the fault happen at a
chosen point and notes the time. Each asserts the message, that the run
ended within ``BOUND`` seconds of the fault, and that the last good
checkpoint is intact and ``--resume`` reaches the result of an
uninterrupted run. A full disk is a small tmpfs where the machine lets the
tests mount one; elsewhere an ``ENOSPC`` injected at the file's write.
"""
import os
import os.path as osp
import re
import signal
import subprocess
import time

import pytest
import torch

import isic_plugins  # noqa: F401  (mmengine checkpoints load weights-only)
from isic_plugins.testing import free_port
from isic_plugins.testing.small_filesystem import (
    SmallFilesystemUnavailable,
    small_filesystem,
)

TINY = 'tests/data/tiny_seg_config.py'
#: Seconds within which a run must end after its fault.
BOUND = 60
#: Seconds any one command may take on a loaded 2-core machine.
LIMIT = 900


def _roots(root):
    return [f'{s}_dataloader.dataset.data_root={root}'
            for s in ('train', 'val', 'test')]


def _config(tmp_path, *lines, name='fault.py') -> str:
    """The tiny config, the fault injectors imported, ``lines`` added."""
    path = tmp_path / name
    base = osp.join(osp.dirname(osp.dirname(__file__)), 'data',
                    'tiny_seg_config.py')
    path.write_text('\n'.join([
        f'_base_ = [{base!r}]',
        "custom_imports = dict(imports=['isic_plugins', "
        "'isic_plugins.testing.fault_injection'], "
        'allow_failed_imports=False)', *lines, '']))
    return str(path)


def _run(python, repo_root, cmd, env=None):
    """Run a tool; its result and the time it ended."""
    env = dict(os.environ, PYTHON=python, PORT=str(free_port()),
               **(env or {}))
    res = subprocess.run(cmd, cwd=repo_root, capture_output=True, text=True,
                         timeout=LIMIT, env=env)
    return res, time.time()


def _train(python, repo_root, config, work, data, *opts, procs=1,
           resume=False):
    if procs == 1:
        cmd = [python, 'tools/train.py', config, '--work-dir', work]
    else:
        cmd = ['bash', 'tools/dist_train.sh', config, str(procs),
               '--work-dir', work]
    cmd += ['--resume'] if resume else []
    return _run(python, repo_root,
                cmd + ['--cfg-options', *_roots(data), *opts])


def _error(stderr: str) -> str:
    """The tool's message: stderr from the first line that starts with
    "error" (import warnings may come first)."""
    found = re.search(r'^error.*', stderr, re.MULTILINE | re.DOTALL)
    assert found, stderr[-3000:]
    return found.group(0)


def _fault_time(record) -> float:
    with open(record) as f:
        return float(f.read().split()[0])


def _weights(path):
    return torch.load(path, map_location='cpu')['state_dict']


def _assert_same_weights(a, b, atol=0.0):
    assert a.keys() == b.keys()
    for key in a:
        if a[key].is_floating_point():
            torch.testing.assert_close(a[key], b[key], atol=atol, rtol=0,
                                       msg=key)


def _assert_stopped_at_epoch_1(work, reference):
    """epoch_1.pth is the last checkpoint, complete and good."""
    epoch_1 = osp.join(work, 'epoch_1.pth')
    with open(osp.join(work, 'last_checkpoint')) as f:
        assert f.read().strip() == epoch_1
    assert not [f for f in os.listdir(work)
                if re.match(r'epoch_[2-9]\.pth', f) or f.endswith('.tmp')]
    _assert_same_weights(_weights(epoch_1),
                         _weights(osp.join(reference, 'epoch_1.pth')))


def _assert_resumes_to_reference(python, repo_root, work, data, reference,
                                 *opts):
    res, _ = _train(python, repo_root, TINY, work, data, *opts, resume=True)
    assert res.returncode == 0, res.stderr[-4000:]
    assert 'resumed epoch: 1' in res.stdout + res.stderr
    _assert_same_weights(_weights(osp.join(work, 'epoch_4.pth')),
                         _weights(osp.join(reference, 'epoch_4.pth')))


@pytest.fixture(scope='module')
def reference(python, repo_root, synthetic_isic, tmp_path_factory):
    """The tiny config trained 4 epochs without a fault."""
    work = str(tmp_path_factory.mktemp('reference'))
    res, _ = _train(python, repo_root, TINY, work, synthetic_isic)
    assert res.returncode == 0, res.stderr[-4000:]
    return work


def test_nan_loss_stops_naming_iteration_terms_and_last_checkpoint(
        python, repo_root, synthetic_isic, reference, tmp_path):
    record = str(tmp_path / 'fault')
    config = _config(tmp_path, 'custom_hooks = _base_.custom_hooks + ['
                     f"dict(type='NaNInputsAt', iteration=5, "
                     f'record={record!r})]')
    work = str(tmp_path / 'work')
    res, end = _train(python, repo_root, config, work, synthetic_isic)
    assert res.returncode == 1
    assert end - _fault_time(record) < BOUND
    epoch_1 = osp.join(work, 'epoch_1.pth')
    error = _error(res.stderr)
    assert error.startswith(
        'error: the loss became NaN (decode.loss_ce=nan, '
        'decode.loss_dice=nan) at iteration 5 of 12 (epoch 2, batch 2 of 3)'
    ), error
    assert f'The last good checkpoint is {epoch_1}' in error
    assert 'optim_wrapper.optimizer.lr=0.001' in error
    assert 'custom_hooks.1.max_skips=3' in error
    assert 'Traceback' not in res.stderr
    # before the fix: epoch_2..4.pth full of NaN, last_checkpoint naming one
    _assert_stopped_at_epoch_1(work, reference)
    _assert_resumes_to_reference(python, repo_root, work, synthetic_isic,
                                 reference)


def test_nan_loss_tolerated_when_asked(python, repo_root, synthetic_isic,
                                       tmp_path):
    record = str(tmp_path / 'fault')
    config = _config(tmp_path, 'custom_hooks = _base_.custom_hooks + ['
                     f"dict(type='NaNInputsAt', iteration=5, "
                     f'record={record!r})]')
    work = str(tmp_path / 'work')
    res, _ = _train(python, repo_root, config, work, synthetic_isic,
                    'custom_hooks.1.max_skips=1')
    assert res.returncode == 0, res.stderr[-3000:]
    assert ('NonFiniteLossHook: the loss became NaN (decode.loss_ce=nan, '
            'decode.loss_dice=nan) at iteration 5 of 12 (epoch 2, batch 2 of '
            '3); this step was skipped (1 of 1 tolerated bad iterations)'
            ) in res.stdout + res.stderr
    weights = _weights(osp.join(work, 'epoch_4.pth'))
    assert all(torch.isfinite(v).all() for v in weights.values())


@pytest.fixture
def small_disk(tmp_path):
    """(folder, injected): a 24 MiB file system of its own, or, where none
    can be mounted, a plain folder whose writes will fail by injection."""
    folder = str(tmp_path / 'disk')
    try:
        with small_filesystem(folder, 24 << 20):
            yield folder, False
    except SmallFilesystemUnavailable:
        os.makedirs(folder, exist_ok=True)
        yield folder, True


def test_full_disk_during_a_checkpoint_keeps_the_previous_one(
        python, repo_root, synthetic_isic, reference, tmp_path, small_disk):
    disk, injected = small_disk
    record = str(tmp_path / 'fault')
    config = _config(tmp_path, 'custom_hooks = _base_.custom_hooks + ['
                     f"dict(type='FillDiskAt', path={disk!r}, epoch=2, "
                     f'record={record!r}, inject={injected})]')
    work = osp.join(disk, 'work')
    # one checkpoint kept: mmengine would delete epoch_1.pth before it
    # writes epoch_2.pth
    res, end = _train(python, repo_root, config, work, synthetic_isic,
                      'default_hooks.checkpoint.max_keep_ckpts=1')
    assert res.returncode == 1
    assert end - _fault_time(record) < BOUND
    epoch_1 = osp.join(work, 'epoch_1.pth')
    error = _error(res.stderr)
    assert re.match(
        rf'error: no space left on device writing {work}/epoch_2\.pth: it '
        r'needs 5\.\d+ MiB, and the file system of \S+ has [\d.]+ \w+ free; '
        r'the previous file \(if any\) is unchanged', error), error
    assert f'Finished work is safe in {epoch_1}' in error
    assert 'Traceback' not in res.stderr
    _assert_stopped_at_epoch_1(work, reference)
    if not injected:
        os.remove(osp.join(disk, 'ballast'))
    _assert_resumes_to_reference(python, repo_root, work, synthetic_isic,
                                 reference,
                                 'default_hooks.checkpoint.max_keep_ckpts=1')
    assert sorted(f for f in os.listdir(work) if f.endswith('.pth')) == \
        ['epoch_4.pth']


def test_full_disk_refused_before_and_named_during_testing(
        python, repo_root, synthetic_isic, reference, tmp_path):
    """tools/test.py: masks that won't fit are refused before any work; a
    disk that fills up during the run is named with what was written."""
    checkpoint = osp.join(reference, 'epoch_4.pth')
    test = [python, 'tools/test.py']
    opts = ['--cfg-options', *_roots(synthetic_isic)]
    try:
        with small_filesystem(str(tmp_path / 'tiny'), 16 << 10) as tiny:
            out = osp.join(tiny, 'masks')
            res, _ = _run(python, repo_root, test + [
                TINY, checkpoint, '--work-dir', str(tmp_path / 'w1'),
                '--out', out] + opts)
            # 6 test images, each mask in a whole 4 KiB block
            assert res.returncode == 1
            error = _error(res.stderr)
            assert error.startswith(
                'error: The PNG files of 6 test images need about 24 KiB in '
                f'{out}, but its file system ({out}) has 16 KiB free; '
                'nothing was written.'), error
            assert os.listdir(out) == []
        with small_filesystem(str(tmp_path / 'disk'), 1 << 20) as disk:
            record = str(tmp_path / 'fault')
            config = _config(tmp_path, 'custom_hooks = _base_.custom_hooks '
                             f"+ [dict(type='FillDiskAt', path={disk!r}, "
                             f'test_iteration=3, leave=0, record={record!r})]')
            out = osp.join(disk, 'masks')
            res, end = _run(python, repo_root, test + [
                config, checkpoint, '--work-dir', str(tmp_path / 'w2'),
                '--out', out] + opts)
            assert res.returncode == 1
            assert end - _fault_time(record) < BOUND
            error = _error(res.stderr)
            assert re.match(
                rf'error: no space left on device: could not write {out}/'
                r'ISIC_\d+_segmentation\.png: .*No space left on device.* '
                rf'[\d.]+ \w+ free on the file system of {out}; {out} holds 2 '
                r'complete file\(s\)', error), error
            assert 'Traceback' not in res.stderr
            assert len(os.listdir(out)) == 2  # no partial or temporary file
    except SmallFilesystemUnavailable as exc:
        pytest.skip(str(exc))


def _worker_fault(tmp_path, fault):
    record, counter = str(tmp_path / 'fault'), str(tmp_path / 'count')
    # 12 images an epoch: the 17th is the 5th of epoch 2 (batch 2)
    return _config(
        tmp_path,
        'train_dataloader = dict(num_workers=1, dataset=dict(pipeline=['
        '*_base_.pipeline[:-1], '
        f"dict(type='WorkerFaultAt', counter={counter!r}, after=17, "
        f'fault={fault!r}, record={record!r}), _base_.pipeline[-1]]))'
    ), record


def test_killed_loader_worker_names_memory_and_resumes(
        python, repo_root, synthetic_isic, reference, tmp_path):
    config, record = _worker_fault(tmp_path, 'kill')
    work = str(tmp_path / 'work')
    res, end = _train(python, repo_root, config, work, synthetic_isic)
    assert res.returncode == 1
    assert end - _fault_time(record) < BOUND
    with open(record) as f:
        pid = f.read().split()[1]
    error = _error(res.stderr)
    # PyTorch's SIGCHLD handler reports the signal; its status check, when
    # it notices first, only that the worker is gone
    assert re.match(
        rf'error at iteration \d+: a data loader worker of train_dataloader '
        rf'\(pid {pid}\) (was killed by signal SIGKILL|exited unexpectedly)'
        r'\. The likely cause is memory', error), error
    assert 'train_dataloader.num_workers (now 1)' in error
    assert 'train_dataloader.batch_size (now 4)' in error
    assert f'Finished work is safe in {work}/epoch_1.pth' in error
    assert 'Traceback' not in res.stderr
    _assert_stopped_at_epoch_1(work, reference)
    _assert_resumes_to_reference(python, repo_root, work, synthetic_isic,
                                 reference, 'train_dataloader.num_workers=1')


def test_hung_loader_worker_times_out(python, repo_root, synthetic_isic,
                                      reference, tmp_path):
    config, record = _worker_fault(tmp_path, 'hang')
    work = str(tmp_path / 'work')
    # DataLoaderTimeoutHook is the runtime's fourth custom hook
    res, end = _train(python, repo_root, config, work, synthetic_isic,
                      'custom_hooks.3.timeout=5')
    assert res.returncode == 1
    assert end - _fault_time(record) < BOUND
    error = _error(res.stderr)
    assert re.match(
        r'error at iteration \d+: no batch came from the 1 worker\(s\) of '
        r'train_dataloader for 5 s \(the timeout of DataLoaderTimeoutHook in '
        r'custom_hooks\): a worker is stuck', error), error
    assert 'Traceback' not in res.stderr
    _assert_stopped_at_epoch_1(work, reference)
    _assert_resumes_to_reference(python, repo_root, work, synthetic_isic,
                                 reference, 'train_dataloader.num_workers=1')


def test_dead_rank_ends_the_run_and_all_ranks_resume(
        python, repo_root, synthetic_isic, reference, tmp_path):
    record = str(tmp_path / 'fault')
    config = _config(tmp_path, 'custom_hooks = _base_.custom_hooks + ['
                     "dict(type='SignalAt', iteration=5, rank=1, "
                     f'record={record!r})]')
    work = str(tmp_path / 'work')
    # 2 x 2 images per step = the 1-process batch of 4
    res, end = _train(python, repo_root, config, work, synthetic_isic,
                      'train_dataloader.batch_size=2', procs=2)
    assert res.returncode != 0
    assert end - _fault_time(record) < BOUND
    # torchrun names the rank that died first, and how
    summary = res.stderr[res.stderr.index('Root Cause'):]
    assert re.search(r'rank\s*: 1 \(local_rank: 1\)', summary), summary
    assert 'Signal 9 (SIGKILL)' in summary
    epoch_1 = osp.join(work, 'epoch_1.pth')
    with open(osp.join(work, 'last_checkpoint')) as f:
        assert f.read().strip() == epoch_1
    # two processes match one only to float tolerance
    _assert_same_weights(_weights(epoch_1),
                         _weights(osp.join(reference, 'epoch_1.pth')), 1e-4)
    res, _ = _train(python, repo_root, TINY, work, synthetic_isic,
                    'train_dataloader.batch_size=2', procs=2, resume=True)
    assert res.returncode == 0, res.stderr[-4000:]
    _assert_same_weights(_weights(osp.join(work, 'epoch_4.pth')),
                         _weights(osp.join(reference, 'epoch_4.pth')), 1e-4)


@pytest.mark.parametrize('signum', ['SIGKILL', 'SIGSTOP'])
def test_node_that_dies_or_stops_answering_ends_the_other(
        python, repo_root, synthetic_isic, tmp_path, signum):
    """Two "nodes" (two torchruns). Node 1's process is killed: its
    connections close and node 0's next collective fails at once. Or it is
    stopped (SIGSTOP, a node cut off): no connection closes, and only the
    process group's timeout ends the wait of node 0."""
    record = str(tmp_path / 'fault')
    config = _config(tmp_path, 'custom_hooks = _base_.custom_hooks + ['
                     "dict(type='SignalAt', iteration=5, rank=1, "
                     f'signum={signum!r}, record={record!r})]')
    work = str(tmp_path / 'work')
    port = str(free_port())
    cmd = ['bash', 'tools/dist_train.sh', config, '1', '--work-dir', work,
           '--cfg-options', *_roots(synthetic_isic),
           'train_dataloader.batch_size=2', 'env_cfg.dist_cfg.timeout=30']
    nodes, logs = [], []
    for rank in (0, 1):
        env = dict(os.environ, PYTHON=python, NNODES='2',
                   NODE_RANK=str(rank), MASTER_ADDR='127.0.0.1', PORT=port)
        logs.append(open(tmp_path / f'node{rank}.log', 'w+'))
        nodes.append(subprocess.Popen(cmd, cwd=repo_root, env=env,
                                      stdout=logs[-1],
                                      stderr=subprocess.STDOUT, text=True))
    stopped = None
    try:
        code = nodes[0].wait(timeout=LIMIT)
        end = time.time()
        with open(record) as f:
            stopped = int(f.read().split()[1])
    finally:
        if stopped is None and osp.isfile(record):
            with open(record) as f:
                stopped = int(f.read().split()[1])
        if stopped is not None:  # the "node" that stopped answering
            try:
                os.kill(stopped, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for node in nodes:
            try:
                node.wait(timeout=120)
            except subprocess.TimeoutExpired:
                node.kill()
                node.wait()
        for log in logs:
            log.close()
    output = (tmp_path / 'node0.log').read_text()
    assert code != 0
    assert end - _fault_time(record) < BOUND
    assert re.search(
        r'^error: rank 0 of 2 \(node 0\) lost contact with the distributed '
        r'run at iteration 5: rank 1, the only other process,( at [\d.]+)? '
        r'died or stopped answering', output, re.MULTILINE), output[-3000:]
    if signum == 'SIGSTOP':
        assert 'Timed out waiting 30000ms' in output
    else:
        assert 'Signal 9 (SIGKILL)' in (tmp_path / 'node1.log').read_text()
    with open(osp.join(work, 'last_checkpoint')) as f:
        assert f.read().strip() == osp.join(work, 'epoch_1.pth')
