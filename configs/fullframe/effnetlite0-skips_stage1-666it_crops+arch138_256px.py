# Stage 1 with the full-frame images held out: ImageNet EfficientNet-Lite0
# + DeconvFCNHead (skips) on the 1,628 square training crops and the 138
# archive images, 666 iterations of 16 (the 6 epochs of the 6 + 4 recipe
# over these 1,766 images), fixed lr. The 341 full-frame training images
# are the validation split (README, "Table 1 on real images").
#   python tools/realdata.py seg ../shared/isic2017_real \
#       --runs ff_lite0_arch138
_base_ = [
    '../_base_/models/efficientnet_lite0_deconv_fcn.py',
    '../_base_/datasets/isic2017_real_seg_256.py',
    '../_base_/schedules/seg_adamw_iters.py',
    '../_base_/seg_iter_runtime.py',
]
custom_imports = dict(imports=['isic_plugins'], allow_failed_imports=False)
tta_model = dict(scales=_base_.tta_scales, chunk_size=12)
train_dataloader = dict(dataset=dict(
    datasets=[_base_.isic2017_train_crops, _base_.archive_train]))
train_cfg = dict(max_iters=666, val_interval=666)
