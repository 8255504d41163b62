"""FCN decode head that upsamples with learned deconvolutions (Bi et al.)."""
from typing import List, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import build_activation_layer, build_norm_layer
from mmseg.models.decode_heads import FCNHead
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

    Args:
        num_deconvs (int): Number of 2x transposed convolutions.
            Defaults to 3.
        deconv_kernel_size (int): Kernel of each deconvolution (even, so that
            ``padding=(k - 2) // 2`` gives an exact 2x). Defaults to 4.
        bilinear_init (bool): Start the deconvolutions as bilinear
            upsampling (as in FCN), so an untrained head already upsamples
            smoothly. Defaults to True.
        **kwargs: Passed to :class:`~mmseg.models.decode_heads.FCNHead`
            (``in_channels``, ``channels``, ``num_convs``, ``num_classes``...).
    """

    def __init__(self,
                 num_deconvs: int = 3,
                 deconv_kernel_size: int = 4,
                 bilinear_init: bool = True,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if deconv_kernel_size % 2:
            raise ValueError('deconv_kernel_size must be even for an exact 2x '
                             f'upsampling, got {deconv_kernel_size}')
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
                layers.append(build_norm_layer(self.norm_cfg, self.channels)[1])
            if self.act_cfg is not None:
                layers.append(build_activation_layer(self.act_cfg))
        self.deconvs = nn.Sequential(*layers)

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
        """Segmentation logits at ``2 ** num_deconvs`` times the feature size."""
        feats = self._forward_feature(inputs)
        return self.cls_seg(self.deconvs(feats))
