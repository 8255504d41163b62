"""Load ISIC lesion masks the way the ISIC scorer reads them."""
import mmcv
import mmengine.fileio as fileio
import numpy as np
from mmseg.datasets.transforms import LoadAnnotations
from mmseg.registry import TRANSFORMS


def binarize_isic_mask(mask: np.ndarray, threshold: int = 128) -> np.ndarray:
    """Turn an ISIC mask (0/255, maybe anti-aliased or RGB) into labels 0/1.

    Args:
        mask (np.ndarray): HxW or HxWxC mask with values in [0, 255].
        threshold (int): Pixels strictly above it are lesion, as in the
            ISIC 2017 scorer. Defaults to 128.

    Returns:
        np.ndarray: HxW uint8 array of 0 (skin) and 1 (lesion).
    """
    if mask.ndim == 3:
        # Masks saved as RGB(A) repeat the same value in each colour channel.
        mask = mask[..., 0]
    if mask.dtype == np.uint16:
        mask = (mask // 257).astype(np.uint8)
    return (mask > threshold).astype(np.uint8)


@TRANSFORMS.register_module()
class LoadISICAnnotations(LoadAnnotations):
    """Load a lesion mask and binarise it at > ``threshold`` into 0/1 labels.

    mmseg's ``LoadAnnotations`` keeps raw values, so an anti-aliased edge
    (values between 1 and 254) would become labels outside the two classes.

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
        results['gt_seg_map'] = binarize_isic_mask(mask, self.threshold)
        results['seg_fields'].append('gt_seg_map')

    def __repr__(self) -> str:
        return f'{super().__repr__()[:-1]}, threshold={self.threshold})'
