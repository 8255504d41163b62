"""The code-running checkpoint really runs its command when fully
unpickled, so the tests that find its marker absent can fail."""
import torch

from isic_plugins.testing.code_running_checkpoint import (
    save_code_running_checkpoint,
)


def test_full_unpickling_runs_the_command(tmp_path):
    marker = tmp_path / 'with space' / 'pwned'
    marker.parent.mkdir()
    path = str(tmp_path / 'evil.pth')
    save_code_running_checkpoint(path, str(marker), state_dict={})
    assert not marker.exists()
    loaded = torch.load(path, weights_only=False)
    assert marker.exists()
    assert loaded['state_dict'] == {}
