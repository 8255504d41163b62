"""Crop a dermoscopy image around the lesion that a segmenter found."""
from typing import Optional, Tuple

import mmcv
import mmengine.fileio as fileio
import numpy as np
from mmcv.transforms import BaseTransform
from mmpretrain.registry import TRANSFORMS

from ..isic_layout import lesion_mask_dir
from .load_isic_annotations import binarize_isic_mask


def lesion_box(mask: np.ndarray,
               image_shape: Tuple[int, int],
               margin: float = 0.1,
               min_fraction: float = 0.001
               ) -> Optional[Tuple[int, int, int, int]]:
    """The square box around the lesion of ``mask``, in image pixels.

    The box is the mask's bounding box made square (side = its longer edge)
    and grown by ``margin`` of that side on every edge, so that a shorter-
    side resize and a centre crop afterwards keep the whole lesion and some
    skin around it; it is shifted, then clipped, to stay inside the image.

    Args:
        mask (np.ndarray): HxW labels (lesion > 0), any size: the box is
            scaled to ``image_shape`` (a mask predicted at a smaller size
            fits its image).
        image_shape (tuple[int, int]): (height, width) of the image.
        margin (float): Skin kept around the lesion on each side, as a
            fraction of the lesion's longer edge. Defaults to 0.1.
        min_fraction (float): A mask whose lesion covers less of the image
            than this is treated as empty (a few stray pixels are no
            lesion). Defaults to 0.001.

    Returns:
        tuple[int, int, int, int] | None: (x1, y1, x2, y2), end-exclusive,
        or None when the mask holds no lesion.
    """
    ys, xs = np.nonzero(mask)
    if ys.size <= min_fraction * mask.size:
        return None
    height, width = image_shape
    sy, sx = height / mask.shape[0], width / mask.shape[1]
    x1, x2 = xs.min() * sx, (xs.max() + 1) * sx
    y1, y2 = ys.min() * sy, (ys.max() + 1) * sy
    side = max(x2 - x1, y2 - y1) * (1 + 2 * margin)
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2

    def span(centre: float, limit: int) -> Tuple[int, int]:
        size = min(side, limit)
        start = min(max(centre - size / 2, 0), limit - size)
        return int(round(start)), int(round(start + size))

    bx1, bx2 = span(cx, width)
    by1, by2 = span(cy, height)
    return bx1, by1, bx2, by2


@TRANSFORMS.register_module()
class LesionCrop(BaseTransform):
    """Crop the image to the lesion of a cached, predicted mask.

    Segmentation-guided classification: a classifier that sees the lesion
    at full resolution, instead of a lesion that fills a tenth of a resized
    photograph, learns its texture rather than the skin, rulers and hair
    around it. The mask comes from a segmentation model, predicted once for
    every image (``tools/predict.py --masks-only``) and read here through
    the data info's ``lesion_mask_path`` (set by the dataset's
    ``lesion_mask_dir``), never from the ground truth, so the same
    transform runs at training and at test time.

    Put it right after ``LoadImageFromFile``. When the mask holds no lesion
    the image passes whole; ``results['lesion_box']`` records the box used
    (None for the whole image).

    Required keys: ``img``, ``lesion_mask_path``.
    Modified keys: ``img``, ``img_shape``.
    Added keys: ``lesion_box``.

    Args:
        margin (float): Skin kept around the lesion on each side, as a
            fraction of its longer edge. Defaults to 0.1.
        min_fraction (float): Smallest lesion, as a fraction of the mask,
            that counts as found. Defaults to 0.001.
        backend_args (dict, optional): File backend arguments for reading
            the masks. Defaults to None.
    """

    def __init__(self,
                 margin: float = 0.1,
                 min_fraction: float = 0.001,
                 backend_args: Optional[dict] = None) -> None:
        if margin < 0:
            raise ValueError(f'LesionCrop: margin must be >= 0, got {margin}')
        self.margin = margin
        self.min_fraction = min_fraction
        self.backend_args = backend_args

    def transform(self, results: dict) -> dict:
        path = results.get('lesion_mask_path')
        if path is None:
            out = 'work_dirs/lesion_masks/Test_v2'
            raise KeyError(
                'LesionCrop needs the predicted lesion masks: set '
                'lesion_mask_dir on the dataset (e.g. dataset=dict(..., '
                f'lesion_mask_dir={lesion_mask_dir(out)!r})), written by '
                'tools/predict.py IMAGE_FOLDER --seg-config C '
                f'--seg-checkpoint K --masks-only --out {out}')
        mask = mmcv.imfrombytes(
            fileio.get(path, backend_args=self.backend_args),
            flag='unchanged')
        if mask is None:
            raise ValueError(f'LesionCrop: cannot decode the mask {path}')
        img = results['img']
        box = lesion_box(
            binarize_isic_mask(mask), img.shape[:2], self.margin,
            self.min_fraction)
        if box is not None:
            x1, y1, x2, y2 = box
            img = img[y1:y2, x1:x2]
            results['img'] = img
            results['img_shape'] = img.shape[:2]
        results['lesion_box'] = box
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(margin={self.margin}, '
                f'min_fraction={self.min_fraction})')
