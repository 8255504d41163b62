# Stage 2 with zoom-out (random scale 0.5-1.5), full frames held out:
# from a stage-1 checkpoint (load_from, set by the run table), the 1,628
# square training crops only,
# 4 epochs, lr decaying linearly from 0.0005 to 0 (the paper: 0.0008 -> 0
# after a fixed 0.0016). With tools/test.py --tta: the multi-scale x
# 4-flip row.
_base_ = [
    '../_base_/models/efficientnet_lite0_deconv_fcn.py',
    '../_base_/datasets/isic2017_real_seg_256.py',
    '../_base_/schedules/seg_adamw_epochs.py',
    '../_base_/seg_epoch_runtime.py',
]
custom_imports = dict(imports=['isic_plugins'], allow_failed_imports=False)
tta_model = dict(scales=_base_.tta_scales, chunk_size=12)
model = dict(backbone=dict(weights=None))  # the weights come from stage 1
train_dataloader = dict(
    dataset=dict(datasets=[_base_.isic2017_train_crops_zoom]))
optim_wrapper = dict(optimizer=dict(lr=0.0005))
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=4, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=4, val_interval=4)
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=1))
