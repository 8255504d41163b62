"""ISIC 2017 Part 1 dataset, mask loading and the archive source."""
import os
import os.path as osp

import cv2
import numpy as np
import pandas as pd
import pytest
from mmseg.registry import DATASETS

import isic_plugins  # noqa: F401
from isic_plugins.datasets import binarize_isic_mask

pytestmark = pytest.mark.usefixtures("mmseg_scope")

PIPELINE = [dict(type='LoadImageFromFile'), dict(type='LoadISICAnnotations')]


def _write_pair(root, image_id, size=(30, 20), mask_suffix='_segmentation.png',
                mask_value=255):
    w, h = size
    os.makedirs(osp.join(root, 'images'), exist_ok=True)
    os.makedirs(osp.join(root, 'masks'), exist_ok=True)
    cv2.imwrite(osp.join(root, 'images', f'{image_id}.jpg'),
                np.full((h, w, 3), 128, np.uint8))
    mask = np.zeros((h, w), np.uint8)
    mask[h // 4:h // 2, w // 4:w // 2] = mask_value
    cv2.imwrite(osp.join(root, 'masks', image_id + mask_suffix), mask)


def _build(root, **kw):
    cfg = dict(type='ISIC2017SegmentationDataset', data_root=root,
               data_prefix=dict(img_path='images', seg_map_path='masks'),
               pipeline=PIPELINE)
    cfg.update(kw)
    return DATASETS.build(cfg)


def test_both_mask_spellings_and_binary_labels(tmp_path):
    _write_pair(str(tmp_path), 'ISIC_0000001')
    _write_pair(str(tmp_path), 'ISIC_0000002', mask_suffix='_Segmentation.png',
                mask_value=200)
    ds = _build(str(tmp_path))
    assert len(ds) == 2
    assert ds.metainfo['classes'] == ('background', 'lesion')
    for i in range(2):
        item = ds[i]
        assert set(np.unique(item['gt_seg_map'])) == {0, 1}
        assert item['gt_seg_map'].shape == item['img'].shape[:2]


def test_missing_mask_is_reported_by_name(tmp_path):
    _write_pair(str(tmp_path), 'ISIC_0000001')
    _write_pair(str(tmp_path), 'ISIC_0000002')
    os.remove(osp.join(tmp_path, 'masks', 'ISIC_0000002_segmentation.png'))
    with pytest.raises(FileNotFoundError, match='ISIC_0000002.jpg'):
        _build(str(tmp_path))


def test_missing_folder_names_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match='data_root'):
        _build(str(tmp_path / 'nope'))


def test_binarize_matches_isic_scorer():
    mask = np.array([[0, 128, 129, 255]], np.uint8)
    np.testing.assert_array_equal(binarize_isic_mask(mask), [[0, 0, 1, 1]])
    rgb = np.stack([mask] * 3, -1)
    np.testing.assert_array_equal(binarize_isic_mask(rgb), [[0, 0, 1, 1]])


def test_synthetic_challenge_layout(synthetic_isic):
    for split, n in (('Training', 12), ('Validation', 6), ('Test_v2', 6)):
        ds = _build(synthetic_isic, data_prefix=dict(
            img_path=f'ISIC-2017_{split}_Data',
            seg_map_path=f'ISIC-2017_{split}_Part1_GroundTruth'))
        assert len(ds) == n


def test_real_isic_sample(isic_sample):
    ds = _build(isic_sample)
    assert len(ds) == 40
    item = ds[0]
    assert item['gt_seg_map'].shape == item['img'].shape[:2]
    assert item['gt_seg_map'].max() == 1


def test_real_full_resolution_pair(isic_sample):
    ds = _build(osp.join(isic_sample, 'fullres'))
    item = ds[0]
    assert item['img'].shape[:2] == (2848, 4288)
    assert item['gt_seg_map'].shape == (2848, 4288)


def test_archive_filter(tmp_path):
    root = str(tmp_path)
    for i in range(4):
        _write_pair(root, f'ISIC_000000{i}')
    pd.DataFrame(dict(
        isic_id=[f'ISIC_000000{i}' for i in range(4)],
        segmentation_skill=['expert', 'novice', 'Expert', ''])).to_csv(
            osp.join(root, 'metadata.csv'), index=False)
    ds = DATASETS.build(dict(
        type='ISICArchiveSegmentationDataset', data_root=root,
        data_prefix=dict(img_path='images', seg_map_path='masks'),
        pipeline=PIPELINE))
    ids = [osp.basename(d['img_path']) for d in ds.load_data_list()]
    assert ids == ['ISIC_0000000.jpg', 'ISIC_0000002.jpg']


def test_archive_metadata_without_filter_column(tmp_path):
    root = str(tmp_path)
    _write_pair(root, 'ISIC_0000000')
    pd.DataFrame(dict(isic_id=['ISIC_0000000'])).to_csv(
        osp.join(root, 'metadata.csv'), index=False)
    with pytest.raises(ValueError, match='segmentation_skill'):
        DATASETS.build(dict(
            type='ISICArchiveSegmentationDataset', data_root=root,
            data_prefix=dict(img_path='images', seg_map_path='masks')))


def test_split_file_keeps_the_listed_images_only(tmp_path):
    """ann_file (an mmseg split file, relative to data_root) keeps the ids
    it lists; the other images and their masks are neither used nor
    reported; comments, blank lines and suffixes are tolerated."""
    for i in range(1, 6):
        _write_pair(str(tmp_path), f'ISIC_000000{i}')
    (tmp_path / 'split.txt').write_text(
        '# held out\nISIC_0000004\n\nISIC_0000002.jpg\n')
    ds = _build(str(tmp_path), ann_file='split.txt')
    assert [ds.get_data_info(i)['image_id'] for i in range(len(ds))] == [
        'ISIC_0000002', 'ISIC_0000004']
    assert ds[0]['gt_seg_map'].shape == (20, 30)


def test_split_file_problems_name_the_file(tmp_path):
    _write_pair(str(tmp_path), 'ISIC_0000001')
    (tmp_path / 'split.txt').write_text('ISIC_0000001\nISIC_0009999\n')
    with pytest.raises(ValueError, match='ISIC_0009999') as err:
        _build(str(tmp_path), ann_file='split.txt')
    assert 'split.txt' in str(err.value)
    assert 'make_fullframe_split.py' in str(err.value)
    with pytest.raises(FileNotFoundError, match='missing.txt'):
        _build(str(tmp_path), ann_file='missing.txt')


def test_archive_without_metadata_keeps_every_image_with_a_mask(tmp_path):
    """The layout of ``download_isic.py isic2018_task1``: no metadata."""
    root = str(tmp_path)
    for i in range(3):
        _write_pair(root, f'ISIC_000000{i}')
    os.remove(osp.join(root, 'masks', 'ISIC_0000001_segmentation.png'))
    ds = DATASETS.build(dict(
        type='ISICArchiveSegmentationDataset', data_root=root,
        metadata_file=None,
        data_prefix=dict(img_path='images', seg_map_path='masks'),
        pipeline=PIPELINE))
    ids = [osp.basename(d['img_path']) for d in ds.load_data_list()]
    assert ids == ['ISIC_0000000.jpg', 'ISIC_0000002.jpg']
