"""FCN decode head that upsamples with learned deconvolutions (Bi et al.)."""
from typing import List, Sequence, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule, build_activation_layer, build_norm_layer
from mmseg.models.decode_heads import FCNHead
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from torch import Tensor


def bilinear_kernel(channels: int, kernel_size: int) -> Tensor:
    """Per-channel bilinear upsampling kernel for a transposed convolution.

    Args:
        channels (int): Input (= output) channels.
        kernel_size (int): Kernel size of the transposed convolution.

    Returns:
        Tensor: ``(channels, channels, k, k)`` weight that upsamples each
        channel bilinearly and does not mix channels.
    """
    factor = (kernel_size + 1) // 2
    center = factor - 1 if kernel_size % 2 == 1 else factor - 0.5
    og = torch.arange(kernel_size, dtype=torch.float32)
    filt = 1 - (og - center).abs() / factor
    kernel = filt[:, None] * filt[None, :]
    weight = torch.zeros(channels, channels, kernel_size, kernel_size)
    weight[range(channels), range(channels)] = kernel
    return weight


@MODELS.register_module()
class DeconvFCNHead(FCNHead):
    """ResNet-Seg head: FCN convolutions, then learned 2x deconvolutions.

    Bi et al. "add convolutional and deconvolutional layers, which upsample
    the feature maps derived from ResNet". The head runs mmseg's
    :class:`~mmseg.models.decode_heads.FCNHead` convolutions on the deepest
    backbone feature, then ``num_deconvs`` transposed convolutions (kernel 4,
    stride 2), each doubling the resolution, before the pixel classifier.
    With a stride-32 ResNet and ``num_deconvs=3`` the logits come out at 1/4
    of the input; mmseg resizes them to the input size for the loss and to
    the original image size at inference.

    Optional skip connections (as in FCN-8s): after the ``i``-th
    deconvolution, a 1x1 convolution of the backbone feature
    ``inputs[skip_indices[i]]`` (which must have the new resolution) is
    added, so the upsampling path sees the encoder's finer features.

    Args:
        num_deconvs (int): Number of 2x transposed convolutions.
            Defaults to 3.
        deconv_kernel_size (int): Kernel of each deconvolution (even, so that
            ``padding=(k - 2) // 2`` gives an exact 2x). Defaults to 4.
        bilinear_init (bool): Start the deconvolutions as bilinear
            upsampling (as in FCN), so an untrained head already upsamples
            smoothly. Defaults to True.
        skip_indices (Sequence[int]): Backbone outputs added after the
            first, second... deconvolution, finest last. Defaults to ()
            (the paper's head: no skips).
        skip_channels (Sequence[int]): Channels of those outputs.
            Defaults to ().
        **kwargs: Passed to :class:`~mmseg.models.decode_heads.FCNHead`
            (``in_channels``, ``channels``, ``num_convs``, ``num_classes``...).
    """

    def __init__(self,
                 num_deconvs: int = 3,
                 deconv_kernel_size: int = 4,
                 bilinear_init: bool = True,
                 skip_indices: Sequence[int] = (),
                 skip_channels: Sequence[int] = (),
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if deconv_kernel_size % 2:
            raise ValueError('deconv_kernel_size must be even for an exact 2x '
                             f'upsampling, got {deconv_kernel_size}')
        if len(skip_indices) != len(skip_channels):
            raise ValueError(f'{len(skip_indices)} skip_indices but '
                             f'{len(skip_channels)} skip_channels')
        if len(skip_indices) > num_deconvs:
            raise ValueError(f'{len(skip_indices)} skips for {num_deconvs} '
                             'deconvolutions: at most one skip each')
        self.skip_indices = tuple(skip_indices)
        self.skips = nn.ModuleList(
            ConvModule(c, self.channels, 1, conv_cfg=self.conv_cfg,
                       norm_cfg=self.norm_cfg, act_cfg=self.act_cfg)
            for c in skip_channels)
        self.num_deconvs = num_deconvs
        self.bilinear_init = bilinear_init
        layers: List[nn.Module] = []
        for _ in range(num_deconvs):
            layers.append(
                nn.ConvTranspose2d(
                    self.channels,
                    self.channels,
                    kernel_size=deconv_kernel_size,
                    stride=2,
                    padding=(deconv_kernel_size - 2) // 2,
                    bias=self.norm_cfg is None))
            if self.norm_cfg is not None:
                layers.append(
                    build_norm_layer(self.norm_cfg, self.channels)[1])
            if self.act_cfg is not None:
                layers.append(build_activation_layer(self.act_cfg))
        self.deconvs = nn.Sequential(*layers)
        self._per_deconv = len(layers) // max(num_deconvs, 1)

    def init_weights(self) -> None:
        """Initialise as mmseg does, then make deconvolutions bilinear."""
        super().init_weights()
        if not self.bilinear_init:
            return
        for m in self.deconvs.modules():
            if isinstance(m, nn.ConvTranspose2d):
                with torch.no_grad():
                    m.weight.copy_(
                        bilinear_kernel(m.in_channels, m.kernel_size[0]))
                    if m.bias is not None:
                        m.bias.zero_()

    def forward(self, inputs: Tuple[Tensor]) -> Tensor:
        """Logits at ``2 ** num_deconvs`` times the feature size."""
        x = self._forward_feature(inputs)
        if not self.skip_indices:
            return self.cls_seg(self.deconvs(x))
        step = self._per_deconv
        for i in range(self.num_deconvs):
            x = self.deconvs[i * step:(i + 1) * step](x)
            if i < len(self.skip_indices):
                skip = self.skips[i](inputs[self.skip_indices[i]])
                if torch.jit.is_tracing() or skip.shape[2:] != x.shape[2:]:
                    # odd sizes: the encoder rounds up, a deconvolution
                    # doubles exactly; an ONNX export (tracing) keeps the
                    # resize for every size (to the same size it is exact)
                    x = resize(x, size=skip.shape[2:], mode='bilinear',
                               align_corners=self.align_corners)
                x = x + skip
        return self.cls_seg(x)
