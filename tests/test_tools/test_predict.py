"""tools/predict.py --masks-only writes the lesion-mask cache that the
classification dataset's lesion_mask_dir and LesionCrop read."""
import os
import os.path as osp
import subprocess

import pytest
from mmpretrain.registry import DATASETS

import isic_plugins  # noqa: F401
from isic_plugins.datasets import isic_layout

TINY = 'tests/data/tiny_seg_config.py'


@pytest.mark.usefixtures('mmpretrain_scope')
def test_mask_cache_round_trip(python, repo_root, synthetic_isic,
                               tiny_seg_checkpoint, tmp_path):
    root = str(tmp_path / 'lesion_masks')
    split = isic_layout.SPLIT_NAMES['test']
    res = subprocess.run(
        [python, 'tools/predict.py',
         osp.join(synthetic_isic, isic_layout.image_dir(split)),
         '--seg-config', TINY, '--seg-checkpoint', tiny_seg_checkpoint,
         '--masks-only', '--out', osp.join(root, split)],
        cwd=repo_root, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    folder = isic_layout.lesion_mask_dir(root, split)
    assert f'masks in {folder}' in res.stdout
    dataset = DATASETS.build(dict(
        type='ISIC2017ClassificationDataset',
        data_root=synthetic_isic,
        ann_file=isic_layout.part3_csv(split),
        data_prefix=isic_layout.image_dir(split),
        lesion_mask_dir=folder,
        pipeline=[dict(type='LoadImageFromFile'), dict(type='LesionCrop')]))
    ids = sorted(info['image_id'] for info in dataset.load_data_list())
    assert sorted(os.listdir(folder)) == [
        isic_layout.mask_name(i) for i in ids]
    for index in range(len(dataset)):
        assert osp.isfile(dataset.get_data_info(index)['lesion_mask_path'])
    assert 'lesion_box' in dataset[0]
