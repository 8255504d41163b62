"""ORTLesionSegmenter reproduces LesionSegmenter (single view and TTA)."""
import cv2
import numpy as np
import pytest

from isic_plugins.apis import LesionSegmenter, ORTLesionSegmenter
from isic_plugins.apis.onnx_model_card import ModelFileError


@pytest.fixture(scope='module')
def images(tmp_path_factory):
    """Synthetic dermoscopy images of odd sizes (no padding divisor: the
    network sees sizes that are not multiples of 32)."""
    from isic_plugins.testing import render_sample
    out = tmp_path_factory.mktemp('ort_images')
    paths = []
    for i, (h, w) in enumerate([(217, 301), (130, 97)]):
        img, _ = render_sample(np.random.default_rng(i), i, h, w)
        path = str(out / f'ISIC_{i:07d}.png')
        cv2.imwrite(path, img[..., ::-1])
        paths.append(path)
    return paths


@pytest.mark.parametrize('tta', [False, True], ids=['single', 'tta'])
def test_masks_and_probabilities_match_pytorch(exported_models, images, tta):
    torch_seg = LesionSegmenter(exported_models['seg'],
                                exported_models['seg_pth'], tta=tta)
    ort_seg = ORTLesionSegmenter(exported_models['seg_onnx'], tta=tta)
    for path in images:
        expected, got = torch_seg(path), ort_seg(path)
        assert got['mask'].shape == expected['mask'].shape
        assert set(np.unique(got['mask'])) <= {0, 255}
        assert (got['mask'] == expected['mask']).mean() >= 0.999
        np.testing.assert_allclose(got['probability'],
                                   expected['probability'], atol=1e-4)


def test_other_files_are_refused(exported_models, tmp_path):
    with pytest.raises(ModelFileError, match='classifier.*segmenter'):
        ORTLesionSegmenter(exported_models['cls_onnx'])
    import onnx
    model = onnx.load(exported_models['seg_onnx'])
    del model.metadata_props[:]
    bare = str(tmp_path / 'bare.onnx')
    onnx.save(model, bare)
    with pytest.raises(ModelFileError, match='bare.onnx.*export_onnx'):
        ORTLesionSegmenter(bare)
    junk = tmp_path / 'junk.onnx'
    junk.write_bytes(b'not a model')
    with pytest.raises(ModelFileError, match='junk.onnx'):
        ORTLesionSegmenter(str(junk))
