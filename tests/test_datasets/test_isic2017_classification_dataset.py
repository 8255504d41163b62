"""ISIC 2017 Part 3 dataset and the ISIC archive classification source."""
import os
import os.path as osp

import cv2
import numpy as np
import pandas as pd
import pytest
from mmpretrain.registry import DATASETS

import isic_plugins  # noqa: F401
from isic_plugins.datasets import isic_archive_classification_dataset

pytestmark = pytest.mark.usefixtures('mmpretrain_scope')

META_KEYS = ('img_path', 'image_id', 'melanoma', 'seborrheic_keratosis')
PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=16, edge='short'),
    dict(type='CenterCrop', crop_size=16),
    dict(type='PackInputs', meta_keys=META_KEYS),
]
# (image id, melanoma, seborrheic_keratosis): one of each diagnosis
ROWS = [('ISIC_0000001', 1, 0), ('ISIC_0000002', 0, 1), ('ISIC_0000003', 0, 0)]


def _write_images(root, ids, folder='images'):
    os.makedirs(osp.join(root, folder), exist_ok=True)
    for image_id in ids:
        cv2.imwrite(osp.join(root, folder, f'{image_id}.jpg'),
                    np.full((20, 30, 3), 128, np.uint8))


def _write_challenge(root, rows=ROWS, columns=None):
    _write_images(root, [r[0] for r in rows])
    table = pd.DataFrame(
        rows, columns=['image_id', 'melanoma', 'seborrheic_keratosis'])
    if columns is not None:
        table = table[columns]
    path = osp.join(root, 'labels.csv')
    table.to_csv(path, index=False)
    return path


def _build(root, **kw):
    cfg = dict(type='ISIC2017ClassificationDataset', data_root=root,
               ann_file='labels.csv', data_prefix='images',
               pipeline=PIPELINE)
    cfg.update(kw)
    return DATASETS.build(cfg)


@pytest.mark.parametrize('task,classes,labels', [
    ('multiclass', ('melanoma', 'seborrheic_keratosis', 'nevus'), [0, 1, 2]),
    ('melanoma', ('other', 'melanoma'), [1, 0, 0]),
    ('seborrheic_keratosis', ('other', 'seborrheic_keratosis'), [0, 1, 0]),
])
def test_task_decides_classes_and_labels(tmp_path, task, classes, labels):
    _write_challenge(str(tmp_path))
    ds = _build(str(tmp_path), task=task)
    assert ds.metainfo['classes'] == classes
    assert ds.metainfo['task'] == task
    assert ds.get_gt_labels().tolist() == labels
    # the original 0/1 columns stay, whatever the task
    for i, (image_id, mel, sk) in enumerate(ROWS):
        info = ds.get_data_info(i)
        assert (info['image_id'], info['melanoma'],
                info['seborrheic_keratosis']) == (image_id, mel, sk)


def test_pipeline_carries_both_ground_truths(tmp_path):
    _write_challenge(str(tmp_path))
    sample = _build(str(tmp_path), task='melanoma')[1]['data_samples']
    assert sample.gt_label.tolist() == [0]
    assert (sample.image_id, sample.melanoma,
            sample.seborrheic_keratosis) == ('ISIC_0000002', 0, 1)


def test_official_float_values_are_accepted(tmp_path):
    root = str(tmp_path)
    _write_images(root, ['ISIC_0000001', 'ISIC_0000002'])
    with open(osp.join(root, 'labels.csv'), 'w') as f:
        f.write('image_id,melanoma,seborrheic_keratosis\n'
                'ISIC_0000001,1.0,0.0\nISIC_0000002,0.0,0.0\n')
    assert _build(root).get_gt_labels().tolist() == [0, 2]


def test_invalid_task_lists_the_allowed_ones(tmp_path):
    _write_challenge(str(tmp_path))
    with pytest.raises(ValueError, match="multiclass.*melanoma.*'sk'"):
        _build(str(tmp_path), task='sk')


def test_missing_column_names_the_file(tmp_path):
    path = _write_challenge(str(tmp_path),
                            columns=['image_id', 'melanoma'])
    with pytest.raises(ValueError, match='seborrheic_keratosis') as err:
        _build(str(tmp_path))
    assert path in str(err.value)


def test_image_without_file_is_named(tmp_path):
    path = _write_challenge(str(tmp_path))
    os.remove(osp.join(tmp_path, 'images', 'ISIC_0000002.jpg'))
    with pytest.raises(FileNotFoundError, match='ISIC_0000002') as err:
        _build(str(tmp_path))
    assert path in str(err.value)


