"""Fixes that let the pinned mmengine 0.10.7 run on torch >= 2.6 and on CPUs.

Each fix is applied once by :func:`apply_torch_compat` (called when
``isic_plugins`` is imported) and has a test that fails without it.

1. **Checkpoints load with weights-only semantics.** torch >= 2.6 makes
   ``torch.load(weights_only=True)`` the default, and mmengine 0.10.7 calls
   ``torch.load`` without the argument, so resuming, ``load_from`` and
   ``init_cfg=dict(type='Pretrained')`` all fail on mmengine's own
   checkpoints. Switching safety off (``weights_only=False``) would let any
   checkpoint run code. Instead we allow-list exactly the extra types that
   mmengine checkpoints hold: :class:`~mmengine.logging.HistoryBuffer` (the
   message hub's logs) and the numpy array/scalar/dtype reconstructors.
   A checkpoint holding any other pickled object is still refused.
2. **HistoryBuffer pickles without ``getattr``.** Stock ``HistoryBuffer``
   pickles its class-level statistics functions (``HistoryBuffer.mean``...);
   pickle protocol 2 stores those as ``getattr(HistoryBuffer, 'mean')``, and
   allow-listing ``builtins.getattr`` would let a checkpoint call anything.
   The built-in statistics are re-registered on unpickling anyway
   (``__setstate__`` calls ``_set_default_statistics``), so they are left out
   of the pickled state. Checkpoints written by stock mmengine still carry
   ``getattr`` and are refused by weights-only loading; see
   :mod:`isic_plugins.utils.checkpoint_trust` for the explicit opt-in.
3. **Distributed runs start on CPU-only machines.** mmengine's ``pytorch``
   launcher calls ``torch.cuda.set_device`` unconditionally, which raises on
   a CPU build. Without CUDA we skip it and initialise the process group
   with the ``gloo`` backend (NCCL needs GPUs). mmengine also passes
   ``device_ids=[LOCAL_RANK]`` to ``MMDistributedDataParallel``, which
   PyTorch rejects for a module on the CPU, so there it is dropped.
4. **Downloaded checkpoints load weights-only too.** mmengine fetches URL
   checkpoints (``init_cfg`` Pretrained with ``https://...``) through
   ``torch.hub.load_state_dict_from_url``, whose ``weights_only`` still
   defaults to False: a tampered download could run code. It now loads
   with ``weights_only=True`` unless the user opted in to full pickle
   (:mod:`isic_plugins.utils.checkpoint_trust`).
5. **torchvision's Python parts import beside a CPU torch.** mmpretrain
   imports torchvision (transforms, box utilities) at import time. PyPI only
   has CUDA builds of torchvision, whose compiled ops cannot load next to
   the CPU wheel of torch; torchvision is written to run without them
   (``torchvision.extension._has_ops()`` is then False and every op raises
   torchvision's own "Couldn't load custom C++ ops" error), except that
   0.28 registers fake kernels for ``torchvision::nms`` and ``qnms``
   unconditionally, which raises at import. When the compiled ops cannot
   load, those two operator schemas are declared (no kernels) before
   torchvision is imported, so the import succeeds and the ops stay
   unavailable. Where the ops do load (a matching CUDA or CPU build),
   nothing is changed.
"""
import glob
import importlib.util
import os
import sys
from typing import List, Optional

import torch

from .checkpoint_trust import full_pickle_trusted

_APPLIED = False

#: Every attribute of another library that :func:`apply_torch_compat`
#: replaces (so every change ``import isic_plugins`` makes), and why no
#: extension point serves. Fixes 1 and 5 use torch's own extension points
#: (``torch.serialization.add_safe_globals``, ``torch.library``) and replace
#: nothing. tests/test_compat_patches.py checks import against this list.
PATCHES = {
    'mmengine.logging.HistoryBuffer.__getstate__':
    'fix 2: pickling is the class\'s own method; mmengine has no hook for '
    'what a checkpoint stores of its message hub',
    'mmengine.dist.utils._init_dist_pytorch':
    'fix 3: the pytorch launcher calls torch.cuda.set_device with no option '
    'to skip it (env_cfg.dist_cfg only chooses the backend)',
    'mmengine.model.MMDistributedDataParallel.__init__':
    'fix 3: the runner passes device_ids=[LOCAL_RANK] itself; '
    'model_wrapper_cfg could avoid it only in configs that set it',
    'mmengine.runner.checkpoint.load_url':
    'fix 4: every URL scheme (http, open-mmlab://, torchvision://...) ends '
    'in this one function; CheckpointLoader.register_scheme would need one '
    'replacement loader per scheme',
}


