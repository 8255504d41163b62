"""Images decode as mmcv decodes them, and bad files get one clear message."""
import cv2
import mmcv
import numpy as np
import pytest

from isic_plugins.apis.image_file import (
    MAX_PIXELS,
    ImageFileError,
    decode_image,
    read_image,
)


def _png(array: np.ndarray) -> bytes:
    ok, data = cv2.imencode('.png', array)
    assert ok
    return data.tobytes()


@pytest.mark.parametrize('array', [
    np.arange(6 * 5 * 3, dtype=np.uint8).reshape(6, 5, 3),
    (np.arange(6 * 5 * 3, dtype=np.uint16) * 700).reshape(6, 5, 3),
    np.arange(6 * 5 * 4, dtype=np.uint8).reshape(6, 5, 4),  # BGRA
    np.full((1, 1, 3), 77, np.uint8),
], ids=['8-bit', '16-bit', 'rgba', '1x1'])
def test_decodes_as_mmcv(array):
    data = _png(array)
    expected = mmcv.imfrombytes(data, flag='color')
    got = decode_image(data, 'x.png')
    assert got.dtype == np.uint8 and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def test_bad_files_are_refused_naming_the_file(tmp_path):
    jpeg = cv2.imencode('.jpg', np.full((64, 64, 3), 90, np.uint8))[1]
    cases = {
        'empty.jpg': (b'', 'empty'),
        'notes.jpg': (b'these are not pixels', 'not an image'),
        'cut.jpg': (jpeg.tobytes()[:-200], 'truncated'),
    }
    for name, (data, words) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ImageFileError, match=words) as info:
            read_image(str(path))
        assert name in str(info.value)
    with pytest.raises(FileNotFoundError, match='missing.jpg'):
        read_image(str(tmp_path / 'missing.jpg'))


def test_too_many_pixels_is_refused_before_decoding():
    side = int(MAX_PIXELS ** 0.5) + 100
    data = _png(np.zeros((side, side), np.uint8))
    with pytest.raises(ImageFileError, match=f'{side}x{side}'):
        decode_image(data, 'huge.png')
