"""tools/make_fullframe_split.py: the full-frame, crop and hard splits."""
import importlib.util
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np

from isic_plugins.datasets.isic_layout import (
    IMAGE_SUFFIX,
    image_dir,
    mask_dir,
    mask_name,
)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(ROOT, 'tools', 'make_fullframe_split.py')


def _tool():
    spec = importlib.util.spec_from_file_location('make_ff_split', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _lesion(h, w, lesion_bgr, skin_bgr=(170, 180, 220), corner=None):
    """An image with a disc of ``lesion_bgr`` on ``skin_bgr`` and its
    mask; ``corner`` paints the four corners that colour (a vignette)."""
    image = np.empty((h, w, 3), np.uint8)
    image[:] = skin_bgr
    mask = np.zeros((h, w), np.uint8)
    cv2.circle(mask, (w // 2, h // 2), min(h, w) // 4, 255, -1)
    image[mask > 0] = lesion_bgr
    if corner is not None:
        c = min(h, w) // 8
        for ys in (slice(0, c), slice(h - c, h)):
            for xs in (slice(0, c), slice(w - c, w)):
                image[ys, xs] = corner
    return image, mask


def test_pale_rim_has_low_contrast_and_vignette_is_counted():
    tool = _tool()
    sharp, mask = _lesion(90, 120, (40, 50, 80))
    pale, _ = _lesion(90, 120, (150, 165, 205))
    assert tool.rim_contrast(pale, mask > 0) < 0.3 * tool.rim_contrast(
        sharp, mask > 0)
    assert np.isnan(tool.rim_contrast(sharp, np.zeros_like(mask)))
    vignetted, _ = _lesion(90, 120, (40, 50, 80), corner=(5, 5, 5))
    assert tool.dark_corners(vignetted) == 4
    assert tool.dark_corners(sharp) == 0


def test_split_files_from_a_layout(tmp_path):
    """Square images are crops; of the full frames, the pale-rim quarter
    and the vignetted ones are hard; the files are mmseg ann_files."""
    root = tmp_path / 'data'
    os.makedirs(root / image_dir('Training'))
    os.makedirs(root / mask_dir('Training'))
    images = {
        'ISIC_0000001': _lesion(64, 64, (40, 50, 80)),  # square crop
        'ISIC_0000002': _lesion(60, 80, (40, 50, 80)),  # clear rim
        'ISIC_0000003': _lesion(60, 80, (150, 165, 205)),  # pale rim
        'ISIC_0000004': _lesion(60, 80, (30, 60, 90), corner=(5, 5, 5)),
        'ISIC_0000005': _lesion(60, 80, (45, 40, 70)),
    }
    for i, (image, mask) in images.items():
        cv2.imwrite(str(root / image_dir('Training') / (i + IMAGE_SUFFIX)),
                    image)
        cv2.imwrite(str(root / mask_dir('Training') / mask_name(i)), mask)
    out = tmp_path / 'splits'
    subprocess.run([sys.executable, TOOL, str(root), str(out)], check=True,
                   cwd=ROOT)

    def ids(kind):
        return (out / f'isic2017_training_{kind}.txt').read_text().split()

    assert ids('crops') == ['ISIC_0000001']
    assert ids('fullframe') == [f'ISIC_000000{i}' for i in (2, 3, 4, 5)]
    assert ids('fullframe_hard') == ['ISIC_0000003', 'ISIC_0000004']
