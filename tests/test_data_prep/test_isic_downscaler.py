"""The offline downscaler: target sizes, and JPEG draft decoding."""
import os.path as osp

import numpy as np

from isic_plugins.data_prep import downscale_image, plan_jobs, target_size


def test_target_size():
    assert target_size(4288, 2848, 500, None) == (500, 332)
    assert target_size(2848, 4288, 500, None) == (332, 500)
    assert target_size(4288, 2848, None, 224) == (337, 224)
    assert target_size(300, 200, 500, None) == (300, 200)  # never upscales


def test_draft_decode_matches_full_decode(isic_sample):
    src = osp.join(isic_sample, 'fullres', 'images', 'ISIC_0014270.jpg')
    size_fn = lambda w, h: target_size(w, h, 500, None)  # noqa: E731
    fast = np.asarray(downscale_image(src, size_fn, draft=True), np.float32)
    full = np.asarray(downscale_image(src, size_fn, draft=False), np.float32)
    assert fast.shape == full.shape == (332, 500, 3)
    assert np.abs(fast - full).mean() < 3.0  # a few grey levels at most


def test_plan_skips_hidden_download_folder(tmp_path):
    src = tmp_path / 'ISIC2017'
    (src / 'ISIC-2017_Validation_Data').mkdir(parents=True)
    (src / 'ISIC-2017_Validation_Data' / 'ISIC_0000000.jpg').write_bytes(b'')
    (src / '.downloads').mkdir()
    (src / '.downloads' / 'ISIC-2017_Training_Data.zip.part').write_bytes(
        b'partial')
    jobs = plan_jobs(str(src), str(tmp_path / 'out'))
    assert [osp.relpath(j.src, src) for j in jobs] == [
        osp.join('ISIC-2017_Validation_Data', 'ISIC_0000000.jpg')]
    assert not (tmp_path / 'out' / '.downloads').exists()
