"""The TTA views, defined once for ISICSegTTAModel and the ONNX Runtime
segmenter."""
import mmcv

from isic_plugins.models.segmentors import FLIP_DIMS, ISICSegTTAModel
from isic_plugins.seg_tta_views import (
    FLIP_AXES,
    FLIPS,
    rescale_size,
    view_chunks,
    working_size,
)


def test_rescale_size_is_mmcv_s():
    for size in [(4288, 2848), (301, 217), (97, 130), (1, 1), (512, 512)]:
        for scale in [(1024, 224), (1024, 256), (256, 256)]:
            assert rescale_size(*size, scale) == mmcv.rescale_size(size,
                                                                   scale)


def test_the_tensor_flips_are_the_map_flips_two_dims_on():
    assert list(FLIPS) == list(FLIP_AXES) == list(FLIP_DIMS)
    assert ISICSegTTAModel.__init__.__defaults__[0] == FLIPS
    assert FLIP_DIMS == {'none': (), 'horizontal': (3, ), 'vertical': (2, ),
                         'diagonal': (2, 3)}


def test_views_are_chunked_image_by_image_in_flip_order():
    chunks = list(view_chunks(2, FLIPS, 3))
    assert [len(c) for c in chunks] == [3, 3, 2]
    assert sum(chunks, []) == [(i, f) for i in range(2) for f in FLIPS]
    assert list(view_chunks(1, ['none'], 0)) == [[(0, 'none')]]


def test_working_size_is_the_largest_view_or_the_image():
    scales = [(1024, 224), (1024, 288)]
    assert working_size(2848, 4288, scales) == (288, 434)
    assert working_size(2848, 4288, scales, 'per_view') == (2848, 4288)
    assert working_size(100, 150, scales) == (100, 150)
