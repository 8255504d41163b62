"""Distributed training, crash + resume, atomic saves, safe checkpoint loading.

All on CPU: tools/dist_train.sh starts processes with the gloo backend.
"""
import json
import os
import os.path as osp
import signal
import subprocess
import sys
import textwrap
import time

import pytest
import torch

import isic_plugins  # noqa: F401  (mmengine checkpoints load weights-only)
from isic_plugins.testing import free_port
from isic_plugins.testing.code_running_checkpoint import (
    save_code_running_checkpoint,
)

TINY = 'tests/data/tiny_seg_config.py'


def _roots(root):
    return [f'{s}_dataloader.dataset.data_root={root}'
            for s in ('train', 'val', 'test')]


def _weights(path):
    return torch.load(path, map_location='cpu')['state_dict']


def _assert_same_weights(a, b, atol):
    assert a.keys() == b.keys()
    for key in a:
        if a[key].is_floating_point():
            torch.testing.assert_close(a[key], b[key], atol=atol, rtol=0,
                                       msg=key)


def _train(python, repo_root, work, data, *extra, opts=(), procs=1,
           timeout=600):
    if procs == 1:
        cmd = [python, 'tools/train.py', TINY, '--work-dir', work]
    else:
        cmd = ['bash', 'tools/dist_train.sh', TINY, str(procs),
               '--work-dir', work]
    env = dict(os.environ, PORT=str(free_port()))
    cmd += [*extra, '--cfg-options', *_roots(data), *opts]
    return subprocess.run(cmd, cwd=repo_root, capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.fixture(scope='module')
def one_process_run(python, repo_root, synthetic_isic, tmp_path_factory):
    work = str(tmp_path_factory.mktemp('one_proc'))
    res = _train(python, repo_root, work, synthetic_isic)
    assert res.returncode == 0, res.stderr[-4000:]
    return work


def _val_metrics(work):
    logs = [osp.join(r, f) for r, _, fs in os.walk(work) for f in fs
            if f == 'scalars.json']
    with open(logs[0]) as f:
        rows = [json.loads(line) for line in f]
    return [r for r in rows if 'isic/jaccard' in r][-1]


def test_two_processes_equal_one(python, repo_root, synthetic_isic,
                                 one_process_run, tmp_path):
    work = str(tmp_path / 'two')
    # 2 x 2 images per step = the 1-process batch of 4
    res = _train(python, repo_root, work, synthetic_isic, procs=2,
                 opts=['train_dataloader.batch_size=2'])
    assert res.returncode == 0, res.stderr[-4000:]
    assert 'Distributed training: True' in res.stdout + res.stderr
    _assert_same_weights(_weights(osp.join(work, 'epoch_4.pth')),
                         _weights(osp.join(one_process_run, 'epoch_4.pth')),
                         atol=1e-4)
    # validation over the whole set, gathered from both ranks
    one, two = _val_metrics(one_process_run), _val_metrics(work)
    assert two['isic/jaccard'] == pytest.approx(one['isic/jaccard'], abs=1e-4)


def test_two_nodes_equal_one(python, repo_root, synthetic_isic,
                             one_process_run, tmp_path):
    """Two "nodes" on this machine, as the README's multi-node command.

    Each node is its own ``tools/dist_train.sh`` (torchrun) with
    ``NNODES=2``, its ``NODE_RANK``, one CPU process, and the rendezvous of
    node 0 at ``MASTER_ADDR:PORT``; the work dir stands for the shared file
    system of a cluster.
    """
    work = str(tmp_path / 'two_nodes')
    port = str(free_port())
    cmd = ['bash', 'tools/dist_train.sh', TINY, '1', '--work-dir', work,
           '--cfg-options', *_roots(synthetic_isic),
           'train_dataloader.batch_size=2']
    nodes, logs = [], []
    for rank in (0, 1):
        env = dict(os.environ, NNODES='2', NODE_RANK=str(rank),
                   MASTER_ADDR='127.0.0.1', PORT=port)
        logs.append(open(tmp_path / f'node{rank}.log', 'w+'))
        nodes.append(subprocess.Popen(cmd, cwd=repo_root, env=env,
                                      stdout=logs[-1],
                                      stderr=subprocess.STDOUT, text=True))
    try:
        codes = [node.wait(timeout=600) for node in nodes]
    finally:
        for node in nodes:
            if node.poll() is None:
                node.kill()
                node.wait()
    outputs = []
    for log in logs:
        log.seek(0)
        outputs.append(log.read())
        log.close()
    assert codes == [0, 0], '\n'.join(out[-3000:] for out in outputs)
    assert 'Distributed training: True' in outputs[0]
    assert 'GPU number: 2' in outputs[0]  # mmengine's name for world size
    _assert_same_weights(_weights(osp.join(work, 'epoch_4.pth')),
                         _weights(osp.join(one_process_run, 'epoch_4.pth')),
                         atol=1e-4)
    one, two = _val_metrics(one_process_run), _val_metrics(work)
    assert two['isic/jaccard'] == pytest.approx(one['isic/jaccard'], abs=1e-4)


def test_sampler_gives_ranks_disjoint_data():
    from mmengine.dataset import DefaultSampler
    dataset = list(range(13))
    shards = []
    for rank in range(2):
        sampler = DefaultSampler(dataset, shuffle=True, seed=0)
        sampler.rank, sampler.world_size = rank, 2
        sampler.num_samples = (len(dataset) + 1) // 2
        sampler.total_size = sampler.num_samples * 2
        shards.append(list(sampler))
    # disjoint apart from the one padding sample that evens out the ranks
    assert len(set(shards[0]) & set(shards[1])) <= 1
    assert set(shards[0]) | set(shards[1]) == set(dataset)


def test_resume_after_sigkill_matches_uninterrupted(
        python, repo_root, synthetic_isic, one_process_run, tmp_path):
    work = str(tmp_path / 'killed')
    cmd = [python, 'tools/train.py', TINY, '--work-dir', work,
           '--cfg-options', *_roots(synthetic_isic)]
    proc = subprocess.Popen(cmd, cwd=repo_root, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 300
        while not osp.isfile(osp.join(work, 'epoch_2.pth')):
            assert proc.poll() is None, 'training ended before the kill'
            assert time.time() < deadline
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert not osp.isfile(osp.join(work, 'epoch_4.pth'))
    res = _train(python, repo_root, work, synthetic_isic, '--resume')
    assert res.returncode == 0, res.stderr[-4000:]
    assert 'resumed' in (res.stdout + res.stderr).lower()
    _assert_same_weights(_weights(osp.join(work, 'epoch_4.pth')),
                         _weights(osp.join(one_process_run, 'epoch_4.pth')),
                         atol=0)


def test_kill_during_save_keeps_last_checkpoint(python, tmp_path):
    """SIGKILL while a checkpoint is being written: the old one survives."""
    target = tmp_path / 'epoch_1.pth'
    script = tmp_path / 'save.py'
    script.write_text(textwrap.dedent(f'''
        import os, time, torch
        import isic_plugins  # noqa: F401
        from mmengine.runner.checkpoint import save_checkpoint
        # the file backend the configs' CheckpointHook selects
        atomic = dict(backend='atomic_local')
        save_checkpoint({{'state_dict': {{'w': torch.zeros(3)}}}},
                        {str(target)!r}, backend_args=atomic)
        real_fsync = os.fsync
        def slow_fsync(fd):  # the disk stalls mid-save: we get killed here
            print('saving', flush=True)
            time.sleep(60)
        os.fsync = slow_fsync
        save_checkpoint({{'state_dict': {{'w': torch.ones(10 ** 6)}}}},
                        {str(target)!r}, backend_args=atomic)
    '''))
    proc = subprocess.Popen([sys.executable, str(script)],
                            stdout=subprocess.PIPE, text=True)
    for line in proc.stdout:  # mmengine may log warnings first
        if line.strip() == 'saving':
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    from mmengine.runner.checkpoint import _load_checkpoint
    ckpt = _load_checkpoint(str(target), map_location='cpu')
    assert torch.equal(ckpt['state_dict']['w'], torch.zeros(3))


def test_resume_falls_back_when_last_checkpoint_is_broken(tmp_path):
    """tools/train.py --resume passes this explicit path to mmengine."""
    from isic_plugins.utils.atomic_checkpoints import find_latest_checkpoint
    for epoch in (1, 2):
        (tmp_path / f'epoch_{epoch}.pth').write_bytes(b'x')
    (tmp_path / 'last_checkpoint').write_text('')  # killed mid-write
    assert find_latest_checkpoint(str(tmp_path)) == \
        str(tmp_path / 'epoch_2.pth')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'epoch_1.pth'))
    assert find_latest_checkpoint(str(tmp_path)) == \
        str(tmp_path / 'epoch_1.pth')


