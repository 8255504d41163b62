# Table 2 on real images with the large archive, "two binary models",
# melanoma half: melanoma (1) vs the rest (0) on the challenge training
# images + the HAM10000 archive images ("benign keratosis" in the rest), at
# the 496 iterations of the challenge-only run.
_base_ = [
    '../_base_/models/efficientnet_lite0_isic_cls.py',
    '../_base_/datasets/isic2017_real_cls_224.py',
    '../_base_/schedules/cls_adamw_iters.py',
    '../_base_/cls_epoch_runtime.py',
]
default_hooks = _base_.iteration_hooks
task = 'melanoma'
model = dict(
    data_preprocessor=dict(num_classes=2),
    # inverse class frequency (6,489 other / 1,480 melanoma), mean 1
    head=dict(num_classes=2, loss=dict(class_weight=[0.37, 1.63])))
isic2017_train = dict(_base_.isic2017_train, task=task)
ham_train = dict(_base_.ham_train, task=task)
train_dataloader = dict(dataset=dict(datasets=[isic2017_train, ham_train]))
val_dataloader = dict(dataset=dict(task=task))
test_dataloader = dict(dataset=dict(task=task))
