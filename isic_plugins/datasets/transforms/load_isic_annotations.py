"""Load ISIC lesion masks the way the ISIC scorer reads them."""
from typing import Tuple

import mmcv
import mmengine.fileio as fileio
import numpy as np
from mmseg.datasets.transforms import LoadAnnotations
from mmseg.registry import TRANSFORMS


def binarize_isic_mask(mask: np.ndarray, threshold: int = 128) -> np.ndarray:
    """Turn an ISIC mask (0/255, maybe anti-aliased or RGB) into labels 0/1.

    Args:
        mask (np.ndarray): HxW or HxWxC mask with values in [0, 255]
            (16-bit masks in [0, 65535], 1-bit masks as booleans).
        threshold (int): Pixels strictly above it are lesion, as in the
            ISIC 2017 scorer. Defaults to 128.

    Returns:
        np.ndarray: HxW uint8 array of 0 (skin) and 1 (lesion).
    """
    if mask.ndim == 3:
        # Masks saved as RGB(A) repeat the same value in each colour channel.
        mask = mask[..., 0]
    if mask.dtype == bool:
        # 1-bit PNGs decode (with Pillow) to booleans: True is the lesion.
        return mask.astype(np.uint8)
    if mask.dtype == np.uint16:
        mask = (mask // 257).astype(np.uint8)
    return (mask > threshold).astype(np.uint8)


def check_mask_size(mask_shape: Tuple[int, int], results: dict) -> None:
    """Refuse a mask whose size differs from its image as loaded.

    Training would crop image and mask at different places, and scoring
    would compare the wrong pixels. A mask that fits the image turned by
    90 degrees means the image loader applied an EXIF orientation that the
    mask does not have.

    Args:
        mask_shape (tuple[int, int]): ``(height, width)`` of the mask.
        results (dict): The pipeline's results; ``ori_shape`` is the image
            as ``LoadImageFromFile`` decoded it. Without it nothing is
            checked.

    Raises:
        ValueError: Naming the mask, its image and both sizes.
    """
    image_shape = results.get('ori_shape')
    if image_shape is None or tuple(mask_shape) == tuple(image_shape[:2]):
        return
    (mh, mw), (ih, iw) = mask_shape, image_shape[:2]
    hint = ('resize the mask to the image size (nearest neighbour) or '
            're-export the pair')
    if (mh, mw) == (iw, ih):
        hint = ("the image is probably EXIF-rotated: load images with "
                "LoadImageFromFile(color_type='color_ignore_orientation'), "
                'the stored pixels, as the ISIC scorer reads them')
    raise ValueError(
        f'mask {results["seg_map_path"]} is {mw}x{mh} but its image '
        f'{results.get("img_path")} is {iw}x{ih} as loaded: {hint}. '
        'tools/check_dataset.py lists every such pair.')


@TRANSFORMS.register_module()
class LoadISICAnnotations(LoadAnnotations):
    """Load a lesion mask and binarise it at > ``threshold`` into 0/1 labels.

    mmseg's ``LoadAnnotations`` keeps raw values, so an anti-aliased edge
    (values between 1 and 254) would become labels outside the two classes.

    Masks are read as stored (no EXIF orientation). A mask whose size
    differs from the image loaded before it (``ori_shape``) raises a
    ``ValueError`` naming both files (see :func:`check_mask_size`).

    Args:
        threshold (int): Binarisation threshold. Defaults to 128.
        **kwargs: Passed to :class:`mmseg.datasets.transforms.LoadAnnotations`.
    """

    def __init__(self, threshold: int = 128, **kwargs) -> None:
        super().__init__(**kwargs)
        self.threshold = threshold

    def _load_seg_map(self, results: dict) -> None:
        img_bytes = fileio.get(
            results['seg_map_path'], backend_args=self.backend_args)
        mask = mmcv.imfrombytes(
            img_bytes, flag='unchanged', backend=self.imdecode_backend)
        if mask is None:
            raise ValueError(
                f'cannot decode mask {results["seg_map_path"]}: replace it '
                'with a valid 8-bit PNG')
        check_mask_size(mask.shape[:2], results)
        results['gt_seg_map'] = binarize_isic_mask(mask, self.threshold)
        results['seg_fields'].append('gt_seg_map')

    def __repr__(self) -> str:
        return f'{super().__repr__()[:-1]}, threshold={self.threshold})'
