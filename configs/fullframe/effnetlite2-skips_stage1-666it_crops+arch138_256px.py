# Stage 1 with EfficientNet-Lite2, full frames held out: the 1,628 square
# training crops and the 138 archive images, 666 iterations of 16, fixed
# lr; the Lite2 counterpart of
# effnetlite0-skips_stage1-666it_crops+arch138_256px.py (the "138 archive
# images" side of the large-archive comparison for Lite2).
_base_ = [
    '../_base_/models/efficientnet_lite2_deconv_fcn.py',
    '../_base_/datasets/isic2017_real_seg_256.py',
    '../_base_/schedules/seg_adamw_iters.py',
    '../_base_/seg_iter_runtime.py',
]
custom_imports = dict(imports=['isic_plugins'], allow_failed_imports=False)
tta_model = dict(scales=_base_.tta_scales, chunk_size=12)
train_dataloader = dict(dataset=dict(
    datasets=[_base_.isic2017_train_crops, _base_.archive_train]))
train_cfg = dict(max_iters=666, val_interval=666)
