"""Folder, pair and CSV checks: every problem at once, each naming a file."""
import os
import os.path as osp

import pandas as pd
import pytest
from mmpretrain.registry import DATASETS as CLS_DATASETS
from mmseg.registry import DATASETS as SEG_DATASETS

import isic_plugins  # noqa: F401
from isic_plugins.datasets import DataProblemError, MissingDataError
from isic_plugins.datasets.layout_checks import (
    check_part3_table,
    pair_masks,
    read_csv,
    scan_image_folder,
)


def _errors(problems):
    return [p for p in problems if p.is_error]


def test_missing_data_root_is_named(tmp_path):
    root = str(tmp_path / 'nope')
    ids, problems = scan_image_folder(osp.join(root, 'images'), '.jpg',
                                      data_root=root)
    assert ids == {}
    (error, ) = problems
    assert error.path == root and 'data root does not exist' in error.message
    assert 'data_root' in error.fix and error.missing_file


def test_empty_folder_is_an_error(tmp_path):
    os.makedirs(tmp_path / 'images')
    _, problems = scan_image_folder(str(tmp_path / 'images'), '.jpg')
    (error, ) = _errors(problems)
    assert error.path == str(tmp_path / 'images')
    assert 'no images <id>.jpg' in error.message and 'empty' in error.message


def test_duplicate_ids_and_unused_spellings(tmp_path, messy):
    img = str(tmp_path / 'images')
    for name in ('ISIC_0000001.jpg', 'ISIC_0000001.JPG', 'ISIC_0000002.JPG',
                 'ISIC_0000003.jpg', 'ISIC_0000003_superpixels.png'):
        messy.image(osp.join(img, name))
    ids, problems = scan_image_folder(img, '.jpg')
    assert sorted(ids) == ['ISIC_0000001', 'ISIC_0000003']
    (dup, ) = _errors(problems)
    assert dup.path == osp.join(img, 'ISIC_0000001.jpg')
    assert 'ISIC_0000001.JPG' in dup.message
    (note, ) = [p for p in problems if not p.is_error]
    assert note.path == osp.join(img, 'ISIC_0000002.JPG')
    assert 'not used' in note.message


def test_masks_without_image_and_images_without_mask(tmp_path, messy):
    img, gt = str(tmp_path / 'images'), str(tmp_path / 'masks')
    paths = {i: messy.image(osp.join(img, f'{i}.jpg'))
             for i in ('ISIC_0000001', 'ISIC_0000002')}
    messy.mask(osp.join(gt, 'ISIC_0000001_segmentation.png'))
    messy.mask(osp.join(gt, 'ISIC_0000009_segmentation.png'))
    found, problems = pair_masks(paths, gt, ('_segmentation.png', ))
    assert list(found) == ['ISIC_0000001']
    assert {(osp.basename(p.path), p.message.split(' ')[0])
            for p in problems} == {('ISIC_0000002.jpg', 'no'),
                                   ('ISIC_0000009_segmentation.png', 'mask')}


def _csv(tmp_path, text, name='labels.csv'):
    path = str(tmp_path / name)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


def test_csv_edited_by_hand_is_read(tmp_path):
    # Excel: byte-order mark, blanks, ';' separator
    path = _csv(tmp_path, '\ufeffimage_id ; melanoma;seborrheic_keratosis\n'
                ' ISIC_0000001 ;1.0;0\n')
    table, problems = read_csv(path)
    assert list(table.columns) == ['image_id', 'melanoma',
                                   'seborrheic_keratosis']
    assert table.iloc[0].tolist() == ['ISIC_0000001', '1.0', '0']
    (note, ) = problems
    assert note.severity == 'note' and note.path == path


def test_empty_or_missing_csv(tmp_path):
    path = _csv(tmp_path, '')
    assert read_csv(path)[1][0].message.endswith('is empty')
    missing = str(tmp_path / 'nope.csv')
    (error, ) = read_csv(missing)[1]
    assert error.path == missing and error.missing_file


def test_part3_missing_columns(tmp_path):
    path = _csv(tmp_path, 'image_id,melanoma\nISIC_0000001,1\n')
    _, problems = check_part3_table(read_csv(path)[0], path)
    (error, ) = problems
    assert error.path == path and 'seborrheic_keratosis' in error.message


