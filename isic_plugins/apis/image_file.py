"""Decode an image file for inference, or say plainly why it cannot be.

Decodes exactly as mmcv's ``LoadImageFromFile`` does with its default cv2
backend (``cv2.imdecode`` of the file's bytes, BGR uint8), so that the ONNX
Runtime backend sees the pixels the PyTorch pipeline sees: 16-bit and
RGBA PNGs become 8-bit BGR, grey images three equal channels. What cannot
be a dermoscopy photo is refused before decoding with one message naming
the file: an empty file, a file that is not an image, a JPEG cut short
(OpenCV would fill the missing rows with grey without an error), an image
larger than :data:`MAX_PIXELS`.

Imports nothing from the OpenMMLab stack.
"""
import os
import os.path as osp
import warnings
from typing import Tuple

import cv2
import numpy as np
from PIL import Image

#: ``LoadImageFromFile``'s ``color_type`` values this module decodes.
COLOR_FLAGS = {
    'color': cv2.IMREAD_COLOR,
    'color_ignore_orientation': cv2.IMREAD_IGNORE_ORIENTATION
    | cv2.IMREAD_COLOR,
}
#: Largest image accepted, in pixels: Pillow's decompression-bomb limit
#: (about 9,459 x 9,459); the 4288 x 2848 ISIC photos are 12.2 million.
MAX_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485
_JPEG_SOI, _JPEG_EOI = b'\xff\xd8', b'\xff\xd9'


class ImageFileError(ValueError):
    """An input file that is not a usable image."""


def image_size(data: bytes) -> Tuple[int, int]:
    """``(width, height)`` from the file's header, without decoding it.

    Returns ``(0, 0)`` where Pillow does not know the format (OpenCV may
    still decode it).
    """
    import io
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                return im.size
    except Image.DecompressionBombError as exc:
        # past twice the limit Pillow refuses to even open it
        raise ImageFileError(str(exc)) from exc
    except Exception:  # noqa: BLE001  (any unknown format: let cv2 try)
        return 0, 0


def check_image_bytes(data: bytes, name: str = 'image') -> Tuple[int, int]:
    """Refuse what cannot be a dermoscopy photo, before decoding it.

    Args:
        data (bytes): The whole file.
        name (str): The file's name, for messages. Defaults to 'image'.

    Returns:
        tuple[int, int]: ``(width, height)`` from the header; ``(0, 0)``
        where Pillow does not know the format.

    Raises:
        ImageFileError: Empty, a truncated JPEG, or larger than
            :data:`MAX_PIXELS`.
    """
    if not data:
        raise ImageFileError(f'{name}: the file is empty (0 bytes); give a '
                             'JPEG or PNG dermoscopy image')
    if data[:2] == _JPEG_SOI and _JPEG_EOI not in data[-64:]:
        raise ImageFileError(
            f'{name}: the JPEG is truncated (no end-of-image marker: the '
            'file was cut short, e.g. an interrupted download); copy or '
            'download it again')
    try:
        width, height = image_size(data)
    except ImageFileError as exc:
        raise ImageFileError(f'{name}: too large to decode safely ({exc}); '
                             'downscale it first') from None
    if width * height > MAX_PIXELS:
        raise ImageFileError(
            f'{name}: {width}x{height} is {width * height / 1e6:.1f} million '
            f'pixels, more than the {MAX_PIXELS / 1e6:.1f} million accepted; '
            'downscale it first (the models work at a few hundred pixels)')
    return width, height


def check_image_file(path: str) -> None:
    """:func:`check_image_bytes` of a file, and a decode where Pillow does
    not know its format (so that a file that is no image is refused too):
    the check ``tools/predict.py`` runs before either backend reads it.

    Raises:
        FileNotFoundError: No such file.
        ImageFileError: As :func:`decode_image`.
    """
    data = _file_bytes(path)
    if check_image_bytes(data, path) == (0, 0):
        decode_image(data, path)


def decode_image(data: bytes, name: str = 'image',
                 color_type: str = 'color') -> np.ndarray:
    """Decode an image file's bytes to an ``H x W x 3`` BGR uint8 array.

    Args:
        data (bytes): The whole file.
        name (str): The file's name, for messages. Defaults to 'image'.
        color_type (str): 'color' (EXIF orientation applied) or
            'color_ignore_orientation', as ``LoadImageFromFile``.
            Defaults to 'color'.

    Raises:
        ImageFileError: Empty, not an image, a truncated JPEG, or larger
            than :data:`MAX_PIXELS`.
    """
    if color_type not in COLOR_FLAGS:
        raise ValueError(f'unknown color_type {color_type!r}; choose from '
                         f'{list(COLOR_FLAGS)}')
    check_image_bytes(data, name)
    img = cv2.imdecode(np.frombuffer(data, np.uint8), COLOR_FLAGS[color_type])
    if img is None or img.size == 0:
        raise ImageFileError(
            f'{name}: not an image that OpenCV can decode; give a JPEG or '
            'PNG dermoscopy image')
    return img


def read_image(path: str, color_type: str = 'color') -> np.ndarray:
    """Read and decode an image file (see :func:`decode_image`).

    Args:
        path (str): The file.
        color_type (str): As :func:`decode_image`. Defaults to 'color'.

    Raises:
        FileNotFoundError: No such file.
        ImageFileError: As :func:`decode_image`.
    """
    return decode_image(_file_bytes(path), path, color_type)


def _file_bytes(path: str) -> bytes:
    if osp.islink(path) and not osp.exists(path):  # listed, yet unreadable
        raise ImageFileError(
            f'{path}: a link to {os.readlink(path)}, which does not exist; '
            'link to the image itself (an absolute path) or copy it')
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such image file')
    with open(path, 'rb') as f:
        return f.read()
