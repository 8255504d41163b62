"""DataLoaderTimeoutHook: loaders with workers get a timeout; a dead or
silent worker is explained. The real kill and hang are in
tests/test_tools/test_faults_during_a_run.py."""
from types import SimpleNamespace

import pytest
from mmengine.config import Config
from torch.utils.data import DataLoader

from isic_plugins.engine import DataLoaderTimeoutHook, explain_loader_failure

CFG = Config(dict(train_dataloader=dict(batch_size=16, num_workers=4),
                  test_dataloader=dict(batch_size=1, num_workers=2)))


def test_timeout_goes_to_loaders_with_workers_only():
    data = list(range(8))
    train = DataLoader(data, num_workers=2)
    val = DataLoader(data, num_workers=0)  # PyTorch requires 0 here
    own = DataLoader(data, num_workers=2, timeout=30)
    hook = DataLoaderTimeoutHook(timeout=7)
    runner = SimpleNamespace(train_loop=SimpleNamespace(dataloader=train),
                             _val_loop=SimpleNamespace(dataloader=val))
    hook.before_train(runner)
    assert (train.timeout, val.timeout) == (7, 0)
    runner = SimpleNamespace(test_loop=SimpleNamespace(dataloader=own))
    hook.before_test(runner)
    assert own.timeout == 30  # the config's own wins
    assert hook.current == 'test_dataloader'
    with pytest.raises(ValueError, match='timeout'):
        DataLoaderTimeoutHook(timeout=-1)


def test_killed_worker_points_at_memory_and_the_settings():
    # what PyTorch raises (its SIGCHLD handler; its status check)
    for text, how in [
            ('DataLoader worker (pid 4242) is killed by signal: Killed. ',
             'was killed by signal SIGKILL'),
            ('DataLoader worker (pid(s) 4242) exited unexpectedly',
             'exited unexpectedly')]:
        message = explain_loader_failure(RuntimeError(text), CFG)
        assert message.startswith(
            f'a data loader worker of train_dataloader (pid 4242) {how}. '
            'The likely cause is memory')
        assert 'Killed process 4242' in message
        assert 'each of the 4 worker(s) holds up to 2 batches of 16 images' \
            in message
        assert ('Lower train_dataloader.num_workers (now 4) or '
                'train_dataloader.batch_size (now 16), e.g. --cfg-options '
                'train_dataloader.num_workers=2') in message


def test_silent_worker_names_the_timeout_and_the_loader():
    hook = DataLoaderTimeoutHook(timeout=5)
    message = explain_loader_failure(
        RuntimeError('DataLoader timed out after 5 seconds'), CFG,
        key='test_dataloader', hook=hook)
    assert message.startswith(
        'no batch came from the 2 worker(s) of test_dataloader for 5 s (the '
        'timeout of DataLoaderTimeoutHook in custom_hooks): a worker is '
        'stuck')
    assert 'test_dataloader.num_workers (now 2)' in message
    assert explain_loader_failure(RuntimeError('CUDA out of memory'),
                                  CFG) is None
