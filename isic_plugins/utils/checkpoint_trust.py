"""Whether a checkpoint may be unpickled in full: weights-only unless trusted.

Every checkpoint (``--resume``, ``load_from``, ``tools/test.py``, pretrained
URLs, the ensemble's members) is loaded with PyTorch's weights-only
unpickler; :mod:`isic_plugins.utils.torch_compat` allow-lists the few
mmengine types it needs (never ``getattr``). A checkpoint holding anything
else is refused by :func:`checkpoint_loading` with
:class:`UnsafeCheckpointError`, unless the user opts in to full pickle for a
checkpoint they trust: ``--trust-checkpoint`` on the command line or
``trust_checkpoints=True`` in the config (:func:`trust_requested`).
"""
import contextlib
import os
import pickle
from typing import Iterator

#: PyTorch's own switch: when set, ``torch.load`` unpickles in full.
FULL_PICKLE_ENV = 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'

#: The config key that opts in, like ``--trust-checkpoint``.
TRUST_CONFIG_KEY = 'trust_checkpoints'


class UnsafeCheckpointError(RuntimeError):
    """A checkpoint holds pickled objects that weights-only loading refuses."""


def full_pickle_trusted() -> bool:
    """Whether checkpoints are loaded with full pickle now.

    True inside :func:`trusted_checkpoint_loading`, or where the user set
    PyTorch's own :data:`FULL_PICKLE_ENV`.

    Returns:
        bool: True for full pickle, False for weights-only loading.
    """
    return os.environ.get(FULL_PICKLE_ENV, '0').lower() in ('1', 'y', 'yes',
                                                            'true')


def trust_requested(cli_flag: bool, cfg) -> bool:
    """Whether the user opted in to full pickle for this run.

    Args:
        cli_flag (bool): ``--trust-checkpoint``.
        cfg (Config): The run's config (:data:`TRUST_CONFIG_KEY`).

    Returns:
        bool: True when either asks for it.
    """
    return bool(cli_flag or cfg.get(TRUST_CONFIG_KEY, False))


@contextlib.contextmanager
def trusted_checkpoint_loading(enabled: bool = True) -> Iterator[None]:
    """Load checkpoints with full pickle inside this block (explicit opt-in).

    Use it only for checkpoints from a source you trust, e.g. checkpoints
    written by stock mmengine before this project: unpickling them can run
    arbitrary code.

    Args:
        enabled (bool): When False the block changes nothing.
            Defaults to True.
    """
    if not enabled:
        yield
        return
    old = os.environ.get(FULL_PICKLE_ENV)
    os.environ[FULL_PICKLE_ENV] = '1'
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(FULL_PICKLE_ENV, None)
        else:
            os.environ[FULL_PICKLE_ENV] = old


@contextlib.contextmanager
def checkpoint_loading(trust: bool = False) -> Iterator[None]:
    """Load checkpoints safely inside this block, with a clear refusal.

    Args:
        trust (bool): Opt in to full pickle loading (legacy checkpoints from
            a source you trust). Defaults to False.

    Raises:
        UnsafeCheckpointError: When weights-only loading refuses a
            checkpoint; the message says how to opt in.
    """
    try:
        with trusted_checkpoint_loading(trust):
            yield
    except pickle.UnpicklingError as exc:
        first = str(exc).strip().splitlines()
        detail = next((line for line in first if 'GLOBAL' in line or
                       'Unsupported' in line), first[0] if first else '')
        raise UnsafeCheckpointError(
            'refused to load a checkpoint: it holds pickled objects beyond '
            f'tensors and plain data ({detail.strip()}). Loading it could run '
            'arbitrary code. If the file comes from a source you trust (e.g. '
            'a checkpoint written by stock mmengine), rerun with '
            f'--trust-checkpoint or set {TRUST_CONFIG_KEY}=True in the '
            'config.') from exc
