# Recipe piece (data, schedule and runtime; a config adds its model): the
# two stages in one run on the real images at 256 px, the challenge
# training images only (the paper's plain "ResNet-Seg" row), 10 epochs
# (stage 1 + stage 2 of the ablations' 6 + 4 budget), lr decaying linearly
# from stage 1's 0.001 after the same warm-up.
_base_ = [
    '../datasets/isic2017_real_seg_256.py', '../schedules/seg_adamw_epochs.py',
    '../seg_epoch_runtime.py'
]
train_dataloader = dict(dataset=dict(datasets=[_base_.isic2017_train]))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=100),
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=10, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=10, val_interval=10)
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=1))
tta_model = dict(scales=_base_.tta_scales, chunk_size=12)
