# Table 2 on real images, "two binary models", seborrheic keratosis half:
# as effnetlite0_melanoma-8e_isic2017_224px.py for SK (1) vs the rest (0).
_base_ = [
    '../_base_/models/efficientnet_lite0_isic_cls.py',
    '../_base_/datasets/isic2017_real_cls_224.py',
    '../_base_/schedules/cls_adamw_warmup_8e.py',
    '../_base_/cls_epoch_runtime.py'
]
task = 'seborrheic_keratosis'
model = dict(
    data_preprocessor=dict(num_classes=2),
    # inverse class frequency (1,715 other / 254 SK), mean 1
    head=dict(num_classes=2, loss=dict(class_weight=[0.26, 1.74])))
isic2017_train = dict(_base_.isic2017_train, task=task)
train_dataloader = dict(dataset=dict(datasets=[isic2017_train]))
val_dataloader = dict(dataset=dict(task=task))
test_dataloader = dict(dataset=dict(task=task))
