"""The local demo page (``tools/demo.py``)."""
from .lesion_demo import LesionDemo, sample_examples

__all__ = ['LesionDemo', 'sample_examples']
