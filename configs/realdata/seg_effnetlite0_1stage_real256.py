# Ablation "one stage": ImageNet EfficientNet-Lite0 + DeconvFCNHead on the
# challenge training images only (the paper's plain "ResNet-Seg" row), in
# one run of as many epochs as stage 1 + stage 2 together at the ablations'
# budget (seg_effnetlite0_short_stage{1,2}_real256.py: 6 + 4), lr decaying
# linearly from stage 1's after the same warm-up.
_base_ = ['./seg_effnetlite0_stage1_real256.py']
train_dataloader = dict(dataset=dict(datasets=[_base_.isic2017_train]))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=100),
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=10, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=10, val_interval=10)
