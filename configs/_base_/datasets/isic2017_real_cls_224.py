# Real ISIC 2017 Part 3 images (../shared/isic2017_real, or the full
# challenge data: same layout) for CPU training at the paper's 224 px.
# - Training: the challenge training images (official labels); validation
#   and test: the Test_v2 split (provisional labels; the validation images
#   are not in the shared set). Only the last checkpoint is scored, nothing
#   is selected on Test_v2.
# - The images are read as stored (mostly 512 px): a 512 px JPEG decodes in
#   a few ms, far below the network's time, and lesion crops keep detail.
# - Augmentation for 8 epochs of 1,969 images: random resized crops (scale
#   0.35-1: the lesion is not always whole, as in a tight photograph),
#   independent flips (dermoscopy has no orientation), mild colour jitter
#   (dermatoscopes differ in white balance).
# - Lesion crops (the *_crop_* configs): `crop_*_pipeline` cut each image to
#   the lesion a segmentation model found (LesionCrop), from masks predicted
#   once into ISIC_LESION_MASKS/{Training,Test_v2}/masks (tools/realdata.sh
#   cls writes them with tools/predict.py --masks-only); never the ground
#   truth, at training as at test time.
# - The large archive (`ham_train`, the *_isic2017+ham6k_* configs): see
#   below; its lesion crops read masks predicted the same way into
#   ISIC_LESION_MASKS/ham10000_archive/masks, never its expert masks.
# - Both views (`two_view_test_pipeline`): the whole image (view 0) and the
#   lesion crop (view 1) of each test image, for ISICMultiViewEnsemble;
#   `two_view_tta_pipeline` the same for each of four flips.
# Roots from the environment (tools/realdata.py sets them) or --cfg-options:
#   ISIC_REAL_ROOT     the data set; default data/isic2017_real
#   ISIC_LESION_MASKS  predicted masks; default work_dirs/realdata/lesion_masks
#   ISIC_HAM_ROOT      the large archive; default data/ham10000_archive
data_root = '{{$ISIC_REAL_ROOT:data/isic2017_real}}'
lesion_masks = '{{$ISIC_LESION_MASKS:work_dirs/realdata/lesion_masks}}'
train_lesion_masks = lesion_masks + '/Training/masks'
test_lesion_masks = lesion_masks + '/Test_v2/masks'
# ISICClassificationMetric scores both ISIC tasks from these, whatever the
# model's own task.
meta_keys = ('sample_idx', 'img_path', 'ori_shape', 'img_shape',
             'scale_factor', 'flip', 'flip_direction', 'image_id',
             'melanoma', 'seborrheic_keratosis')
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224, crop_ratio_range=(0.35, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandomFlip', prob=0.5, direction='vertical'),
    dict(type='ColorJitter', brightness=0.2, contrast=0.2, saturation=0.2),
    dict(type='PackInputs', meta_keys=meta_keys),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=224, edge='short'),
    dict(type='CenterCrop', crop_size=224),
    dict(type='PackInputs', meta_keys=meta_keys),
]
# the same after a crop to the predicted lesion (a square box with 10% of
# skin each side: the resize and centre crop keep the whole lesion)
lesion_crop = dict(type='LesionCrop', margin=0.1)
crop_train_pipeline = train_pipeline[:1] + [lesion_crop] + train_pipeline[1:]
crop_test_pipeline = test_pipeline[:1] + [lesion_crop] + test_pipeline[1:]
# what a *_crop_* config sets on its training and test datasets
lesion_crop_train = dict(pipeline=crop_train_pipeline,
                         lesion_mask_dir=train_lesion_masks)
lesion_crop_test = dict(pipeline=crop_test_pipeline,
                        lesion_mask_dir=test_lesion_masks)
lesion_crop_ham_train = dict(
    pipeline=crop_train_pipeline,
    lesion_mask_dir=lesion_masks + '/ham10000_archive/masks')
# the whole image (view 0) and the lesion crop (view 1), packed together
two_view_test_pipeline = [
    test_pipeline[0],
    dict(type='MultiView', num_views=[1, 1],
         transforms=[test_pipeline[1:-1], crop_test_pipeline[1:-1]]),
    test_pipeline[-1],
]
# what a two-view config sets on its test dataset
two_view_test = dict(pipeline=two_view_test_pipeline,
                     lesion_mask_dir=test_lesion_masks)
# its test-time augmentation (tools/test.py --tta): both views of each of
# the four flips (none, horizontal, vertical, both; dermoscopy has no
# orientation), the model's scores averaged (mmpretrain's
# AverageClsScoreTTA)
tta_flips = [[]] + [[dict(type='RandomFlip', prob=1.0, direction=d)]
                    for d in ('horizontal', 'vertical', 'diagonal')]
two_view_tta_pipeline = [
    test_pipeline[0],
    dict(type='TestTimeAug', transforms=[
        [dict(type='MultiView', num_views=[1, 1],
              transforms=[test_pipeline[1:-1] + flip,
                          crop_test_pipeline[1:-1] + flip])
         for flip in tta_flips],
        [test_pipeline[-1]],
    ]),
]
task = 'multiclass'
isic2017_train = dict(
    type='ISIC2017ClassificationDataset',
    data_root=data_root,
    ann_file='ISIC-2017_Training_Part3_GroundTruth.csv',
    data_prefix='ISIC-2017_Training_Data',
    task=task,
    pipeline=train_pipeline)
# The large archive (../shared/ham10000_archive): 6,000 HAM10000 images,
# mostly 200x150 px; 1,112 melanoma, 1,098 "benign keratosis", 3,790 nevus.
# Every HAM10000 diagnosis is confirmed by one of four means, all accepted:
# histopathology, follow-up ("serial imaging showing no change"), expert
# consensus (the archive's "single contributor clinical assessment") and
# confocal microscopy.
ham_root = '{{$ISIC_HAM_ROOT:data/ham10000_archive}}'
ham_confirm_types = ('histopathology', 'serial imaging showing no change',
                     'single contributor clinical assessment',
                     'confocal microscopy with consensus dermoscopy')
# "benign keratosis" (seborrheic keratoses, solar lentigines, lichen-planus-
# like keratoses) is broader than the challenge's SK: left out, counted as
# SK, or counted as nevus ("not melanoma, not SK"); each a diagnosis_map
ham_bkl_out = {'melanoma': 'melanoma', 'nevus': 'nevus'}
ham_bkl_as_sk = dict(ham_bkl_out,
                     **{'benign keratosis': 'seborrheic_keratosis'})
ham_bkl_as_nevus = dict(ham_bkl_out, **{'benign keratosis': 'nevus'})
ham_train = dict(
    type='ISICArchiveClassificationDataset',
    data_root=ham_root,
    accepted_values=ham_confirm_types,
    diagnosis_map=ham_bkl_as_sk,
    task=task,
    pipeline=train_pipeline)
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    # a list, so that a config can add a source by naming both
    dataset=dict(type='ConcatDataset', datasets=[isic2017_train]))
val_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ISIC2017ClassificationDataset',
        data_root=data_root,
        ann_file='ISIC-2017_Test_v2_Part3_GroundTruth.csv',
        data_prefix='ISIC-2017_Test_v2_Data',
        task=task,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
# 95% bootstrap intervals of the AUCs over the Test_v2 images
val_evaluator = dict(type='ISICClassificationMetric', bootstrap=2000)
test_evaluator = val_evaluator