def test_values_outside_0_1_are_refused(tmp_path):
    path = _write_challenge(str(tmp_path), rows=[('ISIC_0000001', 2, 0)])
    with pytest.raises(ValueError, match="'melanoma' must hold 0 or 1") as e:
        _build(str(tmp_path))
    assert path in str(e.value)


def test_melanoma_and_sk_together_are_refused(tmp_path):
    path = _write_challenge(str(tmp_path), rows=[('ISIC_0000001', 1, 1)])
    with pytest.raises(ValueError, match='ISIC_0000001') as err:
        _build(str(tmp_path))
    assert path in str(err.value)


def test_synthetic_challenge_layout(synthetic_isic):
    for split, n in (('Training', 12), ('Validation', 6), ('Test_v2', 6)):
        ds = _build(synthetic_isic,
                    ann_file=f'ISIC-2017_{split}_Part3_GroundTruth.csv',
                    data_prefix=f'ISIC-2017_{split}_Data')
        assert len(ds) == n
        assert ds[0]['inputs'].shape == (3, 16, 16)


def test_real_isic_sample_labels(isic_sample):
    ds = _build(isic_sample)
    table = pd.read_csv(osp.join(isic_sample, 'labels.csv'))
    assert len(ds) == len(table) == 28
    assert sorted(ds.get_gt_labels().tolist()) == sorted(
        (0 if m else 1 if s else 2)
        for m, s in zip(table.melanoma, table.seborrheic_keratosis))
    assert ds[0]['inputs'].shape == (3, 16, 16)


def _write_archive(root, rows, **columns):
    _write_images(root, [r[0] for r in rows if r[3]])
    table = pd.DataFrame(
        [r[:3] for r in rows],
        columns=['isic_id', 'diagnosis', 'diagnosis_confirm_type'])
    table.rename(columns=columns).to_csv(
        osp.join(root, 'metadata.csv'), index=False)


# (id, diagnosis, confirmation, image file exists)
ARCHIVE = [
    ('ISIC_0000010', 'melanoma', 'histopathology', True),
    ('ISIC_0000011', 'Seborrheic Keratosis', 'single image expert consensus',
     True),
    ('ISIC_0000012', 'nevus', ' Histopathology ', True),
    ('ISIC_0000013', 'melanoma', 'serial imaging showing no change', True),
    ('ISIC_0000014', 'nevus', None, True),
    ('ISIC_0000015', 'basal cell carcinoma', 'histopathology', True),
    ('ISIC_0000016', 'nevus', 'histopathology', False),
]


def test_archive_keeps_confirmed_mapped_diagnoses(tmp_path, monkeypatch):
    logged = []
    monkeypatch.setattr(isic_archive_classification_dataset, 'print_log',
                        lambda msg, **kw: logged.append(msg))
    _write_archive(str(tmp_path), ARCHIVE)
    ds = DATASETS.build(dict(type='ISICArchiveClassificationDataset',
                             data_root=str(tmp_path), pipeline=PIPELINE))
    assert [ds.get_data_info(i)['image_id'] for i in range(len(ds))] == [
        'ISIC_0000010', 'ISIC_0000011', 'ISIC_0000012']
    assert ds.get_gt_labels().tolist() == [0, 1, 2]
    assert [(ds.get_data_info(i)['melanoma'],
             ds.get_data_info(i)['seborrheic_keratosis'])
            for i in range(3)] == [(1, 0), (0, 1), (0, 0)]
    assert ds[0]['inputs'].shape == (3, 16, 16)
    # kept 3 of 7: 2 unconfirmed, 1 other diagnosis, 1 without an image
    assert len(logged) == 1
    for fragment in ('kept 3 of 7', '2 not confirmed', '1 with another',
                     '1 without an image'):
        assert fragment in logged[0]


def test_archive_options_and_binary_task(tmp_path):
    _write_archive(str(tmp_path), ARCHIVE, isic_id='id', diagnosis='dx',
                   diagnosis_confirm_type='dx_type')
    ds = DATASETS.build(dict(
        type='ISICArchiveClassificationDataset', data_root=str(tmp_path),
        id_column='id', diagnosis_column='dx', filter_column='dx_type',
        accepted_values=['histopathology'],
        diagnosis_map={'melanoma': 'melanoma', 'nevus': 'nevus'},
        task='melanoma'))
    assert [ds.get_data_info(i)['image_id'] for i in range(len(ds))] == [
        'ISIC_0000010', 'ISIC_0000012']
    assert ds.get_gt_labels().tolist() == [1, 0]
    assert ds.metainfo['classes'] == ('other', 'melanoma')


