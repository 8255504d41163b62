from .lesion_overlay import draw_lesion_overlay

__all__ = ['draw_lesion_overlay']
