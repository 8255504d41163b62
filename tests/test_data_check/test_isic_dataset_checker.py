"""Each broken or unusual file is reported with its name and a fix."""
import os.path as osp

import numpy as np
import pytest
from mmengine.config import Config
from mmseg.registry import DATASETS

import isic_plugins  # noqa: F401
from isic_plugins.data_check import (
    ISICDatasetChecker,
    LoadingOptions,
    inspect_image,
    inspect_mask,
)

pytestmark = pytest.mark.usefixtures('mmseg_scope')

IGNORE = dict(type='LoadImageFromFile', color_type='color_ignore_orientation')
PIPELINE = [IGNORE, dict(type='LoadISICAnnotations')]


def _only(problems, severity):
    """The one problem of ``severity``; fails listing them otherwise."""
    found = [p for p in problems if p.severity == severity]
    assert len(found) == 1, problems
    return found[0]


@pytest.mark.parametrize('case', ['truncated', 'zero_byte', 'not_an_image'])
def test_undecodable_image_is_an_error(tmp_path, messy, case):
    path = str(tmp_path / 'ISIC_0000001.jpg')
    if case == 'truncated':
        messy.truncated(path)
        expected = 'truncated or corrupt'
    elif case == 'zero_byte':
        messy.raw(path)
        expected = 'empty file (0 bytes)'
    else:
        messy.raw(path, b'<!DOCTYPE html><html>404 Not Found</html>')
        expected = 'not an image'
    shape, _, problems = inspect_image(path)
    assert shape is None
    error = _only(problems, 'error')
    assert error.path == path and expected in error.message
    assert 'ISIC_0000001.jpg' in error.format() and error.fix
    if case == 'not_an_image':
        assert 'web page' in error.message


def test_jpeg_corrupt_in_the_middle_is_an_error(tmp_path, messy):
    """Bytes overwritten mid-file: OpenCV and Pillow decode it silently."""
    path = messy.corrupt_middle(str(tmp_path / 'ISIC_0000001.jpg'),
                                size=(96, 96))
    shape, _, problems = inspect_image(path)
    assert shape is None
    error = _only(problems, 'error')
    assert error.path == path
    assert 'corrupt JPEG data (libjpeg: Corrupt JPEG data' in error.message
    assert 're-download' in error.fix


@pytest.mark.parametrize('mode,fmt,expected', [
    ('L', 'JPEG', 'grayscale'),
    ('RGBA', 'PNG', 'alpha channel is dropped'),
    ('I;16', 'PNG', '16-bit'),
    ('CMYK', 'JPEG', 'CMYK'),
])
def test_converted_images_are_notes(tmp_path, messy, mode, fmt, expected):
    # named .jpg whatever the content: the decoders look at the bytes
    path = messy.pil_image(str(tmp_path / 'ISIC_0000002.jpg'), mode, fmt=fmt)
    shape, _, problems = inspect_image(path)
    assert shape == (16, 24)
    note = _only(problems, 'note')
    assert note.path == path and expected in note.message
    assert not [p for p in problems if p.is_error]


def test_exif_rotation_is_a_note_and_sizes_follow_the_pipeline(
        tmp_path, messy):
    img = messy.pil_image(str(tmp_path / 'ISIC_0000003.jpg'), 'RGB',
                          fmt='JPEG', exif_orientation=6)
    mask = messy.mask(str(tmp_path / 'ISIC_0000003_segmentation.png'))
    # as isic_plugins' configs read it: stored pixels, mask fits
    stored = LoadingOptions(apply_orientation=False)
    shape, orientation, problems = inspect_image(img, stored)
    assert (shape, orientation) == ((16, 24), 6)
    assert 'EXIF orientation 6' in _only(problems, 'note').message
    assert inspect_mask(mask, shape, img, orientation, stored) == []
    # a pipeline that turns the image: the stored-orientation mask no
    # longer fits, and the fix says how to load the image
    turned = LoadingOptions(apply_orientation=True, color_type='color')
    shape, _, _ = inspect_image(img, turned)
    assert shape == (24, 16)
    error = _only(inspect_mask(mask, shape, img, 6, turned), 'error')
    assert error.path == mask and 'ISIC_0000003.jpg' in error.message
    assert 'color_ignore_orientation' in error.fix


def test_mask_of_another_size_names_both_files(tmp_path, messy):
    img = messy.image(str(tmp_path / 'ISIC_0000004.jpg'), size=(24, 16))
    mask = messy.mask(str(tmp_path / 'ISIC_0000004_segmentation.png'),
                      size=(20, 16))
    error = _only(inspect_mask(mask, (16, 24), img), 'error')
    assert error.path == mask
    assert '20x16' in error.message and 'ISIC_0000004.jpg is 24x16' in \
        error.message
    assert 'nearest' in error.fix


def test_anti_aliased_mask_is_a_note_with_a_count(tmp_path, messy):
    mask = messy.mask(str(tmp_path / 'ISIC_0000005_segmentation.png'),
                      values=(0, 200))
    note = _only(inspect_mask(mask, (16, 24)), 'note')
    # the 6x4 lesion box holds 200: 24 pixels, all kept (> 128)
    assert note.path == mask
    assert '24 pixel(s)' in note.message and '24 lesion pixel(s)' in \
        note.message


