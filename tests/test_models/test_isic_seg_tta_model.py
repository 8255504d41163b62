"""ISICSegTTAModel: scales x four flips, batched, at original size."""
import cv2
import numpy as np
import pytest
import torch
from mmengine.config import ConfigDict
from mmengine.dataset import Compose, pseudo_collate
from mmseg.registry import MODELS

import isic_plugins  # noqa: F401

pytestmark = pytest.mark.usefixtures('mmseg_scope')

SEGMENTOR = dict(
    type='EncoderDecoder',
    data_preprocessor=dict(
        type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375], bgr_to_rgb=True, pad_val=0,
        seg_pad_val=255),
    backbone=dict(type='ResNet', depth=18, base_channels=8, stem_channels=8,
                  out_indices=(3, ), norm_cfg=dict(type='BN')),
    decode_head=dict(type='DeconvFCNHead', in_channels=64, in_index=0,
                     channels=8, num_convs=1, concat_input=False,
                     num_deconvs=3, num_classes=2, norm_cfg=dict(type='BN')),
    test_cfg=ConfigDict(mode='whole'))


def _image(tmp_path, h, w, seed=0):
    rng = np.random.default_rng(seed)
    img = cv2.GaussianBlur(
        rng.integers(0, 255, (h, w, 3), np.uint8), (5, 5), 0)
    path = str(tmp_path / f'ISIC_{h:03d}{w:04d}.jpg')
    cv2.imwrite(path, img)
    return path


def _tta(sharpen=1.0, segmentor=SEGMENTOR, **kw):
    torch.manual_seed(0)
    model = MODELS.build(dict(type='ISICSegTTAModel', module=segmentor,
                              **kw))
    model.module.init_weights()
    # random BN statistics so that the tiny net is not trivially constant
    for m in model.module.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
    # logits ``sharpen`` times larger: probabilities away from 0.5
    with torch.no_grad():
        model.module.decode_head.conv_seg.weight.mul_(sharpen)
    return model.eval()


def _batch(paths, resize=None):
    steps = [dict(type='LoadImageFromFile')]
    if resize:
        steps.append(dict(type='Resize', scale=resize, keep_ratio=True))
    steps.append(dict(type='PackSegInputs'))
    pipeline = Compose(steps)
    return pseudo_collate([pipeline(dict(img_path=p)) for p in paths])


def test_flip_equivariance(tmp_path):
    img = cv2.imread(_image(tmp_path, 45, 70))
    tta = _tta(scales=[(48, 48), (64, 64)])
    for flip_code in (1, 0, -1):  # left-right, up-down, both
        flipped = str(tmp_path / f'ISIC_flip{flip_code}.png')
        cv2.imwrite(flipped, cv2.flip(img, flip_code))
        png = str(tmp_path / 'ISIC_orig.png')
        cv2.imwrite(png, img)  # lossless, so the flip is exact
        out = tta.test_step(_batch([png, flipped]))
        p, pf = out[0].seg_logits.data, out[1].seg_logits.data
        dims = {1: [2], 0: [1], -1: [1, 2]}[flip_code]
        torch.testing.assert_close(pf, p.flip(dims), atol=1e-5, rtol=0)


def test_one_scale_no_flip_equals_plain_inference(tmp_path):
    path = _image(tmp_path, 50, 77)
    tta = _tta(scales=[(64, 64)], flips=['none'])
    plain = tta.module.test_step(_batch([path], resize=(64, 64)))[0]
    out = tta.test_step(_batch([path]))[0]
    # what a segmentor returns: logits whose softmax is the probability
    torch.testing.assert_close(out.seg_logits.data.softmax(0),
                               plain.seg_logits.data.softmax(0),
                               atol=1e-5, rtol=0)
    # two classes: a uint8 mask (8x less memory than int64), same labels
    assert out.pred_sem_seg.data.dtype == torch.uint8
    assert torch.equal(out.pred_sem_seg.data.long(), plain.pred_sem_seg.data)


@pytest.mark.parametrize('h,w', [(37, 101), (211, 13), (9, 9), (64, 333)])
def test_output_has_original_size(tmp_path, h, w):
    path = _image(tmp_path, h, w)
    out = _tta(scales=[(32, 32), (48, 48)], chunk_size=3).test_step(
        _batch([path]))[0]
    assert out.pred_sem_seg.data.shape == (1, h, w)
    assert out.seg_logits.data.shape == (2, h, w)
    # logits whose softmax is the averaged probabilities
    probs = out.seg_logits.data.softmax(0)
    assert probs.min() > 0 and probs.max() < 1
    assert torch.equal(out.pred_sem_seg.data.long(),
                       probs.argmax(0, keepdim=True))


def test_images_batched_with_chunks_equal_one_by_one(tmp_path):
    paths = [_image(tmp_path, 40, 60, seed=s) for s in range(3)]
    paths[2] = _image(tmp_path, 41, 60, seed=2)  # a different size
    tta = _tta(scales=[(32, 32), (48, 48)], chunk_size=5)
    together = tta.test_step(_batch(paths))
    for path, res in zip(paths, together):
        alone = tta.test_step(_batch([path]))[0]
        torch.testing.assert_close(res.seg_logits.data, alone.seg_logits.data,
                                   atol=1e-5, rtol=0)


