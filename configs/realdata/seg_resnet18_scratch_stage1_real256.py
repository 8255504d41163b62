# Ablation "from scratch": the project's earlier CPU recipe (ResNet-18 at
# stride 16, random init, 64-channel DeconvFCNHead, AdamW at 0.002) on the
# same real images, pipeline and epochs as the ImageNet EfficientNet-Lite0
# at the ablations' budget (seg_effnetlite0_short_stage1_real256.py, 6
# epochs); stage 2 follows (4 epochs). ResNet-18 takes about twice as long
# per epoch on a CPU.
_base_ = [
    '../_base_/models/resnet18_s16_deconv_fcn.py',
    '../_base_/datasets/isic2017_real_seg_256.py',
    '../_base_/schedules/seg_adamw_epochs.py',
    '../_base_/seg_epoch_runtime.py',
]
# registers isic_plugins' modules and applies its four mmengine fixes
# (README: "The pinned stack and its fixes")
custom_imports = dict(imports=['isic_plugins'], allow_failed_imports=False)
tta_model = dict(scales=_base_.tta_scales, chunk_size=12)
train_dataloader = dict(
    dataset=dict(datasets=[_base_.isic2017_train, _base_.archive_train]))
optim_wrapper = dict(optimizer=dict(lr=0.002))
train_cfg = dict(max_epochs=6, val_interval=6)
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=1))
