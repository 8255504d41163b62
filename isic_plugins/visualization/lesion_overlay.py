"""Lesion outlines drawn over dermoscopy images."""
from typing import Optional, Tuple

import cv2
import numpy as np

PRED_COLOR: Tuple[int, int, int] = (0, 0, 255)  # BGR red: prediction
GT_COLOR: Tuple[int, int, int] = (0, 200, 0)  # BGR green: ground truth


def draw_lesion_overlay(image: np.ndarray,
                        pred: np.ndarray,
                        gt: Optional[np.ndarray] = None,
                        alpha: float = 0.25,
                        max_side: Optional[int] = 1024) -> np.ndarray:
    """Outline the predicted (red) and true (green) lesion on the image.

    Args:
        image (np.ndarray): HxWx3 BGR uint8 image.
        pred (np.ndarray): HxW predicted mask (nonzero = lesion).
        gt (np.ndarray, optional): HxW ground-truth mask.
        alpha (float): Opacity of the red fill of the prediction.
            Defaults to 0.25.
        max_side (int, optional): Downscale the result so that its longer
            side is at most this (full-resolution ISIC images are 4288 px).
            Defaults to 1024.

    Returns:
        np.ndarray: The BGR overlay.
    """
    if pred.shape != image.shape[:2]:
        raise ValueError(f'mask {pred.shape} and image {image.shape[:2]} '
                         'differ in size')
    out = image.copy()
    lesion = pred > 0
    fill = np.zeros_like(out)
    fill[lesion] = PRED_COLOR
    out[lesion] = cv2.addWeighted(out, 1 - alpha, fill, alpha, 0)[lesion]
    thickness = max(2, round(max(image.shape[:2]) / 400))
    for mask, color in ((gt, GT_COLOR), (pred, PRED_COLOR)):
        if mask is None:
            continue
        contours, _ = cv2.findContours((mask > 0).astype(np.uint8),
                                       cv2.RETR_EXTERNAL,
                                       cv2.CHAIN_APPROX_SIMPLE)
        cv2.drawContours(out, contours, -1, color, thickness)
    if max_side and max(out.shape[:2]) > max_side:
        scale = max_side / max(out.shape[:2])
        out = cv2.resize(out, None, fx=scale, fy=scale,
                         interpolation=cv2.INTER_AREA)
    return out
