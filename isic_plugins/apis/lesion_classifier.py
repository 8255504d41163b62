"""Load a classifier (or the ensemble) once, classify many new images."""
import os.path as osp
from typing import Dict, Optional, Union

import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint

from .lesion_segmenter import check_fits


class LesionClassifier:
    """ISIC Part 3 probabilities (melanoma, seborrheic keratosis) of images.

    Works with the 3-class model, a binary model (only its own task is
    returned) and :class:`ISICEnsembleClassifier`, like the ISIC metric::

        cls = LesionClassifier('configs/cls_ensemble.py',
                               'work_dirs/cls_ensemble/ensemble.pth')
        cls('ISIC_0014270.jpg')
        # {'melanoma': 0.12, 'seborrheic_keratosis': ...}

    Args:
        config (str | Config): Classification config.
        checkpoint (str): Trained weights (``tools/build_ensemble.py``'s
            output for the ensemble).
        device (str): Torch device. Defaults to 'cpu'.
    """

    def __init__(self, config: Union[str, Config], checkpoint: str,
                 device: str = 'cpu') -> None:
        from mmpretrain.registry import MODELS

        import isic_plugins  # noqa: F401  (registers the plugins)
        cfg = Config.fromfile(config) if isinstance(config, str) else config
        if not osp.isfile(checkpoint):
            raise FileNotFoundError(f'checkpoint {checkpoint!r} not found')
        init_default_scope(cfg.get('default_scope', 'mmpretrain'))
        model_cfg = cfg.model.copy()
        # mmpretrain configs keep it at the top level; the Runner merges it
        if cfg.get('data_preprocessor') is not None:
            model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
        if model_cfg.get('type') != 'ISICEnsembleClassifier':
            model_cfg.get('backbone', {}).pop('init_cfg', None)
        self.model = MODELS.build(model_cfg)
        check_fits(self.model, checkpoint, config)
        load_checkpoint(self.model, checkpoint, map_location='cpu')
        self.model.to(device).eval()
        dataset = cfg.test_dataloader.dataset
        self.task = dataset.get('task', 'multiclass')
        self.pipeline = Compose(dataset.pipeline)

    @torch.no_grad()
    def __call__(self, image_path: str,
                 lesion_mask_path: Optional[str] = None) -> Dict[str, float]:
        """Task probabilities of one image.

        Args:
            image_path (str): Image file.
            lesion_mask_path (str, optional): The predicted lesion mask
                file, for models that see lesion crops (``LesionCrop``).

        Returns:
            dict: ``melanoma`` and/or ``seborrheic_keratosis`` in [0, 1].
        """
        from isic_plugins.evaluation.isic_classification_metric import (
            task_probabilities,
        )
        info = dict(img_path=image_path)
        if lesion_mask_path is not None:
            info['lesion_mask_path'] = lesion_mask_path
        data = self.pipeline(info)
        sample = self.model.test_step(pseudo_collate([data]))[0]
        binary = None if self.task == 'multiclass' else self.task
        return {k: float(v) for k, v in task_probabilities(
            sample.pred_score.cpu(), binary, image_path).items()}
