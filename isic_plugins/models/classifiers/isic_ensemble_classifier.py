"""The ensemble of Bi et al.: a 3-class ResNet and two binary ResNets."""
import copy
import logging
import os.path as osp
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.model import BaseModel
from mmengine.registry import DefaultScope
from mmengine.runner.checkpoint import load_checkpoint
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

#: Member name -> number of classes of its head. The names are also the
#: attribute names, hence the state-dict prefixes (``multiclass.backbone...``).
MEMBERS = {'multiclass': 3, 'melanoma': 2, 'seborrheic_keratosis': 2}


def _preprocessing(module: nn.Module) -> tuple:
    """What a data preprocessor does to an image, for comparison."""
    def values(name):
        buf = getattr(module, name, None)
        return None if buf is None else tuple(buf.flatten().tolist())

    return (type(module).__name__, getattr(module, 'to_rgb', None),
            values('mean'), values('std'),
            getattr(module, 'pad_size_divisor', None))


def build_member(owner: str, name: str, spec: dict,
                 extra_keys: tuple = ()) -> nn.Module:
    """Build the model of an ensemble member's config (weights not loaded).

    Args:
        owner (str): The ensemble's class name, for messages.
        name (str): The member's name.
        spec (dict): ``dict(config=PATH, checkpoint=PATH)``; the config's
            ``model`` (and its top-level ``data_preprocessor``, as the
            runner does) is built.
        extra_keys (tuple[str]): Other keys ``spec`` may have. Defaults to
            ().

    Returns:
        nn.Module: The member.
    """
    if not isinstance(spec, dict) or 'config' not in spec:
        raise TypeError(
            f'{owner}: {name} must be dict(config=..., checkpoint=...), got '
            f'{spec!r}')
    unknown = set(spec) - {'config', 'checkpoint', *extra_keys}
    if unknown:
        raise TypeError(f'{owner}: {name} has unknown key(s) '
                        f'{sorted(unknown)}')
    if not osp.isfile(spec['config']):
        raise FileNotFoundError(
            f'{owner}: {name} config {spec["config"]!r} does not exist '
            '(paths are relative to the working directory, normally the '
            'repository root)')
    cfg = Config.fromfile(spec['config'])
    model_cfg = copy.deepcopy(cfg.model)
    # As mmengine's Runner does: a top-level data_preprocessor is the
    # model's unless the model sets its own.
    if cfg.get('data_preprocessor') is not None:
        model_cfg.setdefault('data_preprocessor',
                             copy.deepcopy(cfg.data_preprocessor))
    with DefaultScope.overwrite_default_scope(
            cfg.get('default_scope', 'mmpretrain')):
        return MODELS.build(model_cfg)


def load_member(owner: str, name: str, spec: dict, member: nn.Module,
                 option: Optional[str] = None) -> None:
    """Load a member's checkpoint strictly (its config must match).

    A member without a checkpoint keeps random weights, with a warning.

    Args:
        owner (str): The ensemble's class name, for messages.
        name (str): The member's name.
        spec (dict): Its ``config`` and ``checkpoint``.
        member (nn.Module): The member, built by :func:`build_member`.
        option (str, optional): The config key of its checkpoint, for the
            message. Defaults to None (``model.<name>.checkpoint``).

    Raises:
        FileNotFoundError: The checkpoint does not exist.
    """
    ckpt = spec.get('checkpoint')
    if not ckpt:
        print_log(f'{owner}: {name} has no checkpoint; its weights stay '
                  'random', logger='current', level=logging.WARNING)
        return
    if '://' not in ckpt and not osp.isfile(ckpt):
        raise FileNotFoundError(
            f'{owner}: {name} checkpoint {ckpt!r} does not exist; train it '
            f'first (python tools/train.py {spec["config"]}) or pass '
            f'--cfg-options {option or f"model.{name}.checkpoint"}='
            '/path/to/epoch_N.pth')
    load_checkpoint(member, ckpt, map_location='cpu', strict=True,
                    logger='current')


def refuse_memberless_state(owner: str, names, state_dict: dict,
                            prefix: str) -> None:
    """Refuse a checkpoint that holds no weights of some member.

    The runner loads ``load_from`` non-strictly, so a member checkpoint
    given by mistake would otherwise test an untrained ensemble.

    Raises:
        ValueError: Naming the members it lacks.
    """
    missing = [
        name for name in names
        if not any(k.startswith(f'{prefix}{name}.') for k in state_dict)
    ]
    if missing:
        raise ValueError(
            f'this checkpoint holds no weights of {owner} member(s) '
            f'{missing} (keys like "{prefix}{missing[0]}.backbone..."); is '
            'it a member checkpoint? Build the ensemble checkpoint with '
            'python tools/build_ensemble.py CONFIG OUT.pth and test that '
            'file')


