"""The square box around a predicted lesion, in image pixels.

Shared by the ``LesionCrop`` transform (training and testing with the
OpenMMLab stack) and the ONNX Runtime classifier; imports only numpy.
"""
from typing import Optional, Tuple

import numpy as np


def lesion_box(mask: np.ndarray,
               image_shape: Tuple[int, int],
               margin: float = 0.1,
               min_fraction: float = 0.001
               ) -> Optional[Tuple[int, int, int, int]]:
    """The square box around the lesion of ``mask``, in image pixels.

    The box is the mask's bounding box made square (side = its longer edge)
    and grown by ``margin`` of that side on every edge, so that a shorter-
    side resize and a centre crop afterwards keep the whole lesion and some
    skin around it; it is shifted, then clipped, to stay inside the image.

    Args:
        mask (np.ndarray): HxW labels (lesion > 0), any size: the box is
            scaled to ``image_shape`` (a mask predicted at a smaller size
            fits its image).
        image_shape (tuple[int, int]): (height, width) of the image.
        margin (float): Skin kept around the lesion on each side, as a
            fraction of the lesion's longer edge. Defaults to 0.1.
        min_fraction (float): A mask whose lesion covers less of the image
            than this is treated as empty (a few stray pixels are no
            lesion). Defaults to 0.001.

    Returns:
        tuple[int, int, int, int] | None: (x1, y1, x2, y2), end-exclusive,
        or None when the mask holds no lesion.
    """
    ys, xs = np.nonzero(mask)
    if ys.size <= min_fraction * mask.size:
        return None
    height, width = image_shape
    sy, sx = height / mask.shape[0], width / mask.shape[1]
    x1, x2 = xs.min() * sx, (xs.max() + 1) * sx
    y1, y2 = ys.min() * sy, (ys.max() + 1) * sy
    side = max(x2 - x1, y2 - y1) * (1 + 2 * margin)
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2

    def span(centre: float, limit: int) -> Tuple[int, int]:
        size = min(side, limit)
        start = min(max(centre - size / 2, 0), limit - size)
        return int(round(start)), int(round(start + size))

    bx1, bx2 = span(cx, width)
    by1, by2 = span(cy, height)
    return bx1, by1, bx2, by2
