"""A checkpoint that does not fit the model is refused, keys named."""
import pytest
import torch
import torch.nn as nn
from mmengine.model import BaseTTAModel

import isic_plugins  # noqa: F401
from isic_plugins.utils import CheckpointMismatchError, check_checkpoint_fits


class Net(nn.Module):

    def __init__(self, num_classes: int = 2) -> None:
        super().__init__()
        self.backbone = nn.Conv2d(3, 4, 3)
        self.head = nn.Conv2d(4, num_classes, 1)

    def test_step(self, data):  # what BaseTTAModel asks of its module
        return data


def _save(tmp_path, model, prefix='', name='model.pth'):
    path = str(tmp_path / name)
    torch.save(dict(meta=dict(epoch=1), state_dict={
        prefix + k: v for k, v in model.state_dict().items()}), path)
    return path


def test_matching_checkpoint_passes(tmp_path):
    # 'module.' (DDP) prefixes are stripped as mmengine does
    path = _save(tmp_path, Net(), prefix='module.')
    assert check_checkpoint_fits(Net(), path, require_all_keys=True) == []


def test_head_of_another_size_is_refused_naming_keys_and_shapes(tmp_path):
    path = _save(tmp_path, Net(num_classes=3))
    with pytest.raises(CheckpointMismatchError) as err:
        check_checkpoint_fits(Net(num_classes=2), path)
    text = str(err.value)
    assert path in text and '2 parameter(s) have another shape' in text
    assert 'head.weight: checkpoint (3, 4, 1, 1) vs model (2, 4, 1, 1)' in text
    assert 'head.bias: checkpoint (3,) vs model (2,)' in text
    assert 'backbone' not in text


def test_missing_keys_refused_only_when_required(tmp_path):
    model = Net()
    path = str(tmp_path / 'backbone_only.pth')
    torch.save(dict(state_dict={k: v for k, v in model.state_dict().items()
                                if k.startswith('backbone')}), path)
    (warning, ) = check_checkpoint_fits(Net(), path)
    assert 'head.weight' in warning and 'keep their initial values' in warning
    with pytest.raises(CheckpointMismatchError, match='head.weight'):
        check_checkpoint_fits(Net(), path, require_all_keys=True)


def test_checkpoint_of_another_model_entirely(tmp_path):
    path = str(tmp_path / 'other.pth')
    torch.save(dict(state_dict=dict(fc=torch.zeros(1))), path)
    with pytest.raises(CheckpointMismatchError, match='none of the param'):
        check_checkpoint_fits(Net(), path)


def test_tta_model_is_compared_through_its_module(tmp_path):

    class TTA(BaseTTAModel):

        def merge_preds(self, data_samples_list):
            return data_samples_list

    path = _save(tmp_path, Net(num_classes=3))
    with pytest.raises(CheckpointMismatchError, match='head.weight'):
        check_checkpoint_fits(TTA(module=Net(num_classes=2)), path)
