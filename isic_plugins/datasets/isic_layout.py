"""``isic_plugins.datasets.isic_layout`` is :mod:`isic_plugins.isic_layout`.

The ISIC file-name rules live in the top-level module, which imports
neither torch nor the OpenMMLab stack, so that the ONNX Runtime path
(``tools/predict.py --backend onnxruntime``) can use them in a light
install; this name stays for the code that imports it from here. Both
names are the same module object.
"""
import sys

from .. import isic_layout

sys.modules[__name__] = isic_layout
