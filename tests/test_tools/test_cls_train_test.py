"""Classification: tools/train.py, tools/build_ensemble.py and tools/test.py
end to end on tiny data (CPU, seconds)."""
import json
import os.path as osp
import subprocess

import numpy as np
import pandas as pd
import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner.checkpoint import save_checkpoint
from mmpretrain.registry import MODELS
from sklearn.metrics import roc_auc_score

from isic_plugins.datasets.isic_layout import lesion_mask_dir, mask_dir

QUICK = 'configs/quickstart/cls_{}_quick.py'
TASKS = ('melanoma', 'seborrheic_keratosis')
FAST = ['train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
        'default_hooks.checkpoint.interval=1',
        'train_dataloader.batch_size=4']
for _split in ('train', 'val', 'test'):
    FAST += [f'{_split}_dataloader.num_workers=0',
             f'{_split}_dataloader.persistent_workers=False']


def _run(python, repo_root, *args):
    res = subprocess.run([python, *args], cwd=repo_root, capture_output=True,
                         text=True, timeout=600)
    assert res.returncode == 0, (res.stdout[-2000:], res.stderr[-4000:])
    return res


def _roots(root):
    # training: the first (only) member of the ConcatDataset
    return [f'train_dataloader.dataset.datasets.0.data_root={root}'] + [
        f'{split}_dataloader.dataset.data_root={root}'
        for split in ('val', 'test')
    ]


def _test_ground_truth(root):
    return pd.read_csv(
        osp.join(root, 'ISIC-2017_Test_v2_Part3_GroundTruth.csv'))


def _sklearn_aucs(csv_path, root, tasks=TASKS):
    """AUC per task, recomputed from the submission CSV alone."""
    merged = pd.read_csv(csv_path).merge(
        _test_ground_truth(root), on='image_id', suffixes=('', '_gt'))
    assert len(merged) == len(_test_ground_truth(root))
    return {t: roc_auc_score(merged[f'{t}_gt'], merged[t]) for t in tasks}


@pytest.fixture(scope='module')
def trained(python, repo_root, synthetic_isic, tmp_path_factory):
    """Train the 3-class and the melanoma quick configs for one epoch.

    Each run validates once, so the binary model's scoring runs too.
    """
    work = tmp_path_factory.mktemp('cls_work')
    ckpts = {}
    for name in ('multiclass', 'melanoma'):
        _run(python, repo_root, 'tools/train.py', QUICK.format(name),
             '--work-dir', str(work / name), '--cfg-options', *FAST,
             *_roots(synthetic_isic))
        ckpts[name] = str(work / name / 'epoch_1.pth')
        assert osp.isfile(ckpts[name])
    return ckpts


def test_multiclass_metrics_match_sklearn_on_the_csv(
        python, repo_root, synthetic_isic, trained, tmp_path):
    work = str(tmp_path / 'work')
    out = str(tmp_path / 'submission' / 'part3.csv')
    _run(python, repo_root, 'tools/test.py', QUICK.format('multiclass'),
         trained['multiclass'], '--work-dir', work, '--out', out,
         '--cfg-options', *FAST, *_roots(synthetic_isic))
    with open(osp.join(work, 'metrics.json')) as f:
        metrics = json.load(f)
    aucs = _sklearn_aucs(out, synthetic_isic)
    for task in TASKS:
        assert abs(metrics[f'isic/{task}_auc'] - aucs[task]) < 1e-9
        assert osp.isfile(tmp_path / 'submission' / f'ROC_{task}.png')
    assert abs(metrics['isic/mean_auc'] - np.mean(list(aucs.values()))) < 1e-9
    assert 'isic/mean_ap' in metrics


