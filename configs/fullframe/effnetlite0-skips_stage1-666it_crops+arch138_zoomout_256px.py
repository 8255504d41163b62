# Stage 1 with zoom-out, full frames held out: as
# effnetlite0-skips_stage1-666it_crops+arch138_256px.py (Lite0, the 1,628
# crops + 138 archive images, 666 iterations of 16) with one change: the
# training resize ranges 0.5-1.5 of 256 px instead of 0.9-1.5, so lesions
# are seen smaller as well as larger, as in a full frame; a batch's images
# below the 224 px crop are padded by the data preprocessor (label 255 in
# the padding: ignored by the loss).
_base_ = [
    '../_base_/models/efficientnet_lite0_deconv_fcn.py',
    '../_base_/datasets/isic2017_real_seg_256.py',
    '../_base_/schedules/seg_adamw_iters.py',
    '../_base_/seg_iter_runtime.py',
]
custom_imports = dict(imports=['isic_plugins'], allow_failed_imports=False)
tta_model = dict(scales=_base_.tta_scales, chunk_size=12)
zoom_out_pipeline = [
    dict(t, ratio_range=(0.5, 1.5)) if t['type'] == 'RandomResize' else t
    for t in _base_.train_pipeline
]
train_dataloader = dict(dataset=dict(datasets=[
    dict(_base_.isic2017_train_crops, pipeline=zoom_out_pipeline),
    dict(_base_.archive_train, pipeline=zoom_out_pipeline),
]))
train_cfg = dict(max_iters=666, val_interval=666)
