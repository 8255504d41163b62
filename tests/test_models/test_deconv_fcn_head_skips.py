"""DeconvFCNHead's optional FCN-8s style skip connections."""
import pytest
import torch

from isic_plugins.models import DeconvFCNHead


def _feats(h, w):
    # strides 4, 8, 16, 32 of an h x w input
    return (torch.randn(2, 8, -(-h // 4), -(-w // 4)),
            torch.randn(2, 12, -(-h // 8), -(-w // 8)),
            torch.randn(2, 16, -(-h // 16), -(-w // 16)),
            torch.randn(2, 32, -(-h // 32), -(-w // 32)))


@pytest.mark.parametrize('size', [(64, 96), (72, 100)])
def test_skips_reach_stride_4_at_any_size(size):
    head = DeconvFCNHead(in_channels=32, in_index=3, channels=8, num_convs=1,
                         concat_input=False, num_classes=2, num_deconvs=3,
                         skip_indices=(2, 1, 0), skip_channels=(16, 12, 8))
    head.init_weights()
    feats = _feats(*size)
    out = head(feats)
    assert out.shape[2:] == feats[0].shape[2:]
    # the skips are used: changing the finest feature changes the output
    feats2 = (feats[0] + 1, ) + feats[1:]
    assert not torch.allclose(head.eval()(feats), head(feats2))


def test_no_skips_is_the_paper_head():
    head = DeconvFCNHead(in_channels=32, in_index=3, channels=8, num_convs=1,
                         concat_input=False, num_classes=2, num_deconvs=3)
    feats = _feats(64, 64)
    assert head(feats).shape[2:] == (16, 16)
    assert not hasattr(head, 'skips') or len(head.skips) == 0


def test_skip_arguments_are_checked():
    kwargs = dict(in_channels=32, in_index=3, channels=8, num_classes=2)
    with pytest.raises(ValueError, match='skip_channels'):
        DeconvFCNHead(skip_indices=(2, 1), skip_channels=(16, ), **kwargs)
    with pytest.raises(ValueError, match='at most one skip each'):
        DeconvFCNHead(num_deconvs=1, skip_indices=(2, 1),
                      skip_channels=(16, 12), **kwargs)
