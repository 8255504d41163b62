# Fast CPU variant of configs/cls_multiclass.py for the synthetic ISIC data
# that tools/quickstart.sh generates (tools/make_synthetic_isic.py: 100
# train / 30 val / 30 test images): about a minute on 2 free cores. What
# differs from the paper's setting, and why:
# - a half-width ResNet-18 from scratch (no ImageNet download offline)
#   instead of an ImageNet ResNet-50: ~20x fewer FLOPs;
# - 112 px instead of 224 px: 4x fewer pixels (the synthetic lesions differ
#   in colour, shape and coarse texture);
# - the 100 challenge-layout images only (no archive);
# - AdamW at 1e-3 for 40 epochs (still decaying linearly to 0): from
#   scratch on 100 images, SGD did not get near the target AUC in that time.
_base_ = ['../cls_multiclass.py']
data_root = 'work_dirs/quickstart/data'
meta_keys = _base_.meta_keys
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=112, edge='short'),
    dict(type='RandomCrop', crop_size=112),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='RandomFlip', prob=0.5, direction='vertical'),
    dict(type='PackInputs', meta_keys=meta_keys),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=112, edge='short'),
    dict(type='CenterCrop', crop_size=112),
    dict(type='PackInputs', meta_keys=meta_keys),
]
model = dict(
    backbone=dict(
        depth=18, stem_channels=32, base_channels=32, init_cfg=None),
    head=dict(in_channels=256))
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    dataset=dict(
        _base_.isic2017_train,
        _delete_=True,
        data_root=data_root,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=30,
    num_workers=2,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = dict(
    batch_size=30,
    num_workers=2,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=0.001, weight_decay=0.01))
train_cfg = dict(max_epochs=40, val_interval=10)
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=40, convert_to_iter_based=True)
]
default_hooks = dict(
    logger=dict(interval=5), checkpoint=dict(interval=10, max_keep_ckpts=1))
