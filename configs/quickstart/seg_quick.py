# Fast CPU variant of configs/seg_stage2.py for the synthetic ISIC data that
# tools/quickstart.sh generates (tools/make_synthetic_isic.py): a few
# minutes on 2 cores. What differs from the paper's setting, and why:
# - ResNet-18 from scratch (no ImageNet download offline) instead of an
#   ImageNet ResNet-50: 5x fewer FLOPs;
# - 160 px instead of 500 px (longer side), crops of 128 px: ~10x fewer
#   pixels; scoring is still at each image's original resolution;
# - lr 0.01 with the paper's linear decay: from scratch needs a larger lr
#   than fine-tuning at 0.0008.
_base_ = ['../seg_stage2.py']
data_root = 'work_dirs/quickstart/data'
load_from = None
img_scale = (160, 160)
crop_size = (128, 128)
train_pipeline = [
    dict(type='LoadImageFromFile'),
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
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='LoadISICAnnotations'),
    dict(type='PackSegInputs')
]
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(depth=18, init_cfg=None),
    decode_head=dict(in_channels=512, channels=128))
train_dataloader = dict(
    batch_size=10,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = dict(
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
optim_wrapper = dict(optimizer=dict(lr=0.01))
train_cfg = dict(max_epochs=30, val_interval=10)
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=30, convert_to_iter_based=True)
]
default_hooks = dict(checkpoint=dict(interval=10), logger=dict(interval=10))
