"""Inference on new images: load once, predict many."""
from .lesion_classifier import LesionClassifier
from .lesion_segmenter import LesionSegmenter

__all__ = ['LesionClassifier', 'LesionSegmenter']