def test_probability_maps_written_by_the_metric(tmp_path):
    """The model writes nothing; the metric's prob_out writes the maps."""
    from isic_plugins.evaluation import ISICSegmentationMetric
    path = _image(tmp_path, 30, 40)
    out = _tta(scales=[(32, 32)]).test_step(_batch([path]))[0]
    assert not list(tmp_path.glob('**/*_probability.png'))
    prob_dir = tmp_path / 'probs'
    metric = ISICSegmentationMetric(prob_out=str(prob_dir), format_only=True)
    metric.process({}, [out.to_dict()])
    saved = cv2.imread(str(prob_dir / 'ISIC_0300040_probability.png'),
                       cv2.IMREAD_UNCHANGED)
    assert saved.shape == (30, 40) and saved.dtype == np.uint8
    expected = (out.seg_logits.data.softmax(0)[1] * 255).round().byte()
    assert np.abs(saved.astype(int) - expected.numpy()).max() <= 1


def test_bad_flip_name():
    with pytest.raises(ValueError, match='unknown flips'):
        MODELS.build(dict(type='ISICSegTTAModel', module=SEGMENTOR,
                          scales=[(64, 64)], flips=['sideways']))


def _dermoscopy(tmp_path, h, w, seed=0):
    """A generated dermoscopy image (smooth lesion, PNG: lossless)."""
    from isic_plugins.testing import render_sample
    img, _ = render_sample(np.random.default_rng(seed), 0, h, w)
    path = str(tmp_path / f'ISIC_{seed:07d}.png')
    cv2.imwrite(path, cv2.cvtColor(img, cv2.COLOR_RGB2BGR))
    return path


def test_merged_once_agrees_with_per_view_at_original_size(tmp_path):
    """Views merged at the largest view's size, resized once, give the
    masks of the exact per-view merge, at the original size."""
    h, w = 300, 451  # views of at most 80 px: merged at 53x80
    paths = [_dermoscopy(tmp_path, h, w, seed=s) for s in range(2)]
    kw = dict(scales=[(48, 48), (64, 64), (80, 80)], chunk_size=4,
              sharpen=30.0)
    working = _tta(**kw).test_step(_batch(paths))
    exact = _tta(merge='per_view', **kw).test_step(_batch(paths))
    assert _tta(**kw).working_size(h, w) == (53, 80)
    for fast, slow in zip(working, exact):
        assert fast.pred_sem_seg.data.shape == (1, h, w)
        assert fast.seg_logits.data.shape == (2, h, w)
        # two classes at the original size: logits [0, log-odds]
        assert torch.equal(fast.seg_logits.data[0], torch.zeros(h, w))
        agree = (fast.pred_sem_seg.data == slow.pred_sem_seg.data).float()
        assert agree.mean() >= 0.999
        assert 0 < slow.pred_sem_seg.data.float().mean() < 1  # not trivial
        probs = fast.seg_logits.data.softmax(0)
        assert (probs - slow.seg_logits.data.softmax(0)).abs().mean() < 0.01


def test_per_view_merge_is_the_exact_average(tmp_path):
    """merge='per_view' averages each view's probabilities at the original
    size: plain inference on each rescaled, flipped image, un-flipped."""
    img = cv2.imread(_image(tmp_path, 45, 70))
    png = str(tmp_path / 'ISIC_orig.png')
    cv2.imwrite(png, img)
    flipped = str(tmp_path / 'ISIC_flip.png')
    cv2.imwrite(flipped, cv2.flip(img, 1))  # left-right
    scales = [(24, 24), (32, 32)]
    expected = 0
    for scale in scales:
        tta = _tta(scales=[scale], flips=['none'], sharpen=100.0)
        plain, mirror = tta.module.test_step(
            _batch([png, flipped], resize=scale))
        expected = expected + plain.seg_logits.data.softmax(0) + \
            mirror.seg_logits.data.softmax(0).flip([2])
    expected = expected / 4
    kw = dict(scales=scales, flips=['none', 'horizontal'], sharpen=100.0)
    exact = _tta(merge='per_view', **kw).test_step(_batch([png]))[0]
    torch.testing.assert_close(exact.seg_logits.data.softmax(0), expected,
                               atol=1e-5, rtol=0)
    # the default merges at 21x32, then resizes: close, not the same
    working = _tta(**kw).test_step(_batch([png]))[0]
    error = (working.seg_logits.data.softmax(0) - expected).abs().max()
    assert 1e-4 < error < 0.05


def test_merges_equal_where_no_view_is_smaller(tmp_path):
    path = _image(tmp_path, 20, 30)
    kw = dict(scales=[(24, 24), (48, 48)])
    assert _tta(**kw).working_size(20, 30) == (20, 30)
    fast = _tta(**kw).test_step(_batch([path]))[0]
    exact = _tta(merge='per_view', **kw).test_step(_batch([path]))[0]
    torch.testing.assert_close(fast.seg_logits.data, exact.seg_logits.data)


