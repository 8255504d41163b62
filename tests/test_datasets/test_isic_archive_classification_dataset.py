"""ISICArchiveClassificationDataset on what ``isic image download`` writes.

``tests/data/isic_cli_metadata.csv`` has the columns isic-cli's
``metadata.csv`` has (``isic_id``, ``attribution``, ``copyright_license``,
then the image's acquisition and clinical fields in sorted order, as
``isic_cli.cli.utils._extract_metadata`` writes them) and one row per case:
melanoma subtypes (in situ, invasive with a subtype, NOS), seborrheic
keratoses (plain, clonal), nevi (compound, a sclerosing blue nevus at the
5th level), and rows to drop: unconfirmed (serial imaging, blank), other
diagnoses (basal cell carcinoma, solar lentigo, a collision, an
indeterminate proliferation), a path outside the ISIC taxonomy, no
diagnosis, no image. The images are ``<isic_id>.JPG`` (or ``.jpg``) beside
it, as isic-cli saves them.
"""
import functools
import os.path as osp
import shutil

import cv2
import numpy as np
import pandas as pd
import pytest
from mmpretrain.registry import DATASETS

import isic_plugins  # noqa: F401
from isic_plugins.datasets import (
    archive_diagnosis,
    isic_archive_classification_dataset,
)

pytestmark = pytest.mark.usefixtures('mmpretrain_scope')

FIXTURE = osp.join(osp.dirname(osp.dirname(__file__)), 'data',
                   'isic_cli_metadata.csv')
NO_IMAGE = 'ISIC_0000113'
KEPT = {  # id -> (gt_label for multiclass, melanoma, seborrheic_keratosis)
    'ISIC_0000100': (0, 1, 0),  # melanoma in situ
    'ISIC_0000101': (0, 1, 0),  # invasive, superficial spreading
    'ISIC_0000102': (0, 1, 0),  # melanoma, NOS
    'ISIC_0000103': (1, 0, 1),  # seborrheic keratosis
    'ISIC_0000104': (1, 0, 1),  # seborrheic keratosis, clonal
    'ISIC_0000105': (2, 0, 0),  # nevus, NOS, compound
    'ISIC_0000106': (2, 0, 0),  # blue nevus, sclerosing
}


@pytest.fixture(params=['.JPG', '.jpg'])
def isic_cli_folder(tmp_path, request):
    """A folder as ``isic image download ... DIR`` leaves it (it keeps the
    archive file's extension: '.JPG' in its own tests, or '.jpg')."""
    root = tmp_path / 'isic_cli'
    root.mkdir()
    shutil.copy(FIXTURE, root / 'metadata.csv')
    for image_id in pd.read_csv(FIXTURE).isic_id:
        if image_id != NO_IMAGE:
            cv2.imwrite(str(root / f'{image_id}{request.param}'),
                        np.full((20, 30, 3), 128, np.uint8))
    (root / 'attribution.txt').write_text('Anonymous\n')
    (root / 'licenses').mkdir()
    (root / 'licenses' / 'CC-0.txt').write_text('CC0 1.0\n')
    return str(root)


def test_isic_cli_folder_is_read_as_it_is(isic_cli_folder, monkeypatch):
    logged = []
    monkeypatch.setattr(isic_archive_classification_dataset, 'print_log',
                        lambda msg, **kw: logged.append(msg))
    ds = DATASETS.build(dict(type='ISICArchiveClassificationDataset',
                             data_root=isic_cli_folder))
    infos = [ds.get_data_info(i) for i in range(len(ds))]
    assert {i['image_id']: (i['gt_label'], i['melanoma'],
                            i['seborrheic_keratosis'])
            for i in infos} == KEPT
    assert osp.dirname(infos[0]['img_path']) == isic_cli_folder
    assert osp.isfile(infos[0]['img_path'])
    counts = np.bincount(ds.get_gt_labels(), minlength=3).tolist()
    assert counts == [3, 2, 2]  # melanoma, seborrheic keratosis, nevus
    assert len(logged) == 1
    log = logged[0]
    for fragment in (
            'kept 7 of 16 rows',
            "dropped 2 not confirmed by diagnosis_confirm_type in "
            "('histopathology', 'single image expert consensus') (1 blank, "
            "1 'serial imaging showing no change')",
            '4 with another diagnosis than',
            'ISIC_0000109, ISIC_0000110, ISIC_0000114, ISIC_0000115',
            '1 with a diagnosis outside the ISIC taxonomy (ISIC_0000111): '
            "'Benign:Benign melanocytic proliferations:Nevus:Nevus, "
            "Imaginary' x1",
            '1 without a diagnosis (ISIC_0000112)',
            f'1 without an image in {isic_cli_folder} ({NO_IMAGE})'):
        assert fragment in log, log


