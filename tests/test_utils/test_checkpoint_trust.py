"""checkpoint_trust: weights-only loading unless the user opts in."""
import os
import pickle

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.runner import checkpoint as checkpoint_module
from mmengine.runner.checkpoint import _load_checkpoint, save_checkpoint

import isic_plugins  # noqa: F401  (applies the compat fixes)
from isic_plugins.testing.code_running_checkpoint import (
    save_code_running_checkpoint,
)
from isic_plugins.utils.checkpoint_trust import (
    FULL_PICKLE_ENV,
    UnsafeCheckpointError,
    checkpoint_loading,
    trust_requested,
    trusted_checkpoint_loading,
)


def test_untrusted_pickle_is_refused_with_the_opt_in_named(tmp_path):
    marker = tmp_path / 'pwned'
    path = str(tmp_path / 'evil.pth')
    save_code_running_checkpoint(path, str(marker), state_dict={})
    with pytest.raises(UnsafeCheckpointError) as info:
        with checkpoint_loading(trust=False):
            _load_checkpoint(path, map_location='cpu')
    assert not marker.exists()
    message = str(info.value)
    assert 'posix.system' in message or 'os.system' in message
    assert '--trust-checkpoint' in message
    assert 'trust_checkpoints=True' in message
    assert isinstance(info.value.__cause__, pickle.UnpicklingError)


def test_weights_only_checkpoint_loads_untrusted(tmp_path):
    path = str(tmp_path / 'ckpt.pth')
    weights = torch.randn(3, 2)
    save_checkpoint(dict(meta=dict(epoch=1, seed=np.int64(0)),
                         state_dict=dict(w=weights)), path)
    with checkpoint_loading(trust=False):
        loaded = _load_checkpoint(path, map_location='cpu')
    assert torch.equal(loaded['state_dict']['w'], weights)
    assert loaded['meta']['seed'] == 0


def test_trusted_block_unpickles_in_full_and_restores_the_switch(
        tmp_path, monkeypatch):
    monkeypatch.delenv(FULL_PICKLE_ENV, raising=False)
    path = str(tmp_path / 'legacy.pth')
    torch.save(dict(state_dict={}, extra=pickle.PicklingError('x')), path)
    with pytest.raises(UnsafeCheckpointError):
        with checkpoint_loading(trust=False):
            _load_checkpoint(path, map_location='cpu')
    with checkpoint_loading(trust=True):
        assert os.environ[FULL_PICKLE_ENV] == '1'
        loaded = _load_checkpoint(path, map_location='cpu')
    assert isinstance(loaded['extra'], pickle.PicklingError)
    assert FULL_PICKLE_ENV not in os.environ
    monkeypatch.setenv(FULL_PICKLE_ENV, '0')
    with trusted_checkpoint_loading():
        pass
    assert os.environ[FULL_PICKLE_ENV] == '0'


@pytest.mark.parametrize('flag, cfg, expected', [
    (False, {}, False),
    (True, {}, True),
    (False, dict(trust_checkpoints=True), True),
    (False, dict(trust_checkpoints=False), False),
])
def test_trust_is_requested_by_the_flag_or_the_config(flag, cfg, expected):
    assert trust_requested(flag, Config(cfg)) is expected


def test_url_checkpoints_follow_the_trust_decision(monkeypatch):
    # torch_compat fix 4: downloads load weights-only unless trusted
    seen = []
    monkeypatch.setattr(torch.hub, 'load_state_dict_from_url',
                        lambda url, **kwargs: seen.append(
                            kwargs['weights_only']))
    monkeypatch.delenv(FULL_PICKLE_ENV, raising=False)
    checkpoint_module.load_url('https://example.org/a.pth')
    with checkpoint_loading(trust=True):
        checkpoint_module.load_url('https://example.org/a.pth')
    assert seen == [True, False]
