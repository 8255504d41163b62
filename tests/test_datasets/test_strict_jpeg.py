"""A JPEG damaged in the middle: decoders stay silent, the strict one not."""
import glob
import os.path as osp

import cv2
import pytest
from PIL import Image

from isic_plugins.datasets.strict_jpeg import jpeg_corruption


def _read(path):
    with open(path, 'rb') as f:
        return f.read()


def _decodes_silently(path):
    """OpenCV and Pillow both decode ``path`` without an error."""
    assert cv2.imread(path) is not None
    with Image.open(path) as im:
        im.load()


def test_generated_jpeg_overwritten_mid_file_is_found(tmp_path, messy):
    path = messy.corrupt_middle(str(tmp_path / 'bad.jpg'), size=(96, 96))
    _decodes_silently(path)
    assert 'Corrupt JPEG data' in jpeg_corruption(_read(path))


def test_real_image_overwritten_mid_file_is_found(tmp_path, messy,
                                                  isic_sample):
    source = sorted(glob.glob(osp.join(isic_sample, 'images', '*.jpg')))[0]
    assert jpeg_corruption(_read(source)) is None
    # 128 bytes: Pillow and OpenCV decode it into smeared blocks, no error
    path = messy.corrupt_middle(str(tmp_path / 'bad.jpg'), source=source,
                                count=128)
    _decodes_silently(path)
    assert 'Corrupt JPEG data' in jpeg_corruption(_read(path))


def test_real_sample_images_pass(isic_sample):
    paths = sorted(glob.glob(osp.join(isic_sample, 'images', '*.jpg')))
    assert paths
    assert [p for p in paths if jpeg_corruption(_read(p))] == []


@pytest.mark.parametrize('mode', ['RGB', 'L', 'CMYK'])
def test_clean_jpegs_of_every_colour_space_pass(tmp_path, messy, mode):
    path = messy.pil_image(str(tmp_path / 'ok.jpg'), mode, fmt='JPEG')
    assert jpeg_corruption(_read(path)) is None


def test_other_formats_are_left_to_the_other_checks(tmp_path, messy):
    png = messy.pil_image(str(tmp_path / 'ok.png'), 'RGB', fmt='PNG')
    assert jpeg_corruption(_read(png)) is None
    assert jpeg_corruption(b'<!DOCTYPE html>') is None
