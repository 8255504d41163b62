"""A sample that breaks mid-run stops the run naming it, or is skipped."""
import os.path as osp

import pytest
from mmseg.registry import DATASETS

import isic_plugins  # noqa: F401
from isic_plugins.datasets import BadSampleError, DataProblemError

pytestmark = pytest.mark.usefixtures('mmseg_scope')

PIPELINE = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='LoadISICAnnotations')
]


def _dataset(root, messy, **kw):
    for i in range(3):
        messy.image(osp.join(root, 'images', f'ISIC_000000{i}.jpg'))
        messy.mask(osp.join(root, 'masks', f'ISIC_000000{i}_segmentation.png'))
    return DATASETS.build(dict(
        type='ISIC2017SegmentationDataset', data_root=root,
        data_prefix=dict(img_path='images', seg_map_path='masks'),
        pipeline=PIPELINE, **kw))


def test_bad_sample_stops_by_default_naming_its_files(tmp_path, messy):
    ds = _dataset(str(tmp_path), messy)
    # broken after the dataset was built: only decoding can notice
    bad = messy.raw(str(tmp_path / 'images' / 'ISIC_0000001.jpg'), b'junk')
    with pytest.raises(BadSampleError) as err:
        ds[1]
    text = str(err.value)
    assert bad in text and 'ISIC_0000001_segmentation.png' in text
    assert "on_bad_sample='skip'" in text


def test_bad_sample_is_skipped_counted_and_logged(tmp_path, messy,
                                                  monkeypatch):
    ds = _dataset(str(tmp_path), messy, on_bad_sample='skip')
    bad = messy.raw(str(tmp_path / 'images' / 'ISIC_0000001.jpg'))
    logged = []
    monkeypatch.setattr(
        'isic_plugins.datasets.checked_dataset_mixin.print_log',
        lambda msg, **kw: logged.append(msg))
    item = ds[1]  # another sample in its place
    ds[1]
    assert item['img_path'] != bad
    assert len(logged) == 1  # once per file
    assert bad in logged[0] and '1 bad sample(s) skipped' in logged[0]
    assert list(ds.bad_samples) == [
        f'{bad} with mask '
        f'{osp.join(str(tmp_path), "masks", "ISIC_0000001_segmentation.png")}']


def test_skip_stops_after_too_many_and_in_test_mode(tmp_path, messy):
    ds = _dataset(str(tmp_path), messy, on_bad_sample='skip',
                  max_bad_samples=1)
    for i in range(3):
        messy.raw(str(tmp_path / 'images' / f'ISIC_000000{i}.jpg'))
    with pytest.raises(BadSampleError, match='more than max_bad_samples'):
        ds[0]
    test_ds = _dataset(str(tmp_path / 't'), messy, on_bad_sample='skip',
                       test_mode=True)
    bad = messy.raw(str(tmp_path / 't' / 'images' / 'ISIC_0000002.jpg'))
    with pytest.raises(BadSampleError, match=bad):
        test_ds[2]


def test_policy_is_validated(tmp_path, messy):
    with pytest.raises(ValueError, match=r"\['stop', 'skip'\].*'ignore'"):
        _dataset(str(tmp_path), messy, on_bad_sample='ignore')


def test_dataset_with_no_sample_is_an_error(tmp_path, messy):
    import pandas as pd
    root = str(tmp_path)
    messy.image(osp.join(root, 'images', 'ISIC_0000001.jpg'))
    messy.mask(osp.join(root, 'masks', 'ISIC_0000001_segmentation.png'))
    pd.DataFrame(dict(isic_id=['ISIC_0000001'],
                      segmentation_skill=['novice'])).to_csv(
                          osp.join(root, 'metadata.csv'), index=False)
    with pytest.raises(DataProblemError, match='no image of .* is accepted'):
        DATASETS.build(dict(
            type='ISICArchiveSegmentationDataset', data_root=root,
            data_prefix=dict(img_path='images', seg_map_path='masks')))
