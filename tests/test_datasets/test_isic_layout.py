"""The ISIC names everything else imports: folders, ids, submission masks."""
import cv2
import numpy as np
import pytest

from isic_plugins.datasets import isic_layout


def test_challenge_folder_names():
    # spelled out here on purpose: these are the names of the real release
    names = [isic_layout.SPLIT_NAMES[k] for k in ('train', 'val', 'test')]
    assert names == ['Training', 'Validation', 'Test_v2']
    assert isic_layout.image_dir('Training') == 'ISIC-2017_Training_Data'
    assert isic_layout.mask_dir('Validation') == \
        'ISIC-2017_Validation_Part1_GroundTruth'
    assert isic_layout.part3_csv('Test_v2') == \
        'ISIC-2017_Test_v2_Part3_GroundTruth.csv'


@pytest.mark.parametrize('path', [
    'data/ISIC-2017_Training_Data/ISIC_0000000.jpg',
    '/abs/ISIC-2017_Training_Part1_GroundTruth/ISIC_0000000_segmentation.png',
    'masks/ISIC_0000000_Segmentation.png',
    'ISIC_0000000.JPG',
])
def test_image_id_of_image_and_mask_paths(path):
    assert isic_layout.image_id_of(path) == 'ISIC_0000000'


def test_mask_name_round_trips():
    name = isic_layout.mask_name('ISIC_0012345')
    assert name == 'ISIC_0012345_segmentation.png'
    assert isic_layout.image_id_of(name) == 'ISIC_0012345'


@pytest.mark.parametrize('lesion', [1, 255, True])
def test_submission_mask_is_0_255_at_the_given_size(tmp_path, lesion):
    pred = np.zeros((37, 53), dtype=bool if lesion is True else np.uint8)
    pred[5:20, 10:40] = lesion
    path = isic_layout.write_submission_mask(pred, str(tmp_path),
                                             'ISIC_0000007')
    assert path == str(tmp_path / 'ISIC_0000007_segmentation.png')
    written = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    assert written.shape == (37, 53) and written.dtype == np.uint8
    assert set(np.unique(written)) == {0, 255}
    assert np.array_equal(written == 255, pred > 0)


def test_submission_mask_into_a_missing_folder_raises(tmp_path):
    with pytest.raises(OSError, match='could not write'):
        isic_layout.write_submission_mask(
            np.zeros((4, 4), np.uint8), str(tmp_path / 'missing'), 'ISIC_1')


def test_lesion_mask_cache_layout():
    # <root>/<split>/masks/<id>_segmentation.png: spelled out, as the real
    # data configs and tools/realdata.sh spell it
    folder = isic_layout.lesion_mask_dir('work_dirs/lesion_masks', 'Test_v2')
    assert folder == 'work_dirs/lesion_masks/Test_v2/masks'
    # tools/predict.py --out DIR: the split folder is DIR itself
    assert isic_layout.lesion_mask_dir('work_dirs/lesion_masks/Test_v2') == \
        folder


def test_configs_read_lesion_masks_from_the_cache_layout(
        repo_root, tmp_path, monkeypatch):
    """Every config's lesion_mask_dir is lesion_mask_dir(ISIC_LESION_MASKS,
    a split): where tools/predict.py --out ISIC_LESION_MASKS/<split> puts
    the masks (the ISIC splits, and the splits the cls pipeline's lesion-
    mask step writes, e.g. the HAM10000 archive's)."""
    import glob
    import os.path as osp

    from mmengine.config import Config
    root = str(tmp_path / 'cache')
    monkeypatch.setenv('ISIC_LESION_MASKS', root)
    from isic_plugins.realdata.cls_table import CLS
    splits = set(isic_layout.SPLIT_NAMES.values())
    splits |= {split for split, _ in CLS.masks.splits}
    cache = {isic_layout.lesion_mask_dir(root, split) for split in splits}

    def folders(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == 'lesion_mask_dir':
                    yield value
                else:
                    yield from folders(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                yield from folders(value)

    read = {}
    for path in glob.glob(osp.join(repo_root, 'configs', '**', '*.py'),
                          recursive=True):
        if '_base_' in path.split(osp.sep):
            continue
        with open(path) as f:
            if 'lesion' not in f.read():
                continue
        cfg = Config.fromfile(path)
        read.update({value: path for value in folders(cfg.to_dict())})
    assert read, 'no config reads a lesion-mask cache any more'
    assert {v: read[v] for v in read if v not in cache} == {}
