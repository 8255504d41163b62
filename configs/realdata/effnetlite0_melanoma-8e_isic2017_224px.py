# Table 2 on real images, "two binary models", melanoma half: the 3-class
# recipe (effnetlite0_multiclass-8e_isic2017_224px.py) with a 2-way head for
# melanoma (1) vs the rest (0); its partner is
# effnetlite0_seborrheic-keratosis-8e_isic2017_224px.py.
_base_ = [
    '../_base_/models/efficientnet_lite0_isic_cls.py',
    '../_base_/datasets/isic2017_real_cls_224.py',
    '../_base_/schedules/cls_adamw_warmup_8e.py',
    '../_base_/cls_epoch_runtime.py'
]
task = 'melanoma'
model = dict(
    data_preprocessor=dict(num_classes=2),
    # inverse class frequency (1,601 other / 368 melanoma), mean 1
    head=dict(num_classes=2, loss=dict(class_weight=[0.37, 1.63])))
isic2017_train = dict(_base_.isic2017_train, task=task)
train_dataloader = dict(dataset=dict(datasets=[isic2017_train]))
val_dataloader = dict(dataset=dict(task=task))
test_dataloader = dict(dataset=dict(task=task))