@pytest.mark.parametrize('task,labels', [
    ('melanoma', [1, 1, 1, 0, 0, 0, 0]),
    ('seborrheic_keratosis', [0, 0, 0, 1, 1, 0, 0]),
])
def test_binary_tasks_on_isic_cli_folder(isic_cli_folder, task, labels):
    ds = DATASETS.build(dict(type='ISICArchiveClassificationDataset',
                             data_root=isic_cli_folder, task=task))
    assert ds.get_gt_labels().tolist() == labels


def test_hierarchical_roots_can_be_changed(isic_cli_folder):
    """A class root given as a taxonomy path, e.g. melanoma in situ only."""
    ds = DATASETS.build(dict(
        type='ISICArchiveClassificationDataset', data_root=isic_cli_folder,
        hierarchical_roots={
            'melanoma': 'Malignant:Malignant melanocytic proliferations '
            '(Melanoma):Melanoma in situ',
            'nevus': 'Benign:Benign melanocytic proliferations:Nevus'}))
    assert [ds.get_data_info(i)['image_id'] for i in range(len(ds))] == [
        'ISIC_0000100', 'ISIC_0000105', 'ISIC_0000106']
    with pytest.raises(ValueError, match='not in the ISIC taxonomy'):
        DATASETS.build(dict(
            type='ISICArchiveClassificationDataset',
            data_root=isic_cli_folder,
            hierarchical_roots={'nevus': 'Benign:Moles'}))


def test_flat_diagnosis_column_fills_rows_without_a_hierarchy(
        isic_cli_folder):
    meta = pd.read_csv(osp.join(isic_cli_folder, 'metadata.csv'))
    meta['diagnosis'] = ''
    meta.loc[meta.isic_id == 'ISIC_0000112', 'diagnosis'] = 'nevus'
    meta.to_csv(osp.join(isic_cli_folder, 'metadata.csv'), index=False)
    ds = DATASETS.build(dict(type='ISICArchiveClassificationDataset',
                             data_root=isic_cli_folder))
    ids = [ds.get_data_info(i)['image_id'] for i in range(len(ds))]
    assert ids == sorted(KEPT) + ['ISIC_0000112']


def test_metadata_without_any_diagnosis_column_is_an_error(isic_cli_folder):
    meta = pd.read_csv(osp.join(isic_cli_folder, 'metadata.csv'))
    meta.drop(columns=list(archive_diagnosis.HIERARCHY_COLUMNS)).to_csv(
        osp.join(isic_cli_folder, 'metadata.csv'), index=False)
    with pytest.raises(ValueError, match='no diagnosis column') as err:
        DATASETS.build(dict(type='ISICArchiveClassificationDataset',
                            data_root=isic_cli_folder))
    assert 'diagnosis_1' in str(err.value)


def test_taxonomy_paths():
    mapper = archive_diagnosis.HierarchicalDiagnosisMap()
    mel = 'Malignant:Malignant melanocytic proliferations (Melanoma)'
    assert mapper.classify_path(mel + ':Melanoma metastasis') == 'melanoma'
    assert mapper.classify_path(mel) == 'melanoma'
    assert mapper.classify_path(
        'Benign:Benign melanocytic proliferations:Nevus:Nevus, Spitz') == \
        'nevus'
    # a sibling of the nevus root is not a nevus
    assert mapper.classify_path(
        'Benign:Benign melanocytic proliferations:Dermal melanocytosis:'
        'Nevus of Ota') == archive_diagnosis.OTHER
    assert mapper.classify_path('Benign:Moles') == archive_diagnosis.UNKNOWN
    assert mapper.classify(['', None, float('nan')]) == \
        archive_diagnosis.BLANK
    assert archive_diagnosis.path_of(['Benign', 'Benign epidermal '
                                      'proliferations', ' ', 'x']) == \
        'Benign:Benign epidermal proliferations'


