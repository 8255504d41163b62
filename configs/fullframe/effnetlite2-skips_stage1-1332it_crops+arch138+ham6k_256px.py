# Stage 1 at scale with EfficientNet-Lite2 and twice the iterations, full
# frames held out: the 1,628 crops, the 138 archive images and the 6,000
# HAM10000 images, 1,332 iterations of 16 (2.7 epochs over these 7,766
# images), fixed lr; the Lite2 counterpart of
# effnetlite0-skips_stage1-1332it_crops+arch138+ham6k_256px.py.
_base_ = [
    '../_base_/models/efficientnet_lite2_deconv_fcn.py',
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
