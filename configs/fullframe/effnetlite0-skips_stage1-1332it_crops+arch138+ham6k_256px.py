# Stage 1 at scale with twice the iterations, full frames held out: as
# effnetlite0-skips_stage1-666it_crops+arch138+ham6k_256px.py (the 1,628
# crops, the 138 archive images and the 6,000 HAM10000 images) for 1,332
# iterations of 16 (2.7 epochs): where the extra images pay, at 2x the
# 666-iteration budget.
_base_ = [
    '../_base_/models/efficientnet_lite0_deconv_fcn.py',
    '../_base_/datasets/isic2017_real_seg_256.py',
    '../_base_/schedules/seg_adamw_iters.py',
    '../_base_/seg_iter_runtime.py',
]
custom_imports = dict(imports=['isic_plugins'], allow_failed_imports=False)
tta_model = dict(scales=_base_.tta_scales, chunk_size=12)
train_dataloader = dict(dataset=dict(datasets=[
    _base_.isic2017_train_crops, _base_.archive_train, _base_.ham10000_train
]))
train_cfg = dict(max_iters=1332, val_interval=1332)
