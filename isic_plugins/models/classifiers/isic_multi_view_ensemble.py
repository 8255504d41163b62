"""One model of classifiers that each see their own view of an image."""
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from .isic_ensemble_classifier import (
    build_member,
    ensemble_forward,
    load_member,
    refuse_memberless_state,
)


@MODELS.register_module()
class ISICMultiViewEnsemble(BaseModel):
    """Average classifiers that look at different views of each image.

    Segmentation-guided classification has two views of a lesion: the
    whole image and the crop to the lesion that a segmentation model found
    (``LesionCrop``). Their models err differently, so their average beats
    either; this model is that average as one model that ``tools/test.py``
    scores itself. The test pipeline packs every view of an image
    (mmpretrain's ``MultiView`` transform: ``inputs`` becomes one batch per
    view) and each member declares the view it reads::

        two_view_test_pipeline = [
            dict(type='LoadImageFromFile'),
            dict(type='MultiView', num_views=[1, 1], transforms=[
                [resize, centre crop],                  # view 0
                [LesionCrop, resize, centre crop]]),    # view 1
            dict(type='PackInputs', meta_keys=...)]
        model = dict(type='ISICMultiViewEnsemble', members=dict(
            whole=dict(config=..., checkpoint=..., view=0),
            crop=dict(config=..., checkpoint=..., view=1)))

    Each member is the model its config builds (a 3-class classifier or an
    :class:`ISICEnsembleClassifier`: anything whose ``pred_score`` is
    [melanoma, seborrheic_keratosis, nevus]) and preprocesses its view with
    its own ``data_preprocessor``, so members need not normalise alike. The
    ensemble predicts, with weights ``w`` summing to 1::

        p_mel   = sum_i w_i * member_i[0]
        p_sk    = sum_i w_i * member_i[1]
        p_nevus = clip(1 - p_mel - p_sk, 0, 1)

    so with equal weights its two task probabilities are the mean of the
    members' (what the ISIC AUCs rank).

    Weights: as :class:`ISICEnsembleClassifier`, :meth:`init_weights` loads
    every member's checkpoint (an ensemble's own, from
    ``tools/build_ensemble.py``) and ``tools/build_ensemble.py`` saves the
    whole model as one checkpoint (keys ``members.<name>.*``) that
    ``tools/test.py`` loads like any other.

    Args:
        members (dict): Name -> ``dict(config=PATH, checkpoint=PATH,
            view=INDEX)``; ``view`` indexes the pipeline's views. At least
            two.
        weights (Sequence[float], optional): One per member, in the order
            of ``members``, >= 0 and summing to 1. Defaults to None (equal).
        data_preprocessor (dict | nn.Module, optional): Moves the views to
            the device; the members normalise. Defaults to None (mmengine's
            ``BaseDataPreprocessor``).
        init_cfg (dict, optional): Unused: members load their checkpoints.
            Defaults to None.
    """

    def __init__(self,
                 members: Dict[str, dict],
                 weights: Optional[Sequence[float]] = None,
                 data_preprocessor: Optional[Union[dict, nn.Module]] = None,
                 init_cfg: Optional[dict] = None) -> None:
        owner = type(self).__name__
        if not isinstance(members, dict) or len(members) < 2:
            raise ValueError(f'{owner}: members must name at least two '
                             f'models, got {members!r}')
        if weights is None:
            weights = [1 / len(members)] * len(members)
        weights = [float(w) for w in weights]
        if len(weights) != len(members) or min(weights) < 0 or abs(
                sum(weights) - 1) > 1e-6:
            raise ValueError(
                f'{owner}: weights must be one per member ({len(members)}), '
                f'>= 0 and sum to 1, got {weights}')
        for name, spec in members.items():
            view = spec.get('view') if isinstance(spec, dict) else None
            if not isinstance(view, int) or view < 0:
                raise ValueError(
                    f'{owner}: member {name!r} must say which view it reads '
                    f'(view=0, 1, ...), got {view!r}')
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.members = nn.ModuleDict({
            name: build_member(owner, name, spec, extra_keys=('view', ))
            for name, spec in members.items()
        })
        self.member_specs = {k: dict(v) for k, v in members.items()}
        self.weights = weights

    def init_weights(self) -> None:
        """Load every member's checkpoint (strictly).

        Raises:
            FileNotFoundError: A member checkpoint does not exist.
        """
        for name, spec in self.member_specs.items():
            load_member(type(self).__name__, name, spec, self.members[name],
                        option=f'model.members.{name}.checkpoint')
        self._is_init = True

    def _load_from_state_dict(self, state_dict: dict, prefix: str, *args,
                              **kwargs) -> None:
        """Refuse checkpoints that hold no weights of some member."""
        refuse_memberless_state(type(self).__name__, self.members,
                                state_dict, f'{prefix}members.')
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def member_scores(self, views: Sequence) -> Dict[str, torch.Tensor]:
        """Each member's 3 scores, from the view it reads.

        Args:
            views (Sequence): One batch per view, as the data preprocessor
                passes them (a list of CxHxW images or an NxCxHxW tensor).

        Returns:
            dict[str, torch.Tensor]: Member name -> N x 3 scores.
        """
        # a single-view pipeline gives a batch of images, not of views
        single = isinstance(views, torch.Tensor) or any(
            isinstance(v, torch.Tensor) and v.dim() == 3 for v in views)
        scores = {}
        for name, member in self.members.items():
            view = self.member_specs[name]['view']
            if single or view >= len(views):
                raise ValueError(
                    f'{type(self).__name__}: member {name!r} reads view '
                    f'{view} but the pipeline packs '
                    f'{1 if single else len(views)} view(s): use a '
                    "MultiView transform (e.g. the data base's "
                    'two_view_test_pipeline)')
            data = member.data_preprocessor(dict(inputs=views[view]), False)
            samples = member(data['inputs'], mode='predict')
            score = torch.stack([s.pred_score for s in samples])
            if score.shape[1] != 3:
                raise ValueError(
                    f'{type(self).__name__}: member {name!r} gives '
                    f'{score.shape[1]} scores; it must give 3 [melanoma, '
                    'seborrheic_keratosis, nevus] (a 3-class model or an '
                    'ISICEnsembleClassifier)')
            scores[name] = score
        return scores

    def combine(self, scores: Dict[str, torch.Tensor]) -> torch.Tensor:
        """The weighted average (see the class docstring).

        Args:
            scores (dict[str, torch.Tensor]): :meth:`member_scores` output.

        Returns:
            torch.Tensor: N x 3 scores [melanoma, seborrheic_keratosis,
            nevus].
        """
        tasks = sum(w * scores[name][:, :2]
                    for w, name in zip(self.weights, self.members))
        nevus = (1 - tasks.sum(dim=1, keepdim=True)).clamp(0, 1)
        return torch.cat([tasks, nevus], dim=1)

    def forward(self,
                inputs: Sequence,
                data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor'):
        """Ensemble scores (``'tensor'``) or data samples (``'predict'``).

        Args:
            inputs (Sequence): One batch per view.
            data_samples (list[DataSample], optional): Samples that receive
                ``pred_score`` and ``pred_label``. Defaults to None (new
                ones).
            mode (str): 'tensor' or 'predict'; the ensemble is not trained
                ('loss' raises). Defaults to 'tensor'.

        Returns:
            torch.Tensor | list[DataSample]: N x 3 scores, or the samples.
        """
        return ensemble_forward(self, inputs, data_samples, mode)
