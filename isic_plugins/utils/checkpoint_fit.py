"""Refuse a checkpoint that does not fit the model, naming the keys.

mmengine loads checkpoints with ``strict=False``: a parameter whose shape
differs (a 3-class head loaded into a 2-class model) is only warned about
and keeps its random initial value, and the run goes on to train or score
a model that is not the one in the checkpoint. :func:`check_checkpoint_fits`
compares the checkpoint with the built model first.
"""
import re
from collections import OrderedDict
from typing import Dict, List, Tuple

import torch.nn as nn

#: Key prefixes mmengine strips when it loads a checkpoint (DDP wrappers).
_REVISE_KEYS = [(r'^module\.', '')]

#: How many keys a message names before '... and N more'.
_MAX_KEYS = 20


class CheckpointMismatchError(RuntimeError):
    """A checkpoint's parameters do not fit the model built from a config."""


def unwrap_model(model: nn.Module) -> nn.Module:
    """The module mmengine loads a checkpoint into (DDP and TTA unwrapped)."""
    from mmengine.model import BaseTTAModel, is_model_wrapper
    while is_model_wrapper(model) or isinstance(model, BaseTTAModel):
        model = model.module
    return model


def checkpoint_state_dict(checkpoint: dict) -> Dict[str, object]:
    """The state dict of a loaded checkpoint, keys as mmengine revises them.

    Args:
        checkpoint (dict): What ``torch.load`` returned.

    Returns:
        dict: ``{key: tensor}``.
    """
    state_dict = checkpoint.get('state_dict', checkpoint) \
        if isinstance(checkpoint, dict) else {}
    revised = OrderedDict()
    for key, value in state_dict.items():
        for pattern, repl in _REVISE_KEYS:
            key = re.sub(pattern, repl, key)
        revised[key] = value
    return revised


def _listed(lines: List[str]) -> str:
    text = '\n  '.join(lines[:_MAX_KEYS])
    if len(lines) > _MAX_KEYS:
        text += f'\n  ... and {len(lines) - _MAX_KEYS} more'
    return text


def compare_state_dicts(
        checkpoint: Dict[str, object],
        model: Dict[str, object]) -> Tuple[List[str], List[str], List[str]]:
    """Differences between a checkpoint's and a model's state dicts.

    Args:
        checkpoint (dict): The checkpoint's ``{key: tensor}``.
        model (dict): The model's ``{key: tensor}``.

    Returns:
        tuple[list[str], list[str], list[str]]: ``key: checkpoint shape vs
        model shape`` of each parameter whose shape differs, the model keys
        the checkpoint lacks, and the checkpoint keys the model lacks.
    """
    mismatched = []
    for key, value in model.items():
        if key in checkpoint and hasattr(value, 'shape') and \
                tuple(checkpoint[key].shape) != tuple(value.shape):
            mismatched.append(
                f'{key}: checkpoint {tuple(checkpoint[key].shape)} vs model '
                f'{tuple(value.shape)}')
    missing = [k for k in model if k not in checkpoint]
    unexpected = [k for k in checkpoint if k not in model]
    return mismatched, missing, unexpected


def check_checkpoint_fits(model: nn.Module,
                          filename: str,
                          require_all_keys: bool = False,
                          map_location: str = 'cpu') -> List[str]:
    """Refuse ``filename`` if its parameters do not fit ``model``.

    Loads the checkpoint as mmengine does (weights-only ``torch.load``; run
    it inside :func:`isic_plugins.utils.checkpoint_loading` for the opt-in
    to trusted checkpoints).

    Args:
        model (nn.Module): The built model (e.g. ``runner.model``).
        filename (str): Checkpoint path or URL.
        require_all_keys (bool): Also refuse a checkpoint that lacks some of
            the model's parameters (testing: they would keep their random
            initial values). Defaults to False.
        map_location (str): Where to load the tensors. Defaults to 'cpu'.

    Returns:
        list[str]: Warnings about keys only one side has (when they are not
        refused).

    Raises:
        CheckpointMismatchError: Naming every parameter whose shape differs
            (and, with ``require_all_keys``, every missing one).
    """
    from mmengine.runner.checkpoint import _load_checkpoint
    checkpoint = checkpoint_state_dict(
        _load_checkpoint(filename, map_location=map_location))
    model_state = unwrap_model(model).state_dict()
    mismatched, missing, unexpected = compare_state_dicts(
        checkpoint, model_state)
    if not checkpoint or (missing and len(missing) == len(model_state)):
        raise CheckpointMismatchError(
            f'checkpoint {filename} holds none of the parameters of the model '
            f'{type(unwrap_model(model)).__name__} (it has '
            f'{len(checkpoint)} key(s), e.g. {list(checkpoint)[:3]}): it is '
            'not a checkpoint of this config. Use the checkpoint that '
            'training with this config wrote.')
    parts = []
    if mismatched:
        parts.append(f'{len(mismatched)} parameter(s) have another shape:\n'
                     f'  {_listed(mismatched)}')
    if missing and require_all_keys:
        parts.append(f'{len(missing)} parameter(s) of the model are not in '
                     f'the checkpoint (they would stay random):\n'
                     f'  {_listed(missing)}')
    if parts:
        raise CheckpointMismatchError(
            f'checkpoint {filename} does not fit the model built from the '
            'config: ' + '\n'.join(parts) + '\nWas it trained with another '
            'config (e.g. another number of classes or another task)? Use '
            'the config it was trained with, or a checkpoint of this one.')
    warnings = []
    if missing:
        warnings.append(f'{len(missing)} parameter(s) of the model are not in '
                        f'{filename} and keep their initial values: '
                        f'{", ".join(missing[:_MAX_KEYS])}')
    if unexpected:
        warnings.append(f'{len(unexpected)} key(s) of {filename} are not in '
                        f'the model and are ignored: '
                        f'{", ".join(unexpected[:_MAX_KEYS])}')
    return warnings
