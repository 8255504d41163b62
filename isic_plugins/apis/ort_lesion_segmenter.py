"""Lesion masks with ONNX Runtime: no torch, no OpenMMLab stack.

Mirrors what :class:`~isic_plugins.apis.LesionSegmenter` computes with
PyTorch, step for step, from the model card the exporter wrote:

- **single view**: the config's ``Resize(keep_ratio=True)`` (cv2 bilinear,
  as ``mmcv.imrescale``), normalisation, bottom/right padding to the size
  divisor, the network, padding cropped, the logits resized bilinearly to
  the original size, arg-max;
- **TTA** (:class:`ISICSegTTAModel`): each scale rescales the image, its
  flips go through the network as one batch (``chunk_size`` views at a
  time), each view's logits are un-flipped and resized to the working
  size (the largest view's, ``merge='working'``, or the image's,
  ``'per_view'``), turned into probabilities and averaged with the scale
  weights; the average is brought to the original size once, through its
  log-odds, and thresholded at ``threshold``.

Bilinear resizes use OpenCV, whose ``INTER_LINEAR`` samples the same
half-pixel grid as torch's ``align_corners=False``; models exported with
``align_corners=True`` are refused by the exporter.
"""
import math
from typing import Dict, List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np

from ..seg_tta_views import FLIP_AXES, rescale_size, view_chunks
from ..seg_tta_views import working_size as tta_working_size
from .image_file import read_image
from .ort_model import ORTModel

_TINY = np.finfo(np.float32).tiny


def imrescale(image: np.ndarray, scale: Sequence[int]) -> np.ndarray:
    """``mmcv.imrescale(image, scale, interpolation='bilinear')``."""
    height, width = image.shape[:2]
    return cv2.resize(image, rescale_size(width, height, scale),
                      interpolation=cv2.INTER_LINEAR)


def _resize_maps(maps: np.ndarray, size: Tuple[int, int]) -> np.ndarray:
    """``C x h x w`` float32 maps resized bilinearly to ``size`` (h, w)."""
    if tuple(maps.shape[1:]) == tuple(size):
        return maps
    hwc = np.ascontiguousarray(maps.transpose(1, 2, 0))
    out = cv2.resize(hwc, (size[1], size[0]), interpolation=cv2.INTER_LINEAR)
    return out.reshape(size[0], size[1], -1).transpose(2, 0, 1)


