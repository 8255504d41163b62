# Table 2 on real images with the large archive: the 3-class EfficientNet-
# Lite0 classifier on the 1,969 challenge training images + the 6,000
# HAM10000 archive images, "benign keratosis" counted as seborrheic
# keratosis (the use the binary, lesion-crop and ensemble archive configs
# take), at the 496 iterations of the challenge-only run
# (effnetlite0_multiclass-8e_isic2017_224px.py): 7,969 images, 2 epochs.
_base_ = [
    '../_base_/models/efficientnet_lite0_isic_cls.py',
    '../_base_/datasets/isic2017_real_cls_224.py',
    '../_base_/schedules/cls_adamw_iters.py',
    '../_base_/cls_epoch_runtime.py',
]
default_hooks = _base_.iteration_hooks
# inverse class frequency (1,480 melanoma / 1,352 SK / 5,137 nevus), mean 1
model = dict(head=dict(loss=dict(class_weight=[1.26, 1.38, 0.36])))
train_dataloader = dict(dataset=dict(
    datasets=[_base_.isic2017_train, _base_.ham_train]))
