"""tools/prepare_isic.py: offline downscaling that keeps the layout."""
import os
import os.path as osp
import subprocess

import cv2
import numpy as np
import pandas as pd
from PIL import Image


def test_prepare_mirrors_layout(python, repo_root, synthetic_isic, tmp_path):
    dst = str(tmp_path / 'out')
    cmd = [python, 'tools/prepare_isic.py', synthetic_isic, dst,
           '--longer-side', '120', '--workers', '2']
    res = subprocess.run(cmd, cwd=repo_root, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    sizes = pd.read_csv(osp.join(dst, 'original_sizes.csv'))
    n_images = 0
    for split in ('Training', 'Validation', 'Test_v2'):
        img_dir = f'ISIC-2017_{split}_Data'
        mask_dir = f'ISIC-2017_{split}_Part1_GroundTruth'
        assert osp.isfile(
            osp.join(dst, f'ISIC-2017_{split}_Part3_GroundTruth.csv'))
        for name in os.listdir(osp.join(synthetic_isic, img_dir)):
            n_images += 1
            image_id = name[:-4]
            with Image.open(osp.join(synthetic_isic, img_dir, name)) as im:
                orig = im.size
            out = cv2.imread(osp.join(dst, img_dir, name))
            mask = cv2.imread(osp.join(dst, mask_dir,
                                       f'{image_id}_segmentation.png'),
                              cv2.IMREAD_UNCHANGED)
            assert max(out.shape[:2]) == min(120, max(orig))
            assert mask.shape == out.shape[:2]
            assert set(np.unique(mask)) <= {0, 255}
            row = sizes[sizes.path == osp.join(img_dir, name)].iloc[0]
            assert (row.width, row.height) == orig
    assert n_images == 24
    # second run: everything up to date, nothing rewritten
    before = {f: os.stat(osp.join(r, f)).st_mtime_ns
              for r, _, fs in os.walk(dst) for f in fs if f.endswith('.jpg')}
    res = subprocess.run(cmd, cwd=repo_root, capture_output=True, text=True,
                         timeout=300)
    assert '0 images written' in res.stdout
    after = {f: os.stat(osp.join(r, f)).st_mtime_ns
             for r, _, fs in os.walk(dst) for f in fs if f.endswith('.jpg')}
    assert before == after
