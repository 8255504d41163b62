from .isic_seg_tta_model import FLIP_DIMS, ISICSegTTAModel
from .largest_component import largest_component
from .otsu_lesion_segmentor import OtsuLesionSegmentor, otsu_lesion_mask

__all__ = [
    'FLIP_DIMS', 'ISICSegTTAModel', 'OtsuLesionSegmentor', 'largest_component',
    'otsu_lesion_mask'
]
