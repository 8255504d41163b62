# Stage 2 with zoom-out (Lite0), full frames held out: as
# effnetlite0-skips_stage2-4e_crops_256px.py (the 1,628 crops, 4 epochs,
# lr 0.0005 -> 0 from a stage-1 checkpoint) with the training resize
# ranging 0.5-1.5 of 256 px (padded below the crop size, the padding
# ignored by the loss).
_base_ = [
    '../_base_/models/efficientnet_lite0_deconv_fcn.py',
    '../_base_/datasets/isic2017_real_seg_256.py',
    '../_base_/schedules/seg_adamw_epochs.py',
    '../_base_/seg_epoch_runtime.py',
]
custom_imports = dict(imports=['isic_plugins'], allow_failed_imports=False)
tta_model = dict(scales=_base_.tta_scales, chunk_size=12)
model = dict(backbone=dict(weights=None))  # the weights come from stage 1
zoom_out_pipeline = [
    dict(t, ratio_range=(0.5, 1.5)) if t['type'] == 'RandomResize' else t
    for t in _base_.train_pipeline
]
train_dataloader = dict(dataset=dict(datasets=[
    dict(_base_.isic2017_train_crops, pipeline=zoom_out_pipeline)]))
optim_wrapper = dict(optimizer=dict(lr=0.0005))
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=4, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=4, val_interval=4)
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=1))
