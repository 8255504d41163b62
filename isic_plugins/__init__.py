"""isic_plugins: OpenMMLab plugins for ISIC dermoscopy lesion analysis.

Importing the package registers its datasets, transforms, models and
metrics in mmseg's and mmpretrain's registries (configs load it with
``custom_imports = dict(imports=['isic_plugins'])``) and applies the
torch >= 2.6 compatibility fixes of :mod:`isic_plugins.utils.torch_compat`
(below). Crash-safe checkpoint writes are a registered mmengine file
backend (``'atomic_local'``) that the configs select, not a patch.
"""
from .utils.torch_compat import apply_torch_compat

# The one place where importing the package changes other libraries: the
# torch >= 2.6 / CPU fixes for mmengine 0.10.7 that have no extension point
# (each listed in isic_plugins/utils/torch_compat.py and the README,
# "The pinned stack and its fixes"; tests/test_compat_patches.py holds
# import to exactly that list).
apply_torch_compat()

from . import datasets, engine, evaluation, models  # noqa: E402,F401

__version__ = '0.1.0'
__all__ = ['datasets', 'engine', 'evaluation', 'models', '__version__']
