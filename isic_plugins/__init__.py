"""isic_plugins: OpenMMLab plugins for ISIC dermoscopy lesion analysis.

Importing the package registers its datasets, transforms, models and
metrics in mmseg's and mmpretrain's registries (configs load it with
``custom_imports = dict(imports=['isic_plugins'])``) and applies the
torch >= 2.6 compatibility fixes of :mod:`isic_plugins.utils.torch_compat`
(below). Crash-safe checkpoint writes are a registered mmengine file
backend (``'atomic_local'``) that the configs select, not a patch.

In a light install (``pip install .[onnx]``: none of torch, mmengine,
mmcv, mmseg, mmpretrain) there is nothing to register and the package
holds only what runs without them: the ONNX Runtime backend of
:mod:`isic_plugins.apis`, :mod:`isic_plugins.isic_layout` and
:mod:`isic_plugins.visualization`.
"""
import importlib.util

#: The stack that the registered modules are built on.
OPENMMLAB_PACKAGES = ('torch', 'mmengine', 'mmcv', 'mmseg', 'mmpretrain')


def openmmlab_installed() -> bool:
    """False only where none of :data:`OPENMMLAB_PACKAGES` is installed
    (the light ONNX Runtime install); a partial stack is imported below
    and fails there with its own error."""
    return any(importlib.util.find_spec(name) is not None
               for name in OPENMMLAB_PACKAGES)


__version__ = '0.1.0'

if openmmlab_installed():
    from .utils.torch_compat import apply_torch_compat

    # The one place where importing the package changes other libraries:
    # the torch >= 2.6 / CPU fixes for mmengine 0.10.7 that have no
    # extension point (each listed in isic_plugins/utils/torch_compat.py
    # and the README, "The pinned stack and its fixes";
    # tests/test_compat_patches.py holds import to exactly that list).
    apply_torch_compat()

    from . import datasets, engine, evaluation, models  # noqa: F401

    __all__ = ['datasets', 'engine', 'evaluation', 'models', '__version__']
else:
    __all__ = ['__version__']
