"""tools/train.py + tools/test.py end to end on tiny data (CPU, seconds)."""
import json
import os
import os.path as osp
import subprocess

import cv2
import numpy as np

from isic_plugins.datasets.isic_layout import lesion_mask_dir, mask_name

QUICK = 'configs/quickstart/seg_quick.py'
FAST = ['train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
        'default_hooks.checkpoint.interval=1',
        'train_dataloader.batch_size=4',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False']


def _run(python, repo_root, *args):
    res = subprocess.run([python, *args], cwd=repo_root, capture_output=True,
                         text=True, timeout=600)
    assert res.returncode == 0, (res.stdout[-2000:], res.stderr[-4000:])
    return res


def _roots(root, split):
    return [f'{split}_dataloader.dataset.data_root={root}']


def test_train_then_test_writes_submission(python, repo_root, synthetic_isic,
                                           tmp_path):
    work = str(tmp_path / 'work')
    roots = (_roots(synthetic_isic, 'train') + _roots(synthetic_isic, 'val') +
             _roots(synthetic_isic, 'test'))
    _run(python, repo_root, 'tools/train.py', QUICK, '--work-dir', work,
         '--cfg-options', *FAST, *roots)
    ckpt = osp.join(work, 'epoch_1.pth')
    assert osp.isfile(ckpt)
    out = str(tmp_path / 'submission')
    _run(python, repo_root, 'tools/test.py', QUICK, ckpt, '--work-dir', work,
         '--out', out, '--cfg-options', *FAST, *roots)
    with open(osp.join(work, 'metrics.json')) as f:
        metrics = json.load(f)
    for key in ('jaccard', 'dice', 'accuracy', 'sensitivity', 'specificity',
                'threshold_jaccard'):
        assert 0.0 <= metrics[f'isic/{key}'] <= 1.0
    img_dir = osp.join(synthetic_isic, 'ISIC-2017_Test_v2_Data')
    import os
    ids = sorted(f[:-4] for f in os.listdir(img_dir))
    for image_id in ids:
        mask = cv2.imread(osp.join(out, f'{image_id}_segmentation.png'),
                          cv2.IMREAD_UNCHANGED)
        image = cv2.imread(osp.join(img_dir, f'{image_id}.jpg'))
        assert mask.shape == image.shape[:2]
        assert set(mask.ravel().tolist()) <= {0, 255}


def test_real_sample_trains_and_predicts_full_resolution(
        python, repo_root, isic_sample, tmp_path):
    work = str(tmp_path / 'work')
    prefix = ['dataset.data_prefix.img_path=images',
              'dataset.data_prefix.seg_map_path=masks']
    train = [f'train_dataloader.{p}' for p in prefix] + \
        _roots(isic_sample, 'train')
    val = [f'val_dataloader.{p}' for p in prefix] + \
        _roots(osp.join(isic_sample, 'fullres'), 'val')
    _run(python, repo_root, 'tools/train.py', QUICK, '--work-dir', work,
         '--cfg-options', *FAST, *train, *val)
    out = str(tmp_path / 'fullres_masks')
    test = [f'test_dataloader.{p}' for p in prefix] + \
        _roots(osp.join(isic_sample, 'fullres'), 'test')
    _run(python, repo_root, 'tools/test.py', QUICK,
         osp.join(work, 'epoch_1.pth'), '--work-dir', work, '--out', out,
         '--cfg-options', *FAST, *test)
    for image_id in ('ISIC_0014270', 'ISIC_0014386'):
        mask = cv2.imread(osp.join(out, f'{image_id}_segmentation.png'),
                          cv2.IMREAD_UNCHANGED)
        assert mask.shape == (2848, 4288)

    # tools/predict.py on new full-resolution images, with TTA
    pred_out = str(tmp_path / 'predict')
    _run(python, repo_root, 'tools/predict.py',
         osp.join(isic_sample, 'fullres', 'images'), '--seg-config', QUICK,
         '--seg-checkpoint', osp.join(work, 'epoch_1.pth'), '--tta',
         '--out', pred_out)
    for image_id in ('ISIC_0014270', 'ISIC_0014386'):
        mask = cv2.imread(
            osp.join(lesion_mask_dir(pred_out), mask_name(image_id)),
            cv2.IMREAD_UNCHANGED)
        assert mask.shape == (2848, 4288)
        assert set(mask.ravel().tolist()) <= {0, 255}
        assert osp.isfile(
            osp.join(pred_out, 'overlays', f'{image_id}_overlay.jpg'))

    # --masks-only: the lesion-mask cache of segmentation-guided
    # classification; a mask already there is kept (resuming), no overlays
    cache = str(tmp_path / 'cache')
    os.makedirs(lesion_mask_dir(cache))
    kept = osp.join(lesion_mask_dir(cache), 'ISIC_0014270_segmentation.png')
    cv2.imwrite(kept, np.full((2848, 4288), 255, np.uint8))
    _run(python, repo_root, 'tools/predict.py',
         osp.join(isic_sample, 'fullres', 'images'), '--seg-config', QUICK,
         '--seg-checkpoint', osp.join(work, 'epoch_1.pth'), '--masks-only',
         '--out', cache)
    assert cv2.imread(kept, cv2.IMREAD_GRAYSCALE).min() == 255
    new = cv2.imread(osp.join(lesion_mask_dir(cache),
                              'ISIC_0014386_segmentation.png'),
                     cv2.IMREAD_UNCHANGED)
    assert new.shape == (2848, 4288)
    assert not osp.exists(osp.join(cache, 'overlays'))
    assert sorted(os.listdir(lesion_mask_dir(cache))) == [
        'ISIC_0014270_segmentation.png', 'ISIC_0014386_segmentation.png']


def test_missing_pretrained_weights_fail_fast(python, repo_root, tmp_path):
    res = subprocess.run(
        [python, 'tools/train.py', 'configs/seg_resnet.py', '--work-dir',
         str(tmp_path), '--cfg-options',
         'model.backbone.init_cfg.checkpoint=/nonexistent/resnet50.pth'],
        cwd=repo_root, capture_output=True, text=True, timeout=120)
    assert res.returncode != 0
    assert '/nonexistent/resnet50.pth' in res.stderr
    assert 'init_cfg=None' in res.stderr


def test_classical_baseline_on_the_real_sample(python, repo_root, isic_sample,
                                               tmp_path):
    """tools/test.py with no weights scores the Otsu baseline like a model."""
    opts = ['--cfg-options',
            f'test_dataloader.dataset.data_root={isic_sample}',
            'test_dataloader.dataset.data_prefix.img_path=images',
            'test_dataloader.dataset.data_prefix.seg_map_path=masks',
            'test_dataloader.num_workers=0',
            'test_dataloader.persistent_workers=False']
    _run(python, repo_root, 'tools/test.py', 'configs/baselines/seg_otsu.py',
         'none', '--work-dir', str(tmp_path), *opts)
    with open(osp.join(tmp_path, 'metrics.json')) as f:
        jaccard = json.load(f)['isic/jaccard']
    assert 0.5 < jaccard < 0.8  # a real baseline: far from chance and from 1
    res = subprocess.run([python, 'tools/test.py', QUICK, 'none',
                          '--work-dir', str(tmp_path / 'x'), *opts],
                         cwd=repo_root, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode != 0 and 'has learned weights' in res.stderr
