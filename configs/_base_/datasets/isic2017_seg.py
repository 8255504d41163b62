# ISIC 2017 Part 1. Training reads images downscaled offline to 500 px on
# the longer side (tools/prepare_isic.py data/ISIC2017 data/ISIC2017_500);
# validation and test read the ORIGINAL images, resize them to 500 px in the
# pipeline, and are scored against the original masks at the original
# resolution (the model restores its prediction to `ori_shape`), as the
# ISIC 2017 challenge scored Part 1.
# Images are read as stored, ignoring any EXIF orientation, like the masks
# and the ISIC scorer: an EXIF-rotated JPEG would otherwise be turned while
# its mask is not (tools/check_dataset.py notes such images).
dataset_type = 'ISIC2017SegmentationDataset'
data_root = 'data/ISIC2017'
train_data_root = 'data/ISIC2017_500'
img_scale = (500, 500)  # longer side 500, aspect kept
crop_size = (400, 400)
train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='LoadISICAnnotations'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(
        type='RandomFlip',
        prob=[0.25, 0.25, 0.25],
        direction=['horizontal', 'vertical', 'diagonal']),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    # after Resize: the ground truth stays at the original resolution
    dict(type='LoadISICAnnotations'),
    dict(type='PackSegInputs')
]
isic2017_train = dict(
    type=dataset_type,
    data_root=train_data_root,
    data_prefix=dict(
        img_path='ISIC-2017_Training_Data',
        seg_map_path='ISIC-2017_Training_Part1_GroundTruth'),
    pipeline=train_pipeline)
train_dataloader = dict(
    batch_size=5,  # x 2 GPUs = the paper's batch of 10
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=isic2017_train)
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='ISIC-2017_Validation_Data',
            seg_map_path='ISIC-2017_Validation_Part1_GroundTruth'),
        pipeline=test_pipeline))
# the same as validation, on the Test_v2 split
test_dataloader = dict(
    val_dataloader,
    dataset=dict(
        val_dataloader['dataset'],
        data_prefix=dict(
            img_path='ISIC-2017_Test_v2_Data',
            seg_map_path='ISIC-2017_Test_v2_Part1_GroundTruth')))
val_evaluator = dict(type='ISICSegmentationMetric')
test_evaluator = val_evaluator
# `tools/test.py --tta` (the runtime's ISICSegTTAModel makes the scales and
# flips itself): the paper's three scales around the 500 px training size,
# read as tta_model=dict(scales=_base_.tta_scales); the pipeline keeps the
# original image and its mask for scoring
tta_scales = [(400, 400), (500, 500), (600, 600)]
tta_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='LoadISICAnnotations'),
    dict(type='PackSegInputs')
]
