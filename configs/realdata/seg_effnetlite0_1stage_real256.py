# Ablation "one stage": ImageNet EfficientNet-Lite0 + DeconvFCNHead on the
# challenge training images only (the paper's plain "ResNet-Seg" row), in
# one run of as many epochs as stage 1 + stage 2 together, lr decaying
# linearly from stage 1's after the same warm-up.
_base_ = [
    '../_base_/models/efficientnet_lite0_deconv_fcn.py',
    '../_base_/datasets/isic2017_real_seg_256.py',
    '../_base_/schedules/seg_adamw_epochs.py',
    '../_base_/seg_epoch_runtime.py',
]
# registers isic_plugins' modules and applies its four mmengine fixes
# (README: "The pinned stack and its fixes")
custom_imports = dict(imports=['isic_plugins'], allow_failed_imports=False)
tta_model = dict(scales=_base_.tta_scales, chunk_size=12)
optim_wrapper = dict(optimizer=dict(lr=0.001))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=100),
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=10, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=10, val_interval=10)
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=1))