def test_label_style_mask_that_binarises_to_nothing_is_an_error(
        tmp_path, messy):
    mask = messy.mask(str(tmp_path / 'ISIC_0000006_segmentation.png'),
                      values=(0, 1))
    error = _only(inspect_mask(mask, (16, 24)), 'error')
    assert error.path == mask and 'no lesion pixel' in error.message


def test_multi_channel_masks(tmp_path, messy):
    same = messy.mask(str(tmp_path / 'ISIC_0000007_segmentation.png'),
                      channels=3)
    note = _only(inspect_mask(same, (16, 24)), 'note')
    assert note.path == same and '3-channel' in note.message
    import cv2
    differ = str(tmp_path / 'ISIC_0000008_segmentation.png')
    colour = np.zeros((16, 24, 3), np.uint8)
    colour[4:8, 6:12, 2] = 255  # red lesion: blue channel stays 0
    cv2.imwrite(differ, colour)
    error = _only(inspect_mask(differ, (16, 24)), 'error')
    assert error.path == differ and 'channels differ' in error.message


def test_one_bit_mask_is_read_as_lesion(tmp_path, messy):
    path = messy.pil_image(str(tmp_path / 'ISIC_0000009_segmentation.png'),
                           '1', fmt='PNG')
    # the helper paints 128 outside, 20 inside: as 1-bit, 255 / 0
    assert [p for p in inspect_mask(path, (16, 24)) if p.is_error] == []


def test_exif_rotated_pair_stays_aligned_in_training(tmp_path, messy):
    """The configs' loader keeps image and stored-orientation mask aligned;
    a loader that turns the image fails naming the files."""
    root = str(tmp_path)
    messy.pil_image(osp.join(root, 'images', 'ISIC_0000010.jpg'), 'RGB',
                    fmt='JPEG', exif_orientation=6)
    messy.mask(osp.join(root, 'masks', 'ISIC_0000010_segmentation.png'))
    cfg = dict(type='ISIC2017SegmentationDataset', data_root=root,
               data_prefix=dict(img_path='images', seg_map_path='masks'))
    item = DATASETS.build(dict(cfg, pipeline=PIPELINE))[0]
    assert item['img'].shape[:2] == item['gt_seg_map'].shape == (16, 24)
    lesion = item['gt_seg_map'] == 1
    assert item['img'][lesion].mean() < 60 < item['img'][~lesion].mean()
    turned = DATASETS.build(dict(cfg, pipeline=[
        dict(type='LoadImageFromFile'), dict(type='LoadISICAnnotations')]))
    with pytest.raises(Exception, match='ISIC_0000010_segmentation.png') as e:
        turned[0]
    assert 'EXIF' in str(e.value) and 'ISIC_0000010.jpg' in str(e.value)


def _config(**loaders):
    cfg = dict(default_scope='mmseg')
    for split, dataset in loaders.items():
        cfg[f'{split}_dataloader'] = dict(dataset=dataset)
    return Config(cfg)


def _seg(root, img='images', masks='masks', pipeline=PIPELINE):
    return dict(type='ISIC2017SegmentationDataset', data_root=root,
                data_prefix=dict(img_path=img, seg_map_path=masks),
                pipeline=pipeline)


def test_checker_finds_duplicates_leakage_and_pipeline_errors(
        tmp_path, messy):
    root = str(tmp_path)
    for folder, ids in (('a', (1, 2)), ('b', (2, 3)), ('val', (3, 4))):
        for i in ids:
            messy.image(osp.join(root, folder, 'img', f'ISIC_000000{i}.jpg'))
            messy.mask(osp.join(root, folder, 'gt',
                                f'ISIC_000000{i}_segmentation.png'))
    cfg = _config(
        train=dict(type='ConcatDataset', datasets=[
            _seg(osp.join(root, 'a'), 'img', 'gt'),
            _seg(osp.join(root, 'b'), 'img', 'gt')]),
        val=_seg(osp.join(root, 'val'), 'img', 'gt', pipeline=[
            IGNORE, dict(type='LoadAnnotations')]))
    checked, cross = ISICDatasetChecker(cfg, progress=False).run()
    assert [c.key for c in checked] == [
        'train_dataloader.dataset.datasets.0',
        'train_dataloader.dataset.datasets.1', 'val_dataloader.dataset']
    assert [c.samples for c in checked] == [2, 2, 2]
    messages = {(osp.basename(p.path), p.message.split(':')[0]) for p in cross}
    assert messages == {
        ('ISIC_0000002.jpg', 'duplicate image id ISIC_0000002'),
        ('ISIC_0000003.jpg', 'image id ISIC_0000003 is in the training data '
         '(train_dataloader.dataset.datasets.1) and in the val data ('
         f'{osp.join(root, "val", "img", "ISIC_0000003.jpg")})')}
    dup = next(p for p in cross if 'duplicate' in p.message)
    assert osp.join(root, 'a', 'img', 'ISIC_0000002.jpg') in dup.message
    val_errors = [p for p in checked[2].problems if p.is_error]
    assert len(val_errors) == 1 and 'LoadAnnotations' in val_errors[0].message


def test_checker_reports_a_dataset_that_cannot_be_built(tmp_path):
    cfg = _config(test=dict(type='NoSuchDataset'))
    checked, _ = ISICDatasetChecker(cfg, progress=False).run()
    error = _only(checked[0].problems, 'error')
    assert error.path == 'test_dataloader.dataset'
    assert 'NoSuchDataset' in error.message
