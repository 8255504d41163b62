from .isic_seg_tta_model import FLIP_DIMS, ISICSegTTAModel
from .otsu_lesion_segmentor import OtsuLesionSegmentor, otsu_lesion_mask

__all__ = [
    'FLIP_DIMS', 'ISICSegTTAModel', 'OtsuLesionSegmentor', 'otsu_lesion_mask'
]