def test_archive_without_filter_column_names_file_and_column(tmp_path):
    _write_archive(str(tmp_path), ARCHIVE,
                   diagnosis_confirm_type='confirmation')
    with pytest.raises(ValueError, match='diagnosis_confirm_type') as err:
        DATASETS.build(dict(type='ISICArchiveClassificationDataset',
                            data_root=str(tmp_path)))
    assert osp.join(str(tmp_path), 'metadata.csv') in str(err.value)


def test_archive_map_to_unknown_class_is_refused(tmp_path):
    _write_archive(str(tmp_path), ARCHIVE)
    with pytest.raises(ValueError, match='bcc'):
        DATASETS.build(dict(type='ISICArchiveClassificationDataset',
                            data_root=str(tmp_path),
                            diagnosis_map={'basal cell carcinoma': 'bcc'}))


def test_missing_image_folder_names_the_fix(tmp_path):
    _write_challenge(str(tmp_path))
    with pytest.raises(FileNotFoundError, match='data_root'):
        _build(str(tmp_path), data_prefix='nope')


@pytest.mark.parametrize('config,labels', [
    ('configs/cls_multiclass.py', [0, 1, 2, 0, 1, 2]),
    ('configs/cls_melanoma.py', [1, 0, 0, 1, 0, 0]),
])
def test_paper_training_set_joins_challenge_and_archive(
        tmp_path, repo_root, config, labels):
    from mmengine.config import Config
    challenge, archive = str(tmp_path / 'c'), str(tmp_path / 'a')
    _write_images(challenge, [r[0] for r in ROWS], 'ISIC-2017_Training_Data')
    pd.DataFrame(ROWS, columns=['image_id', 'melanoma',
                                'seborrheic_keratosis']).to_csv(
        osp.join(challenge, 'ISIC-2017_Training_Part3_GroundTruth.csv'),
        index=False)
    _write_archive(archive, ARCHIVE)
    cfg = Config.fromfile(osp.join(repo_root, config))
    cfg.merge_from_dict({
        'train_dataloader.dataset.datasets.0.data_root': challenge,
        'train_dataloader.dataset.datasets.1.data_root': archive})
    ds = DATASETS.build(cfg.train_dataloader.dataset)
    assert [ds.get_data_info(i)['gt_label'] for i in range(len(ds))] == labels
    assert ds[0]['inputs'].shape == (3, 224, 224)


def test_lesion_mask_dir_feeds_lesion_crop(tmp_path):
    root = str(tmp_path)
    _write_challenge(root)
    masks = osp.join(root, 'pred')
    os.makedirs(masks)
    for image_id, *_ in ROWS:
        mask = np.zeros((20, 30), np.uint8)
        mask[5:15, 10:20] = 255
        cv2.imwrite(osp.join(masks, f'{image_id}_segmentation.png'), mask)
    pipeline = [PIPELINE[0], dict(type='LesionCrop', margin=0.0),
                dict(type='PackInputs', meta_keys=('img_shape', ))]
    ds = _build(root, lesion_mask_dir=masks, pipeline=pipeline)
    assert ds.get_data_info(0)['lesion_mask_path'] == osp.join(
        masks, 'ISIC_0000001_segmentation.png')
    assert ds[0]['data_samples'].img_shape == (10, 10)
    assert 'Lesion masks' in repr(ds)


def test_missing_lesion_masks_are_named_with_the_command(tmp_path):
    root = str(tmp_path)
    _write_challenge(root)
    with pytest.raises(FileNotFoundError, match='predict.py'):
        _build(root, lesion_mask_dir=osp.join(root, 'nowhere'))
    masks = osp.join(root, 'pred')
    os.makedirs(masks)
    cv2.imwrite(osp.join(masks, 'ISIC_0000001_segmentation.png'),
                np.zeros((20, 30), np.uint8))
    with pytest.raises(FileNotFoundError,
                       match='no predicted mask for 2 of 3 images '
                       r'\(ISIC_0000002, ISIC_0000003\)'):
        _build(root, lesion_mask_dir=masks)
