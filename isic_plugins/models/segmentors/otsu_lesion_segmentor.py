"""The classical baseline: Otsu on the blue channel, largest component."""
from typing import List, Optional

import cv2
import numpy as np
import torch
from mmengine.structures import PixelData
from mmseg.models.segmentors import BaseSegmentor
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from torch import Tensor

from .largest_component import largest_component


def otsu_lesion_mask(image_bgr: np.ndarray, blur: int = 5) -> np.ndarray:
    """Lesion mask of one dermoscopy image by the classical recipe.

    Otsu's threshold on the (blurred) blue channel, where pigmented lesions
    are darkest; the largest dark connected component; its holes filled.

    Args:
        image_bgr (np.ndarray): HxWx3 uint8 BGR image.
        blur (int): Gaussian blur kernel (odd; 0 for none). Defaults to 5.

    Returns:
        np.ndarray: HxW uint8 mask, 1 = lesion.
    """
    blue = image_bgr[..., 0]
    if blur:
        blue = cv2.GaussianBlur(blue, (blur, blur), 0)
    _, dark = cv2.threshold(blue, 0, 1,
                            cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    lesion = largest_component(dark)
    contours, _ = cv2.findContours(lesion, cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_NONE)
    filled = np.zeros_like(lesion)
    cv2.drawContours(filled, contours, -1, 1, thickness=cv2.FILLED)
    return filled


@MODELS.register_module()
class OtsuLesionSegmentor(BaseSegmentor):
    """Classical baseline as an mmseg segmentor, for reports beside the CNNs.

    Nothing is learned. Use it with a test pipeline that loads the image
    (optionally resized: the mask is brought back to ``ori_shape`` with
    nearest neighbour) and a ``SegDataPreProcessor`` without normalisation
    (``mean=[0, 0, 0]``, ``std=[1, 1, 1]``, ``bgr_to_rgb=False``) so the
    model sees the BGR pixels.

    Args:
        blur (int): Gaussian blur before thresholding. Defaults to 5.
        data_preprocessor (dict, optional): See above.
    """

    def __init__(self,
                 blur: int = 5,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.blur = blur
        # a parameter so that runners and optimisers accept the model
        self.register_buffer('_unused', torch.zeros(1), persistent=False)

    def _masks(self, inputs: Tensor) -> List[np.ndarray]:
        images = inputs.detach().clamp(0, 255).byte().permute(0, 2, 3, 1)
        return [otsu_lesion_mask(np.ascontiguousarray(img.cpu().numpy()),
                                 self.blur) for img in images]

    def predict(self, inputs: Tensor,
                data_samples: Optional[List[SegDataSample]] = None
                ) -> List[SegDataSample]:
        """Masks at each image's original size."""
        masks = self._masks(inputs)
        if data_samples is None:
            data_samples = [SegDataSample() for _ in masks]
        for mask, sample in zip(masks, data_samples):
            h, w = sample.metainfo.get('ori_shape', mask.shape)
            mask = cv2.resize(mask, (w, h), interpolation=cv2.INTER_NEAREST)
            pred = torch.from_numpy(mask.astype(np.int64))[None]
            sample.set_data(dict(
                pred_sem_seg=PixelData(data=pred),
                # logits of a certain prediction, as a segmentor returns
                # them: their softmax is the 0/1 mask
                seg_logits=PixelData(data=torch.stack(
                    [1.0 - pred[0].float(), pred[0].float()]).clamp_min(
                        1e-6).log())))
        return data_samples

    def loss(self, inputs: Tensor, data_samples) -> dict:
        raise RuntimeError('OtsuLesionSegmentor learns nothing: use it with '
                           'tools/test.py or isic_plugins.apis, not to train')

    def _forward(self, inputs: Tensor, data_samples=None) -> Tensor:
        return torch.from_numpy(np.stack(self._masks(inputs)))

    def extract_feat(self, inputs: Tensor):
        raise NotImplementedError('no features: a thresholding baseline')

    def encode_decode(self, inputs: Tensor, batch_data_samples):
        return self._forward(inputs)
