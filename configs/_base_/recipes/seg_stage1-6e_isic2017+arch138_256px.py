# Recipe piece (data, schedule and runtime; a config adds its model): the
# paper's stage 1 on the real images at 256 px, the challenge training
# images plus the 138 archive images, 6 epochs of AdamW at a fixed lr 0.001
# after a 100-iteration warm-up (the randomly initialised head must not
# push large gradients into the ImageNet encoder). A checkpoint every
# epoch: an interrupted run resumes losing less than an epoch.
_base_ = [
    '../datasets/isic2017_real_seg_256.py', '../schedules/seg_adamw_epochs.py',
    '../seg_epoch_runtime.py'
]
train_dataloader = dict(dataset=dict(datasets=_base_.isic2017_arch138))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=100)
]
train_cfg = dict(max_epochs=6, val_interval=6)
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=1))
tta_model = dict(scales=_base_.tta_scales, chunk_size=12)