def _numpy_globals() -> List:
    """numpy objects that pickled arrays, scalars and dtypes refer to."""
    import numpy as np
    try:
        from numpy._core import multiarray  # numpy >= 2
    except ImportError:  # pragma: no cover - numpy 1.x
        from numpy.core import multiarray
    globals_ = [
        np.ndarray, np.dtype, multiarray._reconstruct, multiarray.scalar
    ]
    # numpy 1.x pickles name ``numpy.core.multiarray``; numpy 2.x
    # ``numpy._core.multiarray``: accept both spellings for the same objects.
    for module in ('numpy.core.multiarray', 'numpy._core.multiarray'):
        globals_ += [(multiarray._reconstruct, f'{module}._reconstruct'),
                     (multiarray.scalar, f'{module}.scalar')]
    # The concrete dtype classes (np.dtypes.Float64DType, ...) of numpy 2.
    for code in '?bhilqBHILQefdgFDGUSV':
        globals_.append(type(np.dtype(code)))
    return globals_


def mmengine_checkpoint_safe_globals() -> List:
    """Return the globals an mmengine checkpoint may hold beyond tensors.

    Returns:
        list: Objects (or ``(object, name)`` pairs) for
        :func:`torch.serialization.add_safe_globals`.
    """
    from mmengine.logging import HistoryBuffer
    return [HistoryBuffer] + _numpy_globals()


def _history_buffer_getstate(self) -> dict:
    """Pickle state of a HistoryBuffer without its statistics functions."""
    return {
        k: v
        for k, v in self.__dict__.items() if k != 'statistics_methods'
    }


def _cpu_aware_init_dist_pytorch(backend: str = 'nccl',
                                 init_backend: str = 'torch',
                                 **kwargs) -> None:
    """mmengine's ``_init_dist_pytorch`` that also works without CUDA."""
    import torch.distributed as torch_dist
    if torch.cuda.is_available():
        return _ORIGINAL_INIT_DIST_PYTORCH(backend, init_backend, **kwargs)
    if backend == 'nccl':
        # NCCL needs GPUs; gloo is PyTorch's CPU backend.
        backend = 'gloo'
    torch_dist.init_process_group(backend=backend, **kwargs)


_ORIGINAL_INIT_DIST_PYTORCH = None
_TORCHVISION_SCHEMAS = None  # keeps the declared schemas alive


def _declare_torchvision_ops_if_unloadable() -> None:
    """Let torchvision import when its compiled ops cannot load (fix 5)."""
    global _TORCHVISION_SCHEMAS
    if 'torchvision' in sys.modules:
        return
    spec = importlib.util.find_spec('torchvision')
    if spec is None or not spec.submodule_search_locations:
        return
    folder = list(spec.submodule_search_locations)[0]
    for lib in glob.glob(os.path.join(folder, '_C*.so')) + glob.glob(
            os.path.join(folder, '_C*.pyd')):
        try:
            torch.ops.load_library(lib)  # torchvision reuses the loaded lib
            return
        except (OSError, RuntimeError):
            pass
    _TORCHVISION_SCHEMAS = torch.library.Library('torchvision', 'DEF')
    for op in ('nms', 'qnms'):
        _TORCHVISION_SCHEMAS.define(
            f'{op}(Tensor dets, Tensor scores, float iou_threshold) -> Tensor')


def _weights_only_load_url(url: str,
                           model_dir: Optional[str] = None,
                           map_location=None,
                           progress: bool = True,
                           check_hash: bool = False,
                           file_name: Optional[str] = None) -> dict:
    """``torch.hub.load_state_dict_from_url`` with weights-only loading."""
    return torch.hub.load_state_dict_from_url(
        url, model_dir=model_dir, map_location=map_location,
        progress=progress, check_hash=check_hash, file_name=file_name,
        weights_only=not full_pickle_trusted())


def _patch_ddp_for_cpu() -> None:
    """Drop ``device_ids`` when wrapping a CPU module in DDP."""
    from mmengine.model import MMDistributedDataParallel
    original_init = MMDistributedDataParallel.__init__

    def __init__(self, module, detect_anomalous_params=False, **kwargs):
        on_cpu = all(p.device.type == 'cpu' for p in module.parameters())
        if on_cpu:
            kwargs.pop('device_ids', None)
            kwargs.pop('output_device', None)
        original_init(self, module, detect_anomalous_params, **kwargs)

    MMDistributedDataParallel.__init__ = __init__


def apply_torch_compat() -> None:
    """Apply the fixes described in this module (idempotent)."""
    global _APPLIED, _ORIGINAL_INIT_DIST_PYTORCH
    if _APPLIED:
        return
    _declare_torchvision_ops_if_unloadable()
    from mmengine.dist import utils as dist_utils
    from mmengine.logging import HistoryBuffer

    if hasattr(torch.serialization, 'add_safe_globals'):
        torch.serialization.add_safe_globals(mmengine_checkpoint_safe_globals())
    HistoryBuffer.__getstate__ = _history_buffer_getstate
    _ORIGINAL_INIT_DIST_PYTORCH = dist_utils._init_dist_pytorch
    dist_utils._init_dist_pytorch = _cpu_aware_init_dist_pytorch
    _patch_ddp_for_cpu()
    from mmengine.runner import checkpoint as checkpoint_module
    checkpoint_module.load_url = _weights_only_load_url
    _APPLIED = True