@pytest.mark.parametrize('how', ['test', 'load_from', 'resume'])
def test_malicious_checkpoint_refused_everywhere(python, repo_root,
                                                 synthetic_isic,
                                                 one_process_run, tmp_path,
                                                 how):
    marker = tmp_path / 'pwned'
    evil = str(tmp_path / 'epoch_9.pth')
    good = _weights(osp.join(one_process_run, 'epoch_4.pth'))
    save_code_running_checkpoint(evil, str(marker), state_dict=good,
                                 meta=dict(epoch=9, iter=9))
    if how == 'test':
        cmd = [python, 'tools/test.py', TINY, evil, '--work-dir',
               str(tmp_path), '--cfg-options', *_roots(synthetic_isic)]
    else:
        extra = ['--resume', evil] if how == 'resume' else []
        opts = [f'load_from={evil}'] if how == 'load_from' else []
        cmd = [python, 'tools/train.py', TINY, '--work-dir',
               str(tmp_path / 'w'), *extra, '--cfg-options',
               *_roots(synthetic_isic), *opts]
    res = subprocess.run(cmd, cwd=repo_root, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode != 0
    assert 'refused to load a checkpoint' in res.stderr
    assert '--trust-checkpoint' in res.stderr
    assert not marker.exists()


def test_trusted_legacy_checkpoint_loads_with_opt_in(
        python, repo_root, synthetic_isic, one_process_run, tmp_path):
    legacy = str(tmp_path / 'legacy.pth')
    good = _weights(osp.join(one_process_run, 'epoch_4.pth'))
    # a stand-in for an old checkpoint with a harmless arbitrary object
    torch.save(dict(state_dict=good, meta=dict(note=argparse_namespace())),
               legacy)
    base = [python, 'tools/test.py', TINY, legacy, '--work-dir',
            str(tmp_path)]
    opts = ['--cfg-options', *_roots(synthetic_isic)]
    refused = subprocess.run(base + opts, cwd=repo_root, capture_output=True,
                             text=True, timeout=300)
    assert refused.returncode != 0
    trusted = subprocess.run(base + ['--trust-checkpoint'] + opts,
                             cwd=repo_root, capture_output=True, text=True,
                             timeout=300)
    assert trusted.returncode == 0, trusted.stderr[-3000:]
    assert osp.isfile(tmp_path / 'metrics.json')


def argparse_namespace():
    import argparse
    return argparse.Namespace(lr=0.1)
