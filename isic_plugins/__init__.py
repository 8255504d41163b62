"""isic_plugins: OpenMMLab plugins for ISIC dermoscopy lesion analysis.

Importing the package registers its datasets, transforms, models and
metrics in mmseg's and mmpretrain's registries (configs load it with
``custom_imports = dict(imports=['isic_plugins'])``) and applies the
torch >= 2.6 compatibility fixes of :mod:`isic_plugins.utils.torch_compat`
and the crash-safe checkpoint writes of
:mod:`isic_plugins.utils.atomic_checkpoints`.
"""
from .utils.atomic_checkpoints import apply_atomic_checkpoints
from .utils.torch_compat import apply_torch_compat

apply_torch_compat()
apply_atomic_checkpoints()

from . import datasets, engine, evaluation, models  # noqa: E402,F401

__version__ = '0.1.0'
__all__ = ['datasets', 'engine', 'evaluation', 'models', '__version__']
