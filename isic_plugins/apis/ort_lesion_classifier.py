"""ISIC Part 3 probabilities with ONNX Runtime: no torch, no OpenMMLab.

Mirrors :class:`~isic_plugins.apis.LesionClassifier` from the model card:
``LesionCrop`` (the square box around the lesion of a predicted mask, for
the segmentation-guided models), ``ResizeEdge`` and ``CenterCrop`` (cv2
bilinear, mmcv's rounding), normalisation, the network (whose graph ends
with the head's softmax), and the ensemble rule of
:class:`ISICEnsembleClassifier` for the three members of one ensemble.
"""
from typing import Dict, List, Optional, Sequence, Union

import cv2
import numpy as np

from .image_file import read_image
from .lesion_box import lesion_box
from .onnx_model_card import ModelFileError
from .ort_model import ORTModel

#: The members an ensemble needs (``ISICEnsembleClassifier.MEMBERS``).
ENSEMBLE_MEMBERS = ('multiclass', 'melanoma', 'seborrheic_keratosis')


def resize_edge(image: np.ndarray, scale: int, edge: str) -> np.ndarray:
    """mmpretrain's ``ResizeEdge(scale, edge)`` (cv2 bilinear)."""
    h, w = image.shape[:2]
    if (edge == 'short' and w < h) or (edge == 'long' and w > h) or \
            edge == 'width':
        width, height = scale, int(scale * h / w)
    else:
        width, height = int(scale * w / h), scale
    return cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR)


def center_crop(image: np.ndarray, size: Sequence[int]) -> np.ndarray:
    """mmcv's ``CenterCrop(crop_size=(w, h))`` without padding."""
    img_h, img_w = image.shape[:2]
    crop_w, crop_h = min(size[0], img_w), min(size[1], img_h)
    y1 = max(0, int(round((img_h - crop_h) / 2.)))
    x1 = max(0, int(round((img_w - crop_w) / 2.)))
    return image[y1:min(img_h, y1 + crop_h), x1:min(img_w, x1 + crop_w)]


class ORTLesionClassifier:
    """Melanoma and seborrheic keratosis probabilities of new images.

    One file: that model's tasks (a 3-class model gives both, a binary one
    its own). The three member files of one exported ensemble
    (``tools/export_onnx.py`` on an ``ISICEnsembleClassifier`` config):
    the ensemble's probabilities. Example::

        cls = ORTLesionClassifier(['ens_multiclass.onnx',
                                   'ens_melanoma.onnx',
                                   'ens_seborrheic_keratosis.onnx'])
        cls('ISIC_0014270.jpg', lesion_mask=seg_mask)
        # {'melanoma': 0.12, 'seborrheic_keratosis': ...}

    Args:
        models (str | list[str]): One ``.onnx`` file, or an ensemble's
            three.
        threads (int, optional): ONNX Runtime threads.

    Raises:
        ModelFileError: A file is not a classifier, or the files are not
            the members of one ensemble.
    """

    def __init__(self, models: Union[str, Sequence[str]],
                 threads: Optional[int] = None) -> None:
        paths = [models] if isinstance(models, str) else list(models)
        self.models = [ORTModel(p, 'classifier', threads) for p in paths]
        self.card = self.models[0].card
        if len(self.models) > 1:
            self._check_ensemble(paths)
            self.models.sort(
                key=lambda m: ENSEMBLE_MEMBERS.index(m.card.ensemble[
                    'member']))
        self.task = self.card.task if len(self.models) == 1 else \
            'multiclass'

    def _check_ensemble(self, paths: List[str]) -> None:
        cards = [m.card for m in self.models]
        members = [c.ensemble['member'] if c.ensemble else None
                   for c in cards]
        if None in members or sorted(members) != sorted(ENSEMBLE_MEMBERS):
            raise ModelFileError(
                'several classifier files make an ensemble only as the '
                f'three members {list(ENSEMBLE_MEMBERS)} of one exported '
                'ISICEnsembleClassifier; got ' + ', '.join(
                    f'{p} ({c.describe()})' for p, c in zip(paths, cards)))
        digests = {c.ensemble['ensemble_digest'] for c in cards}
        if len(digests) > 1:
            raise ModelFileError(
                'these ensemble members come from different ensembles: ' +
                ', '.join(f'{p} ({c.source_checkpoint})'
                          for p, c in zip(paths, cards)))

    def preprocess(self, image: np.ndarray,
                   lesion_mask: Optional[np.ndarray] = None) -> np.ndarray:
        """The ``1 x 3 x h x w`` network input of a BGR uint8 image."""
        card = self.card
        if card.lesion_crop:
            if lesion_mask is None:
                raise ValueError(
                    f'{self.models[0].path}: this classifier sees lesion '
                    'crops (LesionCrop): give the lesion mask that the '
                    'segmenter predicted (lesion_mask=...)')
            box = lesion_box(lesion_mask > 128 if lesion_mask.dtype ==
                             np.uint8 else lesion_mask > 0, image.shape[:2],
                             card.lesion_crop['margin'],
                             card.lesion_crop['min_fraction'])
            if box is not None:
                x1, y1, x2, y2 = box
                image = image[y1:y2, x1:x2]
        if card.resize_edge:
            image = resize_edge(image, card.resize_edge['scale'],
                                card.resize_edge['edge'])
        if card.center_crop:
            image = center_crop(image, card.center_crop)
        return self.models[0].normalise(image)[None]

    def scores(self, image: Union[str, np.ndarray],
               lesion_mask: Optional[np.ndarray] = None
               ) -> Dict[str, np.ndarray]:
        """Each model's class probabilities (the head's softmax), by
        member name (``'model'`` for a single file)."""
        if isinstance(image, str):
            image = read_image(image, self.card.color_type)
        batch = self.preprocess(image, lesion_mask)
        if len(self.models) == 1:
            return {'model': self.models[0](batch)[0]}
        return {m.card.ensemble['member']: m(batch)[0] for m in self.models}

    def __call__(self, image: Union[str, np.ndarray],
                 lesion_mask: Optional[np.ndarray] = None
                 ) -> Dict[str, float]:
        """Task probabilities of one image.

        Args:
            image (str | np.ndarray): An image file or a BGR uint8 image.
            lesion_mask (np.ndarray, optional): The predicted lesion mask
                (0/255 or 0/1, any size), needed by lesion-crop models.

        Returns:
            dict: ``melanoma`` and/or ``seborrheic_keratosis`` in [0, 1].
        """
        return self.task_probabilities(self.scores(image, lesion_mask))

    def task_probabilities(self, scores: Dict[str, np.ndarray]
                           ) -> Dict[str, float]:
        """:meth:`scores` as ISIC task probabilities (the ensemble rule for
        an ensemble's members)."""
        if len(self.models) == 1:
            score = scores['model']
            if self.card.task == 'multiclass':
                return dict(melanoma=float(score[0]),
                            seborrheic_keratosis=float(score[1]))
            return {self.card.task: float(score[1])}
        ens = self.card.ensemble
        w_mc, w_bin = ens['multiclass_weight'], ens['binary_weight']
        mc = scores['multiclass']
        return dict(
            melanoma=float(w_mc * mc[0] + w_bin * scores['melanoma'][1]),
            seborrheic_keratosis=float(
                w_mc * mc[1] + w_bin * scores['seborrheic_keratosis'][1]))
