from .lesion_crop import LesionCrop, lesion_box
from .load_isic_annotations import LoadISICAnnotations, binarize_isic_mask

__all__ = [
    'LoadISICAnnotations', 'binarize_isic_mask', 'LesionCrop', 'lesion_box'
]
