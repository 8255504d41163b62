# Ablation "from scratch" of Table 2 on real images: the project's earlier
# CPU classifier (a half-width ResNet-18, random initialisation, AdamW at
# 1e-3, ImageNet normalisation) on the same images, pipelines, loss weights
# and epochs as effnetlite0_multiclass-8e_isic2017_224px.py.
_base_ = [
    '../_base_/models/resnet18_half_isic_cls.py',
    '../_base_/datasets/isic2017_real_cls_224.py',
    '../_base_/schedules/cls_adamw_epochs.py',
    '../_base_/cls_epoch_runtime.py',
]
# ImageNet statistics (RGB), as the paper's dataset pieces normalise: the
# runner gives them to a model that has no data_preprocessor of its own
data_preprocessor = dict(
    num_classes=3,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True)
model = dict(head=dict(loss=dict(class_weight=[1.10, 1.60, 0.30])))
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=8, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=8, val_interval=8)
