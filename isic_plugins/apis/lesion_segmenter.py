"""Load a segmentor once, segment many new images (optionally with TTA)."""
import os.path as osp
from typing import Dict, List, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.runner import load_checkpoint
from mmseg.apis import init_model
from mmseg.registry import MODELS

from isic_plugins.utils.tta_wrapping import (
    innermost_dataset,
    tta_model_config,
    tta_test_pipeline,
)

#: Annotation loaders dropped from test pipelines: new images have no mask.
ANNOTATION_LOADERS = ('LoadAnnotations', 'LoadISICAnnotations')


def check_fits(model: torch.nn.Module, checkpoint: str,
               config: Union[str, Config]) -> None:
    """Refuse a checkpoint that does not fit the config's model, naming
    both (mmengine would load it partly, with a warning)."""
    from ..utils.checkpoint_fit import (
        CheckpointMismatchError,
        check_checkpoint_fits,
    )
    try:
        check_checkpoint_fits(model, checkpoint, require_all_keys=True)
    except CheckpointMismatchError as exc:
        name = config if isinstance(config, str) else 'the config given'
        raise CheckpointMismatchError(
            f'{checkpoint} is not a checkpoint of {name}: {exc}') from None


def _without_annotations(pipeline: List[dict]) -> List[dict]:
    return [t for t in pipeline if t.get('type') not in ANNOTATION_LOADERS]


class LesionSegmenter:
    """Lesion masks for new dermoscopy images, at each image's original size.

    Example::

        seg = LesionSegmenter('configs/seg_stage2.py', 'work_dirs/...pth',
                              tta=True)
        out = seg('ISIC_0014270.jpg')
        out['mask']          # H x W uint8, 0/255, original size
        out['probability']   # H x W float32 lesion probability

    Args:
        config (str | Config): Segmentation config.
        checkpoint (str): Trained weights.
        tta (bool): Use the config's ``tta_model`` (multi-scale + flips).
            Defaults to False.
        device (str): Torch device. Defaults to 'cpu'.
        lesion_index (int): Lesion class index. Defaults to 1.
    """

    def __init__(self,
                 config: Union[str, Config],
                 checkpoint: str,
                 tta: bool = False,
                 device: str = 'cpu',
                 lesion_index: int = 1) -> None:
        import isic_plugins  # noqa: F401  (registers the plugins)
        cfg = Config.fromfile(config) if isinstance(config, str) else config
        if not osp.isfile(checkpoint):
            raise FileNotFoundError(f'checkpoint {checkpoint!r} not found')
        self.cfg = cfg
        self.lesion_index = lesion_index
        self.tta = tta
        model = init_model(cfg, None, device=device)
        check_fits(model, checkpoint, config)
        load_checkpoint(model, checkpoint, map_location='cpu',
                        logger='silent')
        model.to(device)
        pipeline = innermost_dataset(cfg.test_dataloader.dataset)['pipeline']
        if tta:
            # the weights are loaded: the TTA model wraps the built model
            tta_cfg = tta_model_config(cfg, model)
            if tta_cfg is None:
                raise ValueError(f'{config}: tta=True but the config has no '
                                 'tta_model')
            pipeline = tta_test_pipeline(cfg)
            model = MODELS.build(tta_cfg)
        self.model = model.eval()
        self.pipeline = Compose(_without_annotations(pipeline))

    @torch.no_grad()
    def __call__(self, image_path: str) -> Dict[str, np.ndarray]:
        """Segment one image.

        Args:
            image_path (str): Image file.

        Returns:
            dict: ``mask`` (uint8 0/255) and ``probability`` (float32 lesion
            probability), both of the image's original size.
        """
        data = self.pipeline(dict(img_path=image_path))
        sample = self.model.test_step(pseudo_collate([data]))[0]
        # plain or TTA alike: logits over classes, or (one output channel)
        # the probability mmseg already took the sigmoid of
        scores = sample.seg_logits.data
        if scores.shape[0] > 1:
            prob = scores.softmax(0)[self.lesion_index]
        else:
            prob = scores[0]
        mask = sample.pred_sem_seg.data[0] == self.lesion_index
        return dict(mask=mask.byte().mul(255).cpu().numpy(),
                    probability=prob.float().cpu().numpy())
