# A tiny deterministic variant of the quick segmentation config for the
# distributed / resume tests: GroupNorm (batch statistics don't depend on how
# the batch is split over processes), no random augmentation, no dropout,
# 64 px. Data roots are given with --cfg-options.
_base_ = ['../../configs/quickstart/seg_quick.py']
norm_cfg = dict(type='GN', num_groups=8, requires_grad=True)
pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='LoadISICAnnotations'),
    dict(type='Resize', scale=(64, 64), keep_ratio=False),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=(64, 64), keep_ratio=False),
    dict(type='LoadISICAnnotations'),
    dict(type='PackSegInputs')
]
model = dict(
    data_preprocessor=dict(size=(64, 64), size_divisor=None),
    backbone=dict(norm_cfg=norm_cfg, base_channels=16, stem_channels=16),
    decode_head=dict(norm_cfg=norm_cfg, in_channels=128, channels=16,
                     dropout_ratio=0.0))
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=True, seed=0),
    dataset=dict(pipeline=pipeline))
val_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='SGD', lr=0.01, momentum=0.9))
train_cfg = dict(max_epochs=4, val_interval=4)
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=4, convert_to_iter_based=True)
]
default_hooks = dict(
    checkpoint=dict(interval=1, max_keep_ckpts=10), logger=dict(interval=1))
randomness = dict(seed=0, deterministic=True)
