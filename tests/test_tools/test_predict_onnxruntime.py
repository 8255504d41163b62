"""tools/predict.py --backend onnxruntime: without torch or OpenMMLab, the
same files as the PyTorch path; files of another model refused."""
import os
import os.path as osp
import subprocess

import cv2
import numpy as np
import pandas as pd
import pytest

#: What the light install (pip install '.[onnx]') does not have.
HEAVY = ('torch', 'torchvision', 'mmengine', 'mmcv', 'mmseg', 'mmpretrain')

#: Runs tools/predict.py with HEAVY unimportable, as in a venv without
#: them, then names any of them that got loaded anyway.
LIGHT_RUN = '''
import runpy, sys
HEAVY = {heavy!r}
for name in HEAVY:
    sys.modules[name] = None  # import raises ImportError, as if absent
sys.argv = ['tools/predict.py'] + {args!r}
try:
    runpy.run_path('tools/predict.py', run_name='__main__')
finally:
    print('LOADED', sorted(m for m, v in sys.modules.items()
                           if v is not None and m.split('.')[0] in HEAVY))
'''


@pytest.fixture(scope='module')
def folder(tmp_path_factory):
    from isic_plugins.testing import render_sample
    out = tmp_path_factory.mktemp('predict_ort_images')
    for i, (h, w) in enumerate([(240, 320), (181, 203)]):
        img, _ = render_sample(np.random.default_rng(10 + i), i, h, w)
        cv2.imwrite(str(out / f'ISIC_{i:07d}.jpg'), img[..., ::-1])
    (out / 'ISIC_9999999.jpg').write_bytes(b'')  # empty: skipped, said so
    # a link whose target is gone (e.g. a relative link made elsewhere)
    os.symlink(str(out / 'gone.jpg'), str(out / 'ISIC_9999998.jpg'))
    return str(out)


def test_light_backend_writes_what_pytorch_writes(python, repo_root,
                                                  exported_models, folder,
                                                  tmp_path):
    ort_out, torch_out = str(tmp_path / 'ort'), str(tmp_path / 'torch')
    args = [folder, '--backend', 'onnxruntime', '--seg-checkpoint',
            exported_models['seg_onnx'], '--cls-checkpoint',
            exported_models['cls_onnx'], '--tta', '--out', ort_out]
    res = subprocess.run(
        [python, '-c', LIGHT_RUN.format(heavy=HEAVY, args=args)],
        cwd=repo_root, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    assert 'LOADED []' in res.stdout, res.stdout[-2000:]
    assert 'ISIC_9999999.jpg: the file is empty' in res.stdout
    assert 'ISIC_9999998.jpg: a link to' in res.stdout
    assert '2 images (2 skipped): masks in' in res.stdout
    res = subprocess.run(
        [python, 'tools/predict.py', folder, '--seg-config',
         exported_models['seg'], '--seg-checkpoint',
         exported_models['seg_pth'], '--cls-config', exported_models['cls'],
         '--cls-checkpoint', exported_models['cls_pth'], '--tta', '--out',
         torch_out], cwd=repo_root, capture_output=True, text=True,
        timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    for name in ('predictions.csv', 'lesions.csv'):
        ours = pd.read_csv(osp.join(ort_out, name))
        theirs = pd.read_csv(osp.join(torch_out, name))
        assert list(ours.columns) == list(theirs.columns)
        assert list(ours.image_id) == ['ISIC_0000000', 'ISIC_0000001']
        np.testing.assert_allclose(ours.iloc[:, 1:], theirs.iloc[:, 1:],
                                   atol=1e-3)
    for i in range(2):
        name = f'ISIC_{i:07d}_segmentation.png'
        ours = cv2.imread(osp.join(ort_out, 'masks', name),
                          cv2.IMREAD_UNCHANGED)
        theirs = cv2.imread(osp.join(torch_out, 'masks', name),
                            cv2.IMREAD_UNCHANGED)
        assert ours.dtype == np.uint8 and ours.shape == theirs.shape
        assert (ours == theirs).mean() >= 0.999
        assert osp.isfile(osp.join(ort_out, 'overlays',
                                   f'ISIC_{i:07d}_overlay.jpg'))


def test_onnx_of_another_model_is_refused(python, repo_root,
                                          exported_models, folder,
                                          tmp_path):
    res = subprocess.run(
        [python, 'tools/predict.py', folder, '--backend', 'onnxruntime',
         '--seg-config', exported_models['cls'], '--seg-checkpoint',
         exported_models['seg_onnx'], '--out', str(tmp_path / 'out')],
        cwd=repo_root, capture_output=True, text=True, timeout=600)
    assert res.returncode != 0
    assert exported_models['seg_onnx'] in res.stderr
    assert exported_models['cls'] in res.stderr
    res = subprocess.run(
        [python, 'tools/predict.py', folder, '--seg-checkpoint',
         exported_models['seg_onnx'], '--seg-config',
         exported_models['seg'], '--out', str(tmp_path / 'out')],
        cwd=repo_root, capture_output=True, text=True, timeout=600)
    assert res.returncode != 0
    assert '--backend onnxruntime' in res.stderr
