"""DeconvFCNHead: learned 2x deconvolutions on the deepest ResNet feature."""
import torch
import torch.nn.functional as F
from mmseg.registry import MODELS

import isic_plugins  # noqa: F401
from isic_plugins.models.decode_heads import DeconvFCNHead, bilinear_kernel


def _head(**kw) -> DeconvFCNHead:
    cfg = dict(type='DeconvFCNHead', in_channels=32, in_index=0, channels=8,
               num_convs=1, concat_input=False, num_deconvs=3, num_classes=2,
               norm_cfg=dict(type='BN'))
    cfg.update(kw)
    head = MODELS.build(cfg)
    head.init_weights()
    return head


def test_upsamples_by_two_per_deconv():
    head = _head()
    out = head([torch.randn(2, 32, 5, 7)])
    assert out.shape == (2, 2, 40, 56)
    assert len([m for m in head.modules()
                if isinstance(m, torch.nn.ConvTranspose2d)]) == 3


def test_bilinear_init_upsamples_like_interpolation():
    deconv = torch.nn.ConvTranspose2d(3, 3, 4, stride=2, padding=1, bias=False)
    deconv.weight.data.copy_(bilinear_kernel(3, 4))
    x = torch.rand(1, 3, 6, 6)
    ref = F.interpolate(x, scale_factor=2, mode='bilinear',
                        align_corners=False)
    # identical away from the zero-padded border
    assert torch.allclose(deconv(x)[..., 1:-1, 1:-1], ref[..., 1:-1, 1:-1],
                          atol=1e-6)


def test_learns_on_a_toy_problem():
    torch.manual_seed(0)
    head = _head(norm_cfg=None, dropout_ratio=0)
    feats = torch.randn(4, 32, 4, 4)
    target = (torch.rand(4, 32, 32) > 0.5).long()
    opt = torch.optim.Adam(head.parameters(), lr=1e-2)
    first = None
    for _ in range(30):
        loss = F.cross_entropy(head([feats]), target)
        first = first if first is not None else loss.item()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < first * 0.9
