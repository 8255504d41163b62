from .isic_seg_tta_model import FLIP_DIMS, ISICSegTTAModel

__all__ = ['FLIP_DIMS', 'ISICSegTTAModel']
