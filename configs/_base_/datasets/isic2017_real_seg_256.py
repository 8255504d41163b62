# Real ISIC 2017 images (../shared/isic2017_real, or the full challenge
# data: same layout) for CPU training at 256 px.
# - Training reads a copy downscaled offline to 256 px on the longer side
#   (tools/prepare_isic.py ROOT work_dirs/realdata/data_256 --longer-side
#   256): decoding 512 px JPEGs every epoch would cost more than the
#   forward pass. Test reads the images as stored and is scored at that
#   resolution (the model restores its prediction to `ori_shape`).
# - Validation and test are the challenge's Test_v2 split (the validation
#   images are not in the shared set): only the last checkpoint is scored,
#   nothing is selected on it.
# - 256 px, random scale 0.9-1.5 and 224 px crops: the encoder's stride-32
#   map stays >= 7x7 at a cost a 2-core CPU affords (measured speeds:
#   README, "Table 1 on real images").
# The roots come from the environment (tools/realdata.sh sets them), or
# --cfg-options on the dataset keys:
#   ISIC_REAL_ROOT        the data set as stored (test);
#                         default data/isic2017_real
#   ISIC_REAL_TRAIN_ROOT  its 256 px copy (training);
#                         default data/isic2017_real_256
data_root = '{{$ISIC_REAL_ROOT:data/isic2017_real}}'
train_data_root = '{{$ISIC_REAL_TRAIN_ROOT:data/isic2017_real_256}}'
img_scale = (256, 256)
crop_size = (224, 224)
# Test and TTA resize by the SHORTER side (fit in 1024x256 keeping the
# ratio: shorter side 256 for any image up to 4:1). On the square crops of
# Test_v2 it is the same as the longer side; on full frames (4:3, 3:2) the
# longer-side resize shrank the lesion below the scale the model trained
# at (README, "Table 1 on real images": the full-frame column).
test_scale = (1024, 256)
train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='LoadISICAnnotations'),
    dict(
        type='RandomResize',
        scale=img_scale,
        ratio_range=(0.9, 1.5),
        keep_ratio=True),
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
    dict(type='Resize', scale=test_scale, keep_ratio=True),
    # after Resize: the ground truth stays at the stored resolution
    dict(type='LoadISICAnnotations'),
    dict(type='PackSegInputs')
]
isic2017_train = dict(
    type='ISIC2017SegmentationDataset',
    data_root=train_data_root,
    data_prefix=dict(
        img_path='ISIC-2017_Training_Data',
        seg_map_path='ISIC-2017_Training_Part1_GroundTruth'),
    pipeline=train_pipeline)
# the stand-in for the paper's archive images (stage 1 lists it)
archive_train = dict(
    type='ISICArchiveSegmentationDataset',
    data_root=train_data_root + '/archive',
    data_prefix=dict(img_path='images', seg_map_path='masks'),
    metadata_file='metadata.csv',
    pipeline=train_pipeline)
# The full-frame validation split: the 341 training images that keep their
# true proportions (the others are 512 px square crops), listed by
# tools/make_fullframe_split.py in splits/. The configs under
# configs/fullframe/ train on the crops alone (isic2017_train_crops); the
# real-data driver scores them on the full frames (the test set's
# ann_file and folders set to these, isic_plugins.realdata) and on Test_v2.
splits_dir = '{{fileDirname}}/splits'
isic2017_train_crops = dict(
    isic2017_train, ann_file=splits_dir + '/isic2017_training_crops.txt')
# The large-scale archive stand-in (../shared/ham10000_archive: 6,000
# HAM10000 full-field images, mostly 200x150 px, with expert masks), read
# as stored: ISIC_HAM_ROOT, default data/ham10000_archive
ham_root = '{{$ISIC_HAM_ROOT:data/ham10000_archive}}'
ham10000_train = dict(archive_train, data_root=ham_root)
# The training sets of the real-data runs, as the config names call them
# (isic2017: the 1,969 challenge training images; crops: their 1,628 square
# crops; arch138: the 138 archive images; ham6k: the 6,000 HAM10000 images)
isic2017_arch138 = [isic2017_train, archive_train]
crops_arch138 = [isic2017_train_crops, archive_train]
crops_arch138_ham6k = crops_arch138 + [ham10000_train]
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    # a list, so that stage 1 adds the archive by naming both
    dataset=dict(type='ConcatDataset', datasets=[isic2017_train]))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ISIC2017SegmentationDataset',
        data_root=data_root,
        data_prefix=dict(
            img_path='ISIC-2017_Test_v2_Data',
            seg_map_path='ISIC-2017_Test_v2_Part1_GroundTruth'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='ISICSegmentationMetric')
test_evaluator = val_evaluator
# The paper's multi-scale + flip TTA (tools/test.py --tta; the model is
# ../seg_epoch_runtime.py's tta_model): three scales around the 256 px
# training size, read as tta_model=dict(scales=_base_.tta_scales).
# The pipeline keeps the stored image: the model makes the scales itself.
tta_scales = [(1024, 224), (1024, 256), (1024, 288)]
tta_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='LoadISICAnnotations'),
    dict(type='PackSegInputs')
]