def test_part3_every_row_problem_at_once(tmp_path):
    path = _csv(tmp_path, 'image_id,melanoma,seborrheic_keratosis\n'
                'ISIC_0000001,1.0,0.0\n'   # fine
                ',0,0\n'                   # no id
                'ISIC_0000003,2,0\n'       # outside {0, 1}
                'ISIC_0000004,0,yes\n'     # outside {0, 1}
                'ISIC_0000005,1,1\n'       # both
                'ISIC_0000006,0,0\n'       # no image
                'ISIC_0000001,0,0\n')      # repeated id
    images = {f'ISIC_000000{i}': f'/img/ISIC_000000{i}.jpg'
              for i in (1, 3, 4, 5, 7)}
    table, problems = check_part3_table(read_csv(path)[0], path, images,
                                        '/img')
    assert table.empty  # every row has a problem
    text = '\n'.join(p.format() for p in problems)
    for fragment in ('row 3 (no id)', "'melanoma' must hold 0 or 1",
                     "row 4 (ISIC_0000003): '2'",
                     "row 5 (ISIC_0000004): 'yes'",
                     'exclude each other): row 6 (ISIC_0000005)',
                     'have no image <id>.jpg in /img: ISIC_0000006',
                     'more than one row: row 2 (ISIC_0000001), row 8',
                     'have no row and are not used: ISIC_0000007'):
        assert fragment in text
    assert all(p.path == path for p in problems)
    assert len(_errors(problems)) == 6


def test_segmentation_dataset_lists_all_problems_at_once(tmp_path, messy,
                                                         mmseg_scope):
    root = str(tmp_path)
    for i in (1, 2, 3):
        messy.image(osp.join(root, 'images', f'ISIC_000000{i}.jpg'))
    messy.image(osp.join(root, 'images', 'ISIC_0000003.JPG'))
    for i in (1, 3, 4):
        messy.mask(osp.join(root, 'masks', f'ISIC_000000{i}_segmentation.png'))
    with pytest.raises(DataProblemError) as err:
        SEG_DATASETS.build(dict(
            type='ISIC2017SegmentationDataset', data_root=root,
            data_prefix=dict(img_path='images', seg_map_path='masks')))
    text = str(err.value)
    assert not isinstance(err.value, MissingDataError)  # a duplicate too
    for name in ('ISIC_0000002.jpg: no mask', 'ISIC_0000003.JPG',
                 'ISIC_0000004_segmentation.png: mask without an image',
                 'tools/check_dataset.py'):
        assert name in text
    assert len(err.value.problems) == 3


def test_archive_metadata_without_filter_column_names_the_file(
        tmp_path, messy, mmseg_scope):
    root = str(tmp_path)
    messy.image(osp.join(root, 'images', 'ISIC_0000001.jpg'))
    messy.mask(osp.join(root, 'masks', 'ISIC_0000001_segmentation.png'))
    pd.DataFrame(dict(isic_id=['ISIC_0000001'], skill=['expert'])).to_csv(
        osp.join(root, 'metadata.csv'), index=False)
    with pytest.raises(DataProblemError) as err:
        SEG_DATASETS.build(dict(
            type='ISICArchiveSegmentationDataset', data_root=root,
            data_prefix=dict(img_path='images', seg_map_path='masks')))
    assert osp.join(root, 'metadata.csv') in str(err.value)
    assert "'segmentation_skill' (filter_column" in str(err.value)


def test_classification_dataset_lists_all_csv_problems(tmp_path, messy,
                                                       mmpretrain_scope):
    root = str(tmp_path)
    messy.image(osp.join(root, 'images', 'ISIC_0000001.jpg'))
    path = _csv(tmp_path, 'image_id,melanoma,seborrheic_keratosis\n'
                'ISIC_0000001,1,1\nISIC_0000002,0,0\nISIC_0000003,3,0\n')
    with pytest.raises(DataProblemError) as err:
        CLS_DATASETS.build(dict(type='ISIC2017ClassificationDataset',
                                data_root=root, ann_file='labels.csv',
                                data_prefix='images'))
    text = str(err.value)
    assert text.count(path) == 3
    for fragment in ('ISIC_0000001', 'ISIC_0000002', "'melanoma' must hold"):
        assert fragment in text
