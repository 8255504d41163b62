# ISIC 2017 Part 3 (melanoma / seborrheic keratosis / nevus) plus the ISIC
# archive images with a confirmed diagnosis, as Bi et al. trained.
# All splits are read from ONE root of images prepared offline to a shorter
# side of 224 px (the paper's input size; the CSVs are copied along):
#   python tools/prepare_isic.py data/ISIC2017 data/ISIC2017_224 \
#       --shorter-side 224
#   python tools/prepare_isic.py data/ISIC_archive data/ISIC_archive_224 \
#       --shorter-side 224
# Classification is scored per image, not per pixel, so unlike segmentation
# nothing needs the original resolution; the pipelines resize anyway, so
# original images work too (slower to decode), e.g.
#   --cfg-options test_dataloader.dataset.data_root=data/ISIC2017
# The archive source is train_dataloader.dataset.datasets.1 (see
# ISICArchiveClassificationDataset for its folder and metadata CSV): an
# older export (images/ + metadata.csv) or what `isic image download` of the
# ISIC Archive's isic-cli writes (README: "Get the data"), found by itself.
dataset_type = 'ISIC2017ClassificationDataset'
data_root = 'data/ISIC2017_224'
archive_data_root = 'data/ISIC_archive_224'
task = 'multiclass'
data_preprocessor = dict(
    num_classes=3,
    # ImageNet statistics, as the pretrained backbone saw them (RGB)
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)
# ISICClassificationMetric scores both ISIC tasks from these, whatever the
# model's own task.
meta_keys = ('sample_idx', 'img_path', 'ori_shape', 'img_shape',
             'scale_factor', 'flip', 'flip_direction', 'image_id',
             'melanoma', 'seborrheic_keratosis')
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=224, edge='short'),
    dict(type='RandomCrop', crop_size=224),
    # independent flips: dermoscopy images have no canonical orientation
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandomFlip', prob=0.5, direction='vertical'),
    dict(type='PackInputs', meta_keys=meta_keys),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=224, edge='short'),
    dict(type='CenterCrop', crop_size=224),
    dict(type='PackInputs', meta_keys=meta_keys),
]
isic2017_train = dict(
    type=dataset_type,
    data_root=data_root,
    ann_file='ISIC-2017_Training_Part3_GroundTruth.csv',
    data_prefix='ISIC-2017_Training_Data',
    task=task,
    pipeline=train_pipeline)
isic_archive_train = dict(
    type='ISICArchiveClassificationDataset',
    data_root=archive_data_root,
    ann_file='metadata.csv',
    task=task,
    pipeline=train_pipeline)
train_dataloader = dict(
    batch_size=45,  # x 2 GPUs = the paper's batch of 90
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset', datasets=[isic2017_train, isic_archive_train]))
val_dataloader = dict(
    batch_size=45,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='ISIC-2017_Validation_Part3_GroundTruth.csv',
        data_prefix='ISIC-2017_Validation_Data',
        task=task,
        pipeline=test_pipeline))
# the same as validation, on the Test_v2 split
test_dataloader = dict(
    val_dataloader,
    dataset=dict(
        val_dataloader['dataset'],
        ann_file='ISIC-2017_Test_v2_Part3_GroundTruth.csv',
        data_prefix='ISIC-2017_Test_v2_Data'))
val_evaluator = dict(type='ISICClassificationMetric')
test_evaluator = val_evaluator
