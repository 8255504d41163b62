# Table 1, row "ResNet-Seg" (76.1 Jaccard on the ISIC 2017 validation set):
# ImageNet ResNet-50 + deconvolution FCN head, trained on the 2,000
# challenge images only (no archive images, no test-time augmentation).
_base_ = [
    './_base_/models/resnet50_deconv_fcn.py',
    './_base_/datasets/isic2017_seg.py',
    './_base_/schedules/seg_sgd_epochs.py',
    './_base_/seg_epoch_runtime.py',
]
# `tools/test.py --tta`: the runtime's multi-scale x 4-flip model at the
# dataset piece's three scales around 500 px
tta_model = dict(scales=_base_.tta_scales)
optim_wrapper = dict(optimizer=dict(lr=0.0016))
train_cfg = dict(max_epochs=80)
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=80, convert_to_iter_based=True)
]