@MODELS.register_module()
class ISICEnsembleClassifier(BaseModel):
    """Average a 3-class classifier with two binary ones (Bi et al. 2017).

    The members are built from their own training configs and loaded from
    their own checkpoints, so each is exactly the model its config trained.
    For an image with member probabilities (each member's head output,
    softmax for ``LinearClsHead``)

    - ``mc`` = 3-class [melanoma, seborrheic_keratosis, nevus],
    - ``mel`` = melanoma binary [other, melanoma],
    - ``sk`` = seborrheic keratosis binary [other, seborrheic_keratosis],

    the ensemble predicts, with ``w_mc = multiclass_weight`` and
    ``w_bin = binary_weight``::

        p_mel   = w_mc * mc[0] + w_bin * mel[1]
        p_sk    = w_mc * mc[1] + w_bin * sk[1]
        p_nevus = clip(1 - p_mel - p_sk, 0, 1)

    and returns ``pred_score = [p_mel, p_sk, p_nevus]``: the 3-class layout,
    so :class:`ISICClassificationMetric` scores it like a 3-class model. The
    two task probabilities are what the ISIC AUCs rank; the three scores
    need not sum to 1 (when p_mel + p_sk > 1, nevus is 0).

    Weights: members load their checkpoints in :meth:`init_weights`, which
    ``tools/build_ensemble.py`` calls before saving ONE checkpoint of the
    whole ensemble (keys ``multiclass.*``, ``melanoma.*``,
    ``seborrheic_keratosis.*``); ``tools/test.py`` then loads that file like
    any checkpoint. Loading a checkpoint that holds none of these keys (e.g.
    a member's) raises instead of testing random weights.

    Members must preprocess images alike (mean, std, channel order): the
    ensemble normalises a batch once with its own ``data_preprocessor``
    (by default the multiclass member's) and checks the others against it.

    Args:
        multiclass (dict): The 3-class member: ``dict(config=PATH,
            checkpoint=PATH)``; the config's ``model`` (and its top-level
            ``data_preprocessor``, as the runner does) is built.
        melanoma (dict): The melanoma-vs-rest member, same keys.
        seborrheic_keratosis (dict): The SK-vs-rest member, same keys.
        multiclass_weight (float): ``w_mc``. Defaults to 0.5.
        binary_weight (float): ``w_bin``; ``w_mc + w_bin`` must be 1.
            Defaults to 0.5.
        data_preprocessor (dict | nn.Module, optional): Normalises the
            batch for all members. Defaults to None: the multiclass
            member's.
        init_cfg (dict, optional): Unused: members load their checkpoints.
            Defaults to None.
    """

    def __init__(self,
                 multiclass: dict,
                 melanoma: dict,
                 seborrheic_keratosis: dict,
                 multiclass_weight: float = 0.5,
                 binary_weight: float = 0.5,
                 data_preprocessor: Optional[Union[dict, nn.Module]] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if min(multiclass_weight, binary_weight) < 0 or abs(
                multiclass_weight + binary_weight - 1) > 1e-6:
            raise ValueError(
                'ISICEnsembleClassifier: multiclass_weight and binary_weight '
                'must be >= 0 and sum to 1 (so that probabilities stay in '
                f'[0, 1]), got {multiclass_weight} and {binary_weight}')
        specs = dict(multiclass=multiclass, melanoma=melanoma,
                     seborrheic_keratosis=seborrheic_keratosis)
        members = {
            name: self._build_member(name, spec)
            for name, spec in specs.items()
        }
        if data_preprocessor is None:
            data_preprocessor = copy.deepcopy(
                members['multiclass'].data_preprocessor)
        elif isinstance(data_preprocessor, dict):
            # As mmpretrain's ImageClassifier: the type may be left out.
            data_preprocessor = dict(data_preprocessor)
            data_preprocessor.setdefault('type', 'ClsDataPreprocessor')
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        for name, member in members.items():
            if _preprocessing(member.data_preprocessor) != _preprocessing(
                    self.data_preprocessor):
                raise ValueError(
                    f'ISICEnsembleClassifier: member {name!r} ('
                    f'{specs[name]["config"]}) preprocesses images as '
                    f'{_preprocessing(member.data_preprocessor)} but the '
                    f'ensemble as {_preprocessing(self.data_preprocessor)}; '
                    'the members must share mean, std and channel order')
            setattr(self, name, member)
        self.member_specs = {k: dict(v) for k, v in specs.items()}
        self.multiclass_weight = float(multiclass_weight)
        self.binary_weight = float(binary_weight)

    @staticmethod
    def _build_member(name: str, spec: dict) -> nn.Module:
        """Build the model of a member's config (weights not loaded)."""
        member = build_member('ISICEnsembleClassifier', name, spec)
        num_classes = getattr(getattr(member, 'head', None), 'num_classes',
                              MEMBERS[name])
        if num_classes != MEMBERS[name]:
            raise ValueError(
                f'ISICEnsembleClassifier: {name} ({spec["config"]}) has '
                f'{num_classes} classes; it must have {MEMBERS[name]}')
        return member

    def init_weights(self) -> None:
        """Load every member's checkpoint (strictly: the config must match).

        Raises:
            FileNotFoundError: A member checkpoint does not exist.
        """
        for name, spec in self.member_specs.items():
            load_member(type(self).__name__, name, spec, getattr(self, name))
        self._is_init = True

    def _load_from_state_dict(self, state_dict: dict, prefix: str, *args,
                              **kwargs) -> None:
        """Refuse checkpoints that hold no weights of some member."""
        refuse_memberless_state('ensemble', MEMBERS, state_dict, prefix)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def member_scores(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Each member's class probabilities for a preprocessed batch.

        Args:
            inputs (torch.Tensor): Normalised images, NxCxHxW.

        Returns:
            dict[str, torch.Tensor]: Member name -> N x num_classes scores.
        """
        scores = {}
        for name in MEMBERS:
            # The member's own head turns logits into probabilities.
            samples = getattr(self, name).predict(inputs)
            scores[name] = torch.stack([s.pred_score for s in samples])
        return scores

    def combine(self, scores: Dict[str, torch.Tensor]) -> torch.Tensor:
        """Apply the ensemble rule (see the class docstring).

        Args:
            scores (dict[str, torch.Tensor]): :meth:`member_scores` output.

        Returns:
            torch.Tensor: N x 3 scores [melanoma, seborrheic_keratosis,
            nevus].
        """
        w_mc, w_bin = self.multiclass_weight, self.binary_weight
        mc = scores['multiclass']
        p_mel = w_mc * mc[:, 0] + w_bin * scores['melanoma'][:, 1]
        p_sk = w_mc * mc[:, 1] + w_bin * scores['seborrheic_keratosis'][:, 1]
        p_nevus = (1 - p_mel - p_sk).clamp(0, 1)
        return torch.stack([p_mel, p_sk, p_nevus], dim=1)

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor'):
        """Ensemble scores (``'tensor'``) or data samples (``'predict'``).

        Args:
            inputs (torch.Tensor): Preprocessed images, NxCxHxW.
            data_samples (list[DataSample], optional): Samples that receive
                ``pred_score`` and ``pred_label``. Defaults to None (new
                ones).
            mode (str): 'tensor' or 'predict'; the ensemble is not trained
                ('loss' raises). Defaults to 'tensor'.

        Returns:
            torch.Tensor | list[DataSample]: N x 3 scores, or the samples.
        """
        return ensemble_forward(self, inputs, data_samples, mode)


def ensemble_forward(model: nn.Module, inputs, data_samples: Optional[
        List[DataSample]], mode: str):
    """``forward`` of an ensemble with ``member_scores`` and ``combine``.

    Returns:
        torch.Tensor | list[DataSample]: N x 3 scores (``'tensor'``), or
        ``data_samples`` (new ones if None) with ``pred_score`` and
        ``pred_label`` (``'predict'``).
    """
    if mode == 'loss':
        raise RuntimeError(
            f'{type(model).__name__} is not trained: train its members with '
            'their own configs instead (e.g. configs/cls_multiclass.py, '
            'cls_melanoma.py, cls_seborrheic_keratosis.py)')
    if mode not in ('tensor', 'predict'):
        raise ValueError(f'invalid mode {mode!r}; the ensemble supports '
                         "'tensor' and 'predict'")
    scores = model.combine(model.member_scores(inputs))
    if mode == 'tensor':
        return scores
    if data_samples is None:
        data_samples = [DataSample() for _ in range(scores.size(0))]
    for sample, score in zip(data_samples, scores):
        sample.set_pred_score(score).set_pred_label(score.argmax())
    return data_samples
