"""Crop a dermoscopy image around the lesion that a segmenter found."""
from typing import Optional

import mmcv
import mmengine.fileio as fileio
from mmcv.transforms import BaseTransform
from mmpretrain.registry import TRANSFORMS

from ...apis.lesion_box import lesion_box
from ..isic_layout import lesion_mask_dir
from .load_isic_annotations import binarize_isic_mask


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
