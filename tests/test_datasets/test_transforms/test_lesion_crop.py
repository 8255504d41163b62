"""LesionCrop: the classifier sees the lesion a segmenter found."""
import os.path as osp

import cv2
import numpy as np
import pytest
from mmpretrain.registry import TRANSFORMS

import isic_plugins  # noqa: F401
from isic_plugins.datasets import lesion_box

pytestmark = pytest.mark.usefixtures('mmpretrain_scope')


def _mask(shape, box):
    mask = np.zeros(shape, np.uint8)
    x1, y1, x2, y2 = box
    mask[y1:y2, x1:x2] = 255
    return mask


def test_box_is_square_with_margin_around_the_lesion():
    # lesion 40 wide x 20 high at (50..90, 60..80) in a 200x300 image
    box = lesion_box(_mask((200, 300), (50, 60, 90, 80)) > 0, (200, 300),
                     margin=0.25)
    x1, y1, x2, y2 = box
    assert (x2 - x1, y2 - y1) == (60, 60)  # 40 * (1 + 2 * 0.25), square
    assert (x1 + x2) / 2 == 70 and (y1 + y2) / 2 == 70  # same centre


def test_box_stays_inside_the_image_and_scales_from_a_smaller_mask():
    # a lesion in the top-left corner of a half-size mask
    box = lesion_box(_mask((100, 150), (0, 0, 30, 30)) > 0, (200, 300),
                     margin=0.5)
    assert box == (0, 0, 120, 120)  # shifted in, in image pixels
    # a lesion larger than the image's height: the box is clipped to it
    box = lesion_box(_mask((200, 300), (10, 5, 290, 195)) > 0, (200, 300))
    assert box[1] == 0 and box[3] == 200 and box[2] - box[0] <= 300


def test_empty_or_speck_mask_means_no_box():
    assert lesion_box(np.zeros((50, 50), bool), (50, 50)) is None
    speck = np.zeros((100, 100), bool)
    speck[3, 4] = True  # 1 pixel of 10,000 < min_fraction
    assert lesion_box(speck, (100, 100)) is None


def test_transform_crops_from_the_cached_mask(tmp_path):
    img = np.random.default_rng(0).integers(0, 255, (120, 160, 3), np.uint8)
    path = osp.join(str(tmp_path), 'ISIC_0000001_segmentation.png')
    cv2.imwrite(path, _mask((120, 160), (40, 30, 80, 70)))
    crop = TRANSFORMS.build(dict(type='LesionCrop', margin=0.0))
    out = crop(dict(img=img.copy(), img_shape=(120, 160),
                    lesion_mask_path=path))
    assert out['lesion_box'] == (40, 30, 80, 70)
    assert out['img_shape'] == (40, 40)
    np.testing.assert_array_equal(out['img'], img[30:70, 40:80])


def test_transform_keeps_the_whole_image_when_nothing_was_found(tmp_path):
    img = np.zeros((60, 80, 3), np.uint8)
    path = osp.join(str(tmp_path), 'empty_segmentation.png')
    cv2.imwrite(path, np.zeros((60, 80), np.uint8))
    out = TRANSFORMS.build(dict(type='LesionCrop'))(
        dict(img=img, img_shape=(60, 80), lesion_mask_path=path))
    assert out['lesion_box'] is None and out['img'].shape == (60, 80, 3)


def test_transform_without_masks_says_how_to_make_them():
    with pytest.raises(KeyError, match='lesion_mask_dir.*--masks-only'):
        TRANSFORMS.build(dict(type='LesionCrop'))(
            dict(img=np.zeros((8, 8, 3), np.uint8), img_shape=(8, 8)))