# -- the large archive (HAM10000) as the real-data configs read it --------
REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
HAM = osp.join(REPO, '..', 'shared', 'ham10000_archive')
#: The 3-class archive configs, by their use of "benign keratosis".
BKL_CONFIGS = {
    use: osp.join(REPO, 'configs', 'realdata',
                  f'effnetlite0_multiclass-496it_isic2017+ham6k-bkl-{use}'
                  '_224px.py')
    for use in ('out', 'sk', 'nevus')
}
#: HAM10000's diagnoses and confirmations, in the archive's words.
HAM_ROWS = [
    ('melanoma', 'histopathology'),
    ('melanoma', 'histopathology'),
    ('benign keratosis', 'histopathology'),
    ('benign keratosis', 'confocal microscopy with consensus dermoscopy'),
    ('benign keratosis', 'single contributor clinical assessment'),
    ('nevus', 'serial imaging showing no change'),
    ('nevus', 'single contributor clinical assessment'),
    ('nevus', 'histopathology'),
    ('basal cell carcinoma', 'histopathology'),  # never kept
]


@functools.lru_cache()
def _ham_settings(config_path):
    """The archive dataset of a real-data config."""
    from mmengine.config import Config
    cfg = Config.fromfile(config_path)
    ham = cfg.train_dataloader.dataset.datasets[1].to_dict()
    assert ham['type'] == 'ISICArchiveClassificationDataset'
    return ham


def _ham_dataset(config_path, data_root, task='multiclass'):
    """The archive dataset of a real-data config, on ``data_root``."""
    return DATASETS.build(dict(_ham_settings(config_path),
                               data_root=data_root, task=task, pipeline=[]))


def _labels(dataset):
    return [dataset.get_data_info(i)['gt_label']
            for i in range(len(dataset))]


@pytest.mark.parametrize('use,counts', [
    ('out', [2, 0, 3]),  # [melanoma, SK, nevus]
    ('sk', [2, 3, 3]),
    ('nevus', [2, 0, 6]),
])
def test_benign_keratosis_variants_count_per_class(tmp_path, use, counts):
    """Each configured use of HAM10000's "benign keratosis": every image
    kept whatever its (HAM10000) confirmation, BKL where the config says."""
    root = tmp_path / 'ham'
    (root / 'images').mkdir(parents=True)
    ids = [f'ISIC_{24306 + i:07d}' for i in range(len(HAM_ROWS))]
    for image_id in ids:
        cv2.imwrite(str(root / 'images' / f'{image_id}.jpg'),
                    np.full((15, 20, 3), 128, np.uint8))
    pd.DataFrame(dict(isic_id=ids, diagnosis=[d for d, _ in HAM_ROWS],
                      diagnosis_confirm_type=[c for _, c in HAM_ROWS])
                 ).to_csv(root / 'metadata.csv', index=False)
    dataset = _ham_dataset(BKL_CONFIGS[use], str(root))
    assert np.bincount(_labels(dataset), minlength=3).tolist() == counts
    # the SK binary model sees the same SK images as the 3-class model
    sk = _ham_dataset(BKL_CONFIGS[use], str(root), 'seborrheic_keratosis')
    assert sum(_labels(sk)) == counts[1]


def test_benign_keratosis_variants_on_the_real_archive():
    """On ../shared/ham10000_archive (its 6,000 rows and image listing):
    the counts its README gives, for each use of "benign keratosis"."""
    if not osp.isfile(osp.join(HAM, 'metadata.csv')):
        pytest.skip(f'the large archive is not at {HAM}')
    expected = dict(out=[1112, 0, 3790], sk=[1112, 1098, 3790],
                    nevus=[1112, 0, 4888])
    for use, counts in expected.items():
        labels = _labels(_ham_dataset(BKL_CONFIGS[use], HAM))
        assert np.bincount(labels, minlength=3).tolist() == counts, use
