"""ORTLesionClassifier reproduces LesionClassifier on lesion crops."""
import cv2
import numpy as np
import pytest

from isic_plugins.apis import LesionClassifier, ORTLesionClassifier
from isic_plugins.apis.ort_lesion_classifier import ENSEMBLE_MEMBERS
from isic_plugins.models.classifiers.isic_ensemble_classifier import MEMBERS


@pytest.fixture(scope='module')
def image_and_mask(tmp_path_factory):
    from isic_plugins.testing import render_sample
    out = tmp_path_factory.mktemp('ort_cls')
    img, mask = render_sample(np.random.default_rng(3), 3, 300, 411)
    image = str(out / 'ISIC_0000003.jpg')
    cv2.imwrite(image, img[..., ::-1])
    mask_path = str(out / 'ISIC_0000003_segmentation.png')
    cv2.imwrite(mask_path, (mask > 0).astype(np.uint8) * 255)
    return image, mask_path


def test_probabilities_match_pytorch(exported_models, image_and_mask):
    image, mask_path = image_and_mask
    expected = LesionClassifier(exported_models['cls'],
                                exported_models['cls_pth'])(
                                    image, lesion_mask_path=mask_path)
    ort = ORTLesionClassifier(exported_models['cls_onnx'])
    got = ort(image, lesion_mask=cv2.imread(mask_path, cv2.IMREAD_GRAYSCALE))
    assert set(got) == {'melanoma', 'seborrheic_keratosis'}
    for task in got:
        assert abs(got[task] - expected[task]) <= 1e-4
    with pytest.raises(ValueError, match='lesion mask'):
        ort(image)


def test_members_of_no_ensemble_are_refused(exported_models):
    from isic_plugins.apis.onnx_model_card import ModelFileError
    with pytest.raises(ModelFileError, match='three members'):
        ORTLesionClassifier([exported_models['cls_onnx']] * 3)


def test_ensemble_members_are_the_ensemble_classifier_s():
    # the light backend cannot import the model (torch): its copy, pinned
    assert ENSEMBLE_MEMBERS == tuple(MEMBERS)
