"""Each fix of isic_plugins.utils.torch_compat, with a test that needs it."""
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub
from mmengine.runner.checkpoint import _load_checkpoint, save_checkpoint

import isic_plugins  # noqa: F401  (applies the fixes)
from isic_plugins.testing import free_port
from isic_plugins.testing.code_running_checkpoint import (
    save_code_running_checkpoint,
)
from isic_plugins.utils.checkpoint_trust import trusted_checkpoint_loading


def _mmengine_like_checkpoint() -> dict:
    """What Runner.save_checkpoint stores, with its tricky types."""
    hub = MessageHub.get_instance('test_torch_compat')
    for i in range(3):
        hub.update_scalar('train/loss', 1.0 / (i + 1))
    hub.update_info('iter', np.int64(7))
    return dict(
        meta=dict(epoch=3, iter=30, seed=np.int64(0),
                  dataset_meta=dict(classes=('background', 'lesion'),
                                    palette=[[0, 0, 0], [255, 255, 255]])),
        state_dict=dict(w=torch.randn(2, 2)),
        message_hub=hub.state_dict(),
        extra=np.arange(4, dtype=np.float32))


def test_mmengine_checkpoint_loads_weights_only(tmp_path):
    path = str(tmp_path / 'ckpt.pth')
    ckpt = _mmengine_like_checkpoint()
    save_checkpoint(ckpt, path)
    # torch >= 2.6 loads with weights_only=True by default: without the
    # allow-list this raises on HistoryBuffer / numpy objects.
    loaded = _load_checkpoint(path, map_location='cpu')
    assert torch.equal(loaded['state_dict']['w'], ckpt['state_dict']['w'])
    buf = loaded['message_hub']['log_scalars']['train/loss']
    assert isinstance(buf, HistoryBuffer)
    assert buf.mean() == pytest.approx(np.mean([1.0, 0.5, 1 / 3]))
    assert buf.statistics('current') == pytest.approx(1 / 3)
    np.testing.assert_array_equal(loaded['extra'], ckpt['extra'])


def test_history_buffer_pickles_without_getattr():
    buf = HistoryBuffer([1.0, 2.0], [1, 1])
    buf.mean()
    data = pickle.dumps(buf, protocol=2)
    assert b'getattr' not in data
    assert pickle.loads(data).statistics('max') == 2.0


def test_malicious_checkpoint_is_refused(tmp_path):
    marker = tmp_path / 'pwned'
    path = str(tmp_path / 'evil.pth')
    save_code_running_checkpoint(path, str(marker), state_dict={})
    with pytest.raises(pickle.UnpicklingError):
        _load_checkpoint(path, map_location='cpu')
    assert not marker.exists()


def test_stock_mmengine_pickle_needs_explicit_trust(tmp_path):
    # A HistoryBuffer pickled by stock mmengine carries getattr(...).
    path = str(tmp_path / 'legacy.pth')
    state = dict(_log_history=np.array([1.0]), _count_history=np.array([1]),
                 max_length=10,
                 statistics_methods=dict(mean=HistoryBuffer.mean))

    class Legacy(HistoryBuffer):
        def __reduce__(self):
            return (HistoryBuffer.__new__, (HistoryBuffer, ), state)

    torch.save(dict(buf=Legacy()), path)
    with pytest.raises(pickle.UnpicklingError):
        _load_checkpoint(path, map_location='cpu')
    with trusted_checkpoint_loading():
        loaded = _load_checkpoint(path, map_location='cpu')
    assert loaded['buf'].mean() == 1.0


@pytest.mark.skipif(torch.cuda.is_available(), reason='tests the CPU path')
def test_pytorch_launcher_starts_on_cpu(tmp_path):
    """mmengine's pytorch launcher + DDP wrapping work without CUDA."""
    script = tmp_path / 'worker.py'
    script.write_text(textwrap.dedent('''
        import pathlib
        import sys

        import isic_plugins  # noqa: F401
        import torch
        import torch.distributed as dist
        from mmengine.dist import init_dist
        from mmengine.model import MMDistributedDataParallel
        init_dist('pytorch', backend='nccl')
        t = torch.ones(1) * (dist.get_rank() + 1)
        dist.all_reduce(t)
        ddp = MMDistributedDataParallel(module=torch.nn.Linear(2, 2),
                                        device_ids=[0])
        # one file per rank: the ranks' stdout can interleave mid-line
        out = pathlib.Path(sys.argv[1]) / f'rank{dist.get_rank()}.txt'
        out.write_text(f'sum {int(t.item())} {dist.get_backend()} '
                       f'{type(ddp).__name__}')
        dist.destroy_process_group()
    '''))
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node=2',
           f'--master_port={free_port()}', str(script), str(tmp_path)]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    for rank in (0, 1):
        assert (tmp_path / f'rank{rank}.txt').read_text() == \
            'sum 3 gloo MMDistributedDataParallel'


def test_mmpretrain_imports_with_torchvision_python_parts():
    """Fix 5: torchvision (CUDA wheel, ops unloadable) imports after us."""
    code = ('import isic_plugins, torchvision, mmpretrain.models, torch\n'
            'from mmpretrain.registry import MODELS\n'
            'assert MODELS.get("ImageClassifier") is not None\n'
            'import torchvision.transforms.functional as F\n'
            'assert F.hflip(torch.arange(6.).view(1, 2, 3))[0, 0, 0] == 2\n'
            'print("ops", torchvision.extension._has_ops())')
    res = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    if 'ops False' in res.stdout:
        # without the fix, this torchvision cannot even be imported
        bare = subprocess.run([sys.executable, '-c', 'import torchvision'],
                              capture_output=True, text=True, timeout=120)
        assert bare.returncode != 0
        assert 'torchvision::nms' in bare.stderr
