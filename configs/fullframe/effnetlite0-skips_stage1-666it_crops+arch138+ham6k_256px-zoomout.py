# Stage 1 at scale with zoom-out: as
# effnetlite0-skips_stage1-666it_crops+arch138+ham6k_256px.py, random scale
# 0.5-1.5 instead of 0.9-1.5 (lesions smaller than the crop, whole images
# with their surroundings, as full frames show them). One change.
_base_ = [
    '../_base_/models/efficientnet_lite0_deconv_fcn.py',
    '../_base_/datasets/isic2017_real_seg_256.py',
    '../_base_/schedules/seg_adamw_iters.py',
    '../_base_/seg_iter_runtime.py',
]
custom_imports = dict(imports=['isic_plugins'], allow_failed_imports=False)
tta_model = dict(scales=_base_.tta_scales, chunk_size=12)
train_dataloader = dict(dataset=dict(datasets=[
    _base_.isic2017_train_crops_zoom, _base_.archive_train_zoom,
    _base_.ham10000_train_zoom
]))
train_cfg = dict(max_iters=666, val_interval=666)
