"""Fail fast, with a fix, when pretrained weights cannot be had offline."""
import os
import os.path as osp
import socket
from typing import Iterator, List, Tuple
from urllib.parse import urlparse

import torch


class PretrainedWeightsUnavailable(RuntimeError):
    """Raised before training when a pretrained checkpoint can't be loaded."""


def _walk(node, path: str = '') -> Iterator[Tuple[str, object]]:
    """Yield ``(dotted.path, value)`` for every value of a nested config."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f'{path}.{key}' if path else str(key))
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _walk(value, f'{path}.{i}')
    else:
        yield path, node


def pretrained_checkpoints(cfg) -> List[Tuple[str, str]]:
    """List the ``(config key, checkpoint)`` pairs a training run will load.

    Covers ``init_cfg=dict(type='Pretrained', checkpoint=...)`` anywhere in
    the model, the legacy ``model.pretrained`` and ``load_from``.

    Args:
        cfg (mmengine.Config | dict): The config.

    Returns:
        list[tuple[str, str]]: Config key and checkpoint path or URL.
    """
    found = []
    for key, value in _walk(dict(model=cfg.get('model', {}))):
        if not isinstance(value, str) or not value:
            continue
        if key.endswith('init_cfg.checkpoint') or key.endswith('.pretrained'):
            found.append((key, value))
    if cfg.get('load_from'):
        found.append(('load_from', cfg['load_from']))
    return found


def _cached_path(url: str) -> str:
    """Where torch.hub (and mmengine) cache a downloaded checkpoint."""
    return osp.join(torch.hub.get_dir(), 'checkpoints',
                    osp.basename(urlparse(url).path))


def _reachable(host: str, port: int, timeout: float) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def check_pretrained_weights(cfg, timeout: float = 3.0) -> None:
    """Check, before any work starts, that every checkpoint can be loaded.

    Local files must exist. URLs must already be in the torch.hub cache or
    their host must answer within ``timeout`` seconds; otherwise the run
    would fail deep inside a download. ``torchvision://`` needs torchvision.

    Args:
        cfg (mmengine.Config | dict): The training config.
        timeout (float): Seconds to wait for a download host.
            Defaults to 3.0.

    Raises:
        PretrainedWeightsUnavailable: Naming the config key, the checkpoint
            and how to fix it.
    """
    problems = []
    for key, ckpt in pretrained_checkpoints(cfg):
        off_key = key[:-len('.checkpoint')] \
            if key.endswith('init_cfg.checkpoint') else key
        fix_off = f'--cfg-options {off_key}=None'
        if '://' not in ckpt:
            if not osp.isfile(ckpt):
                problems.append(
                    f'{key} = {ckpt!r}: no such file. Train the run that '
                    f'writes it first, point at the right file with '
                    f'--cfg-options {key}=/path/to/file.pth, or {fix_off}')
            continue
        scheme = ckpt.split('://', 1)[0]
        if scheme in ('http', 'https'):
            if osp.isfile(_cached_path(ckpt)):
                continue
            host = urlparse(ckpt).hostname or ''
            port = 443 if scheme == 'https' else 80
            if os.environ.get('ISIC_OFFLINE') == '1' or not _reachable(
                    host, port, timeout):
                problems.append(
                    f'{key} = {ckpt!r} is not cached in '
                    f'{osp.dirname(_cached_path(ckpt))} and {host} cannot be '
                    'reached (offline?). Download it on a machine with '
                    f'internet and copy it to {_cached_path(ckpt)}, or pass '
                    f'--cfg-options {key}=/path/to/file.pth, or train '
                    f'without it: {fix_off}')
        elif scheme == 'torchvision':
            try:
                import torchvision  # noqa: F401
            except ImportError:
                problems.append(
                    f'{key} = {ckpt!r} needs torchvision, which is not '
                    'installed; use the https:// URL of the same weights or '
                    f'a local file, or {fix_off}')
    if problems:
        raise PretrainedWeightsUnavailable(
            'pretrained weights unavailable:\n  - ' + '\n  - '.join(problems))