def _softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax over the first axis."""
    shifted = np.exp(logits - logits.max(axis=0, keepdims=True))
    return shifted / shifted.sum(axis=0, keepdims=True)


class ORTLesionSegmenter:
    """Lesion masks for new images from an exported segmenter.

    Example::

        seg = ORTLesionSegmenter('lite0_seg.onnx', tta=True)
        out = seg('ISIC_0014270.jpg')
        out['mask']          # H x W uint8, 0/255, original size
        out['probability']   # H x W float32 lesion probability

    Args:
        model (str): ``.onnx`` file written by ``tools/export_onnx.py``.
        tta (bool): Multi-scale x flip TTA with the settings of the
            config's ``tta_model`` (recorded in the file). Defaults to
            False.
        threads (int, optional): ONNX Runtime threads (see
            :class:`~isic_plugins.apis.ort_model.ORTModel`).
        lesion_index (int): Lesion class index (0 or 1). Defaults to 1.
    """

    def __init__(self, model: str, tta: bool = False,
                 threads: Optional[int] = None,
                 lesion_index: int = 1) -> None:
        self.model = ORTModel(model, 'segmenter', threads)
        self.card = self.model.card
        if len(self.card.classes) != 2:
            raise ValueError(
                f'{model}: {len(self.card.classes)} classes; the ONNX '
                'Runtime segmenter knows the two-class (skin, lesion) '
                'models')
        if tta and not self.card.tta:
            raise ValueError(
                f'{model}: tta=True but the model was exported from a '
                f'config without tta_model ({self.card.source_config})')
        self.tta = tta
        self.lesion_index = lesion_index

    def __call__(self, image: Union[str, np.ndarray],
                 tta: Optional[bool] = None) -> Dict[str, np.ndarray]:
        """Segment one image.

        Args:
            image (str | np.ndarray): An image file, or an ``H x W x 3``
                BGR uint8 image decoded as the card's ``color_type`` says.
            tta (bool, optional): Override the ``tta`` given at
                construction for this call. Defaults to None.

        Returns:
            dict: ``mask`` (uint8 0/255) and ``probability`` (float32 lesion
            probability), both of the image's original size.
        """
        tta = self.tta if tta is None else tta
        if tta and not self.card.tta:
            raise ValueError(f'{self.model.path}: no TTA settings in the '
                             'model card')
        if isinstance(image, str):
            image = read_image(image, self.card.color_type)
        if tta:
            odds, threshold = self._tta_log_odds(image)
        else:
            odds, threshold = self._single_log_odds(image), 0.0
        mask = (odds > threshold).view(np.uint8) * np.uint8(255)
        # the sigmoid in place: at full resolution (12 MP for a 4288x2848
        # photo) each temporary costs as much as a network forward
        prob = np.negative(odds, out=odds)
        np.exp(prob, out=prob)
        prob += np.float32(1)
        np.reciprocal(prob, out=prob)
        return dict(mask=mask, probability=prob)

    # -- network ------------------------------------------------------------
    def _forward(self, views: List[np.ndarray]) -> np.ndarray:
        """Logits ``N x C x h x w`` of same-size uint8 views, padding
        cropped."""
        h, w = views[0].shape[:2]
        if self.card.pad_size:
            ph, pw = max(h, self.card.pad_size[0]), max(w,
                                                        self.card.pad_size[1])
        else:
            div = max(1, int(self.card.size_divisor))
            ph, pw = math.ceil(h / div) * div, math.ceil(w / div) * div
        batch = np.full((len(views), 3, ph, pw), self.card.pad_val,
                        np.float32)
        for i, view in enumerate(views):
            batch[i, :, :h, :w] = self.model.normalise(view)
        return self.model(batch)[:, :, :h, :w]

    def _lesion_log_odds(self, scores: np.ndarray) -> np.ndarray:
        """``scores[lesion] - scores[other]`` (two classes), ``h x w``: of
        logits or log-probabilities, > 0 where the lesion wins the
        arg-max (ties go to class 0, as torch's arg-max)."""
        return (scores[self.lesion_index] -
                scores[1 - self.lesion_index]).astype(np.float32)

    # -- single view --------------------------------------------------------
    def _single_log_odds(self, image: np.ndarray) -> np.ndarray:
        height, width = image.shape[:2]
        view = image
        if self.card.test_scale and self.card.test_keep_ratio:
            view = imrescale(image, self.card.test_scale)
        elif self.card.test_scale:
            view = cv2.resize(image, tuple(self.card.test_scale),
                              interpolation=cv2.INTER_LINEAR)
        # resizing is linear: the difference of the resized logits is the
        # resized difference, one full-size channel instead of two
        diff = self._lesion_log_odds(self._forward([view])[0])
        return _resize_maps(diff[None], (height, width))[0]

    # -- test-time augmentation ---------------------------------------------
    def working_size(self, height: int, width: int) -> Tuple[int, int]:
        """Where the views are averaged: ``ISICSegTTAModel.working_size``
        (``merge='working'``) or the image's size (``'per_view'``)."""
        return tta_working_size(height, width, self.card.tta['scales'],
                                self.card.tta['merge'])

    def merged_probs(self, image: np.ndarray) -> np.ndarray:
        """The views' weighted mean class probabilities, ``C x h x w`` at
        :meth:`working_size`."""
        tta = self.card.tta
        size = self.working_size(*image.shape[:2])
        flips = tta['flips']
        weights = tta.get('weights') or [1.0] * len(tta['scales'])
        total = None
        for scale, weight in zip(tta['scales'], weights):
            scaled = imrescale(image, scale)
            for chunk in view_chunks(1, flips, tta['chunk_size']):
                views = [np.flip(scaled, FLIP_AXES[f]) if FLIP_AXES[f]
                         else scaled for _, f in chunk]
                logits = self._forward(views)
                for logit, (_, flip) in zip(logits, chunk):
                    if FLIP_AXES[flip]:
                        logit = np.flip(logit,
                                        [a + 1 for a in FLIP_AXES[flip]])
                    prob = _softmax(_resize_maps(
                        np.ascontiguousarray(logit), size)) * weight
                    total = prob if total is None else total + prob
        return total / np.float32(sum(weights) * len(flips))

    def _tta_log_odds(self, image: np.ndarray) -> Tuple[np.ndarray, float]:
        """Lesion log-odds at the original size and the threshold on it."""
        height, width = image.shape[:2]
        logp = np.log(np.maximum(self.merged_probs(image), _TINY))
        threshold = float(self.card.tta['threshold'])
        log_odds = math.log(threshold / (1.0 - threshold))
        odds = self._lesion_log_odds(logp)
        return _resize_maps(odds[None], (height, width))[0], log_odds