def test_ensemble_build_then_test(python, repo_root, synthetic_isic, trained,
                                  tmp_path):
    # The SK member is not trained (its training path is the melanoma
    # one): the fresh weights of its config stand in for its checkpoint.
    init_default_scope('mmpretrain')
    sk_cfg = Config.fromfile(
        osp.join(repo_root, QUICK.format('seborrheic_keratosis')))
    sk_ckpt = str(tmp_path / 'sk.pth')
    save_checkpoint(dict(state_dict=MODELS.build(sk_cfg.model).state_dict()),
                    sk_ckpt)
    members = [f'model.multiclass.checkpoint={trained["multiclass"]}',
               f'model.melanoma.checkpoint={trained["melanoma"]}',
               f'model.seborrheic_keratosis.checkpoint={sk_ckpt}']
    ensemble = str(tmp_path / 'ensemble.pth')
    _run(python, repo_root, 'tools/build_ensemble.py',
         QUICK.format('ensemble'), ensemble, '--cfg-options', *members)

    work = str(tmp_path / 'work')
    out = str(tmp_path / 'ensemble.csv')
    _run(python, repo_root, 'tools/test.py', QUICK.format('ensemble'),
         ensemble, '--work-dir', work, '--out', out, '--cfg-options', *FAST,
         *_roots(synthetic_isic))
    with open(osp.join(work, 'metrics.json')) as f:
        metrics = json.load(f)
    aucs = _sklearn_aucs(out, synthetic_isic)
    assert abs(metrics['isic/mean_auc'] - np.mean(list(aucs.values()))) < 1e-9



def test_lesion_classifier_api_matches_tools_test(
        python, repo_root, synthetic_isic, trained, tmp_path, monkeypatch):
    """isic_plugins.apis.LesionClassifier gives the submission CSV's values."""
    from isic_plugins.apis import LesionClassifier
    out = str(tmp_path / 'part3.csv')
    _run(python, repo_root, 'tools/test.py', QUICK.format('multiclass'),
         trained['multiclass'], '--work-dir', str(tmp_path / 'w'), '--out',
         out, '--cfg-options', *FAST, *_roots(synthetic_isic))
    monkeypatch.chdir(repo_root)
    classifier = LesionClassifier(QUICK.format('multiclass'),
                                  trained['multiclass'])
    table = pd.read_csv(out).set_index('image_id')
    image_dir = osp.join(synthetic_isic, 'ISIC-2017_Test_v2_Data')
    for image_id in table.index[:3]:
        probs = classifier(osp.join(image_dir, f'{image_id}.jpg'))
        for task in TASKS:
            assert abs(probs[task] - table.loc[image_id, task]) < 1e-5


def test_real_data_lesion_crop_config_trains_and_tests(
        python, repo_root, synthetic_isic, tmp_path):
    """The real-data lesion-crop classifier (ImageNet EfficientNet-Lite0,
    LesionCrop from cached masks) through tools/train.py and tools/test.py;
    the "predicted" masks here are copies of the ground truth."""
    import shutil
    masks = str(tmp_path / 'lesion_masks')
    for split in ('Training', 'Test_v2'):
        shutil.copytree(osp.join(synthetic_isic, mask_dir(split)),
                        lesion_mask_dir(masks, split))
    train, test = (lesion_mask_dir(masks, s) for s in ('Training', 'Test_v2'))
    config = ('configs/realdata/'
              'effnetlite0_multiclass-8e_isic2017-lesioncrop_224px.py')
    opts = [*FAST, *_roots(synthetic_isic),
            f'train_dataloader.dataset.datasets.0.lesion_mask_dir={train}',
            f'val_dataloader.dataset.lesion_mask_dir={test}',
            f'test_dataloader.dataset.lesion_mask_dir={test}',
            'test_evaluator.bootstrap=50', 'val_evaluator.bootstrap=50']
    work = str(tmp_path / 'work')
    _run(python, repo_root, 'tools/train.py', config, '--work-dir', work,
         '--cfg-options', *opts)
    out = str(tmp_path / 'part3.csv')
    _run(python, repo_root, 'tools/test.py', config,
         osp.join(work, 'epoch_1.pth'), '--work-dir', work, '--out', out,
         '--cfg-options', *opts)
    metrics = json.load(open(osp.join(work, 'metrics.json')))
    assert metrics['isic/mean_auc_ci_low'] <= metrics['isic/mean_auc']
    aucs = _sklearn_aucs(out, synthetic_isic)
    for task in TASKS:
        assert metrics[f'isic/{task}_auc'] == pytest.approx(aucs[task])
