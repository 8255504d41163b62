"""The largest connected region of a binary lesion mask."""
import cv2
import numpy as np


def largest_component(mask: np.ndarray) -> np.ndarray:
    """Keep the largest 8-connected region of a binary mask.

    A dermoscopy image shows one lesion; in full frames the extra regions
    a model marks are rulers, hairs and dark vignette corners.

    Args:
        mask (np.ndarray): HxW, nonzero = lesion.

    Returns:
        np.ndarray: HxW uint8 mask, 1 on the largest region only (all zeros
        for an empty mask).
    """
    mask = (np.asarray(mask) != 0).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, 8)
    if count <= 1:
        return np.zeros_like(mask)
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    return (labels == largest).astype(np.uint8)