def test_bad_merge_name():
    with pytest.raises(ValueError, match='unknown merge'):
        MODELS.build(dict(type='ISICSegTTAModel', module=SEGMENTOR,
                          scales=[(64, 64)], merge='nearest'))


def test_one_channel_model_merged_once(tmp_path):
    """A sigmoid (one-channel) model: the averaged lesion probability,
    resized once through its log-odds, agrees with the per-view merge."""
    import copy
    segmentor = copy.deepcopy(SEGMENTOR)
    segmentor['decode_head'].update(
        out_channels=1, threshold=0.5,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=True))
    h, w = 120, 180
    path = _dermoscopy(tmp_path, h, w)
    fast, exact = (
        _tta(segmentor=segmentor, scales=[(48, 48), (64, 64)], merge=merge,
             sharpen=30.0).test_step(_batch([path]))[0]
        for merge in ('working', 'per_view'))
    assert fast.seg_logits.data.shape == (1, h, w)
    prob = fast.seg_logits.data
    assert 0 <= prob.min() <= prob.max() <= 1
    assert torch.equal(fast.pred_sem_seg.data, (prob > 0.5).to(prob))
    # masks at the median probability: about half the pixels lesion
    threshold = exact.seg_logits.data.median()
    agree = (prob > threshold) == (exact.seg_logits.data > threshold)
    assert agree.float().mean() >= 0.999


@pytest.mark.parametrize('align_corners', [False, True])
def test_two_class_upsampling_is_the_normalised_log_probabilities(
        align_corners):
    """The two-class shortcut (one log-odds channel, OpenCV where corners
    are not aligned) gives the softmax and the mask of resizing both
    log-probabilities and normalising them (log_softmax)."""
    from mmseg.models.utils import resize
    tta = _tta(scales=[(64, 64)])
    tta.module.align_corners = align_corners
    gen = torch.Generator().manual_seed(0)
    probs = torch.rand((2, 2, 13, 21), generator=gen) * 0.98 + 0.01
    probs = probs / probs.sum(1, keepdim=True)
    size = (97, 151)
    reference = resize(probs.log(), size=size, mode='bilinear',
                       align_corners=align_corners).log_softmax(1)
    out = tta.upsample_seg_logits(probs, size)
    assert out.shape == (2, 2) + size
    torch.testing.assert_close(out.softmax(1), reference.softmax(1),
                               atol=1e-4, rtol=0)
    differ = (out[:, 1] > out[:, 0]) != (reference[:, 1] > reference[:, 0])
    assert differ.float().mean() < 1e-3


@pytest.mark.parametrize('merge', ['working', 'per_view'])
def test_threshold_is_on_the_averaged_lesion_probability(tmp_path, merge):
    """A lower threshold marks exactly the pixels whose averaged lesion
    probability exceeds it (more lesion, never less); 0.5 is the arg-max."""
    path = _image(tmp_path, 40, 56)
    out = {}
    for t in (0.5, 0.3):
        model = _tta(sharpen=0.3, scales=[(48, 48), (64, 64)], merge=merge,
                     threshold=t)
        with torch.no_grad():
            out[t] = model.test_step(_batch([path]))[0]
    logits = out[0.5].seg_logits.data
    prob = torch.softmax(logits, dim=0)[1]
    for t, sample in out.items():
        mask = sample.pred_sem_seg.data[0].bool()
        assert torch.equal(mask, prob > t), t
    low, high = out[0.3].pred_sem_seg.data, out[0.5].pred_sem_seg.data
    assert (low >= high).all() and low.sum() > high.sum()


def test_threshold_out_of_range_is_refused():
    with pytest.raises(ValueError, match='threshold'):
        _tta(scales=[(64, 64)], threshold=1.0)


@pytest.mark.parametrize('merge', ['working', 'per_view'])
def test_largest_component_keeps_the_largest_region_only(tmp_path, merge):
    """largest_component=True: the mask is the largest 8-connected region
    of the plain TTA mask, the probabilities are unchanged."""
    path = _image(tmp_path, 48, 64)
    out = {}
    for keep in (False, True):
        model = _tta(sharpen=0.3, scales=[(48, 48), (64, 64)], merge=merge,
                     largest_component=keep)
        with torch.no_grad():
            out[keep] = model.test_step(_batch([path]))[0]
    plain = out[False].pred_sem_seg.data[0].numpy().astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(plain, 8)
    assert count > 2, 'the fixture should give several regions'
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    kept = out[True].pred_sem_seg.data[0].numpy()
    np.testing.assert_array_equal(kept, labels == biggest)
    assert torch.equal(out[True].seg_logits.data, out[False].seg_logits.data)


def test_largest_component_of_an_empty_mask_is_empty():
    from isic_plugins.models.segmentors import largest_component
    assert not largest_component(np.zeros((5, 7), np.uint8)).any()
    mask = np.zeros((6, 9), np.uint8)
    mask[0, 0] = mask[4:6, 5:9] = 1  # two regions: 1 and 8 pixels
    assert largest_component(mask).sum() == 8
