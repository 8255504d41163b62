"""Inference on new images: load once, predict many.

Two backends with one interface (``segmenter(path)`` -> ``mask`` and
``probability`` at the image's size; ``classifier(path)`` -> task
probabilities):

- PyTorch and the OpenMMLab stack, from a config and a checkpoint:
  :class:`LesionSegmenter`, :class:`LesionClassifier`;
- ONNX Runtime, from files written by ``tools/export_onnx.py``:
  :class:`ORTLesionSegmenter`, :class:`ORTLesionClassifier`. These modules
  import only numpy, OpenCV, Pillow and onnxruntime.

The classes are imported when first used, so that importing one backend
never loads the other's libraries.
"""
import importlib

_CLASSES = {
    'LesionClassifier': 'lesion_classifier',
    'LesionSegmenter': 'lesion_segmenter',
    'ORTLesionClassifier': 'ort_lesion_classifier',
    'ORTLesionSegmenter': 'ort_lesion_segmenter',
}

__all__ = list(_CLASSES)


def __getattr__(name: str):
    if name not in _CLASSES:
        raise AttributeError(
            f'module {__name__!r} has no attribute {name!r}')
    module = importlib.import_module(f'.{_CLASSES[name]}', __name__)
    return getattr(module, name)


def __dir__():
    return sorted(list(globals()) + __all__)
