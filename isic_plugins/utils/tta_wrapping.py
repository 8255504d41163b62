"""Wrap a model in its config's test-time augmentation, as mmseg does.

mmseg's and mmpretrain's ``tools/test.py --tta`` put the config's
``tta_model`` around ``model`` and read the test set with ``tta_pipeline``.
The same wrapping serves ``tools/test.py --tta`` (a config the Runner
builds: :func:`apply_tta`) and :class:`~isic_plugins.apis.LesionSegmenter`
(a model already built with its weights: :func:`tta_model_config` and
:func:`tta_test_pipeline`).
"""
import copy
from typing import List, Optional, Union

from mmengine.config import Config
from torch import nn


def innermost_dataset(dataset: dict) -> dict:
    """The dataset config that holds the pipeline.

    Wrappers (mmpretrain's ``KFoldDataset``, mmengine's
    ``ConcatDataset``...) keep theirs in ``dataset``; they have no pipeline.

    Args:
        dataset (dict): A dataloader's ``dataset`` config.

    Returns:
        dict: The wrapped dataset config (``dataset`` itself when none).
    """
    while 'dataset' in dataset:
        dataset = dataset['dataset']
    return dataset


def tta_model_config(cfg: Config,
                     module: Union[dict, nn.Module]) -> Optional[dict]:
    """The config's ``tta_model`` with ``module`` as the model it wraps.

    Args:
        cfg (Config): A config with ``tta_model`` (e.g. ``ISICSegTTAModel``
            and its scales and flips).
        module (dict | nn.Module): The model: its config (built with the
            TTA model) or a built model (weights already loaded).

    Returns:
        dict | None: The TTA model config, for ``MODELS.build``; None when
        the config defines no ``tta_model``.
    """
    if cfg.get('tta_model') is None:
        return None
    return dict(copy.deepcopy(cfg.tta_model), module=module)


def tta_test_pipeline(cfg: Config) -> List[dict]:
    """The pipeline a TTA model tests with.

    ``tta_pipeline`` where the config has one (e.g. the original image for
    ``ISICSegTTAModel``, which makes its scales itself), else the test
    dataset's own pipeline.

    Args:
        cfg (Config): The config.

    Returns:
        list[dict]: The pipeline.
    """
    if cfg.get('tta_pipeline') is not None:
        return copy.deepcopy(cfg.tta_pipeline)
    return copy.deepcopy(innermost_dataset(cfg.test_dataloader.dataset)[
        'pipeline'])


def apply_tta(cfg: Config) -> bool:
    """Make ``cfg`` test with its TTA model (``tools/test.py --tta``).

    ``cfg.model`` becomes :func:`tta_model_config` around the model and the
    test dataset reads :func:`tta_test_pipeline`, as mmseg's
    ``tools/test.py --tta`` sets them (also through dataset wrappers).

    Args:
        cfg (Config): The test config, changed in place.

    Returns:
        bool: False, with ``cfg`` unchanged, when it defines no
        ``tta_model``.
    """
    model = tta_model_config(cfg, cfg.model)
    if model is None:
        return False
    innermost_dataset(cfg.test_dataloader.dataset)['pipeline'] = \
        tta_test_pipeline(cfg)
    cfg.model = model
    return True
