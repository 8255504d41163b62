# Recipe piece (data, schedule and runtime; a config adds its model and
# the stage-1 weights, load_from): the paper's stage 2 on the real images
# at 256 px, the challenge training images only, 4 epochs of AdamW with the
# lr decaying linearly from 0.0005 (half of stage 1's) to 0, as the paper
# (0.0016 fixed, then 0.0008 -> 0). A checkpoint every epoch.
_base_ = [
    '../datasets/isic2017_real_seg_256.py',
    '../schedules/seg_adamw_linear_4e.py', '../seg_epoch_runtime.py'
]
train_dataloader = dict(dataset=dict(datasets=[_base_.isic2017_train]))
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=1))
tta_model = dict(scales=_base_.tta_scales, chunk_size=12)
