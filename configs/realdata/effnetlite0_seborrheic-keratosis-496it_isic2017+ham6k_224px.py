# The seborrheic keratosis half of the two binary models with the large
# archive: as effnetlite0_melanoma-496it_isic2017+ham6k_224px.py for SK (1,
# the archive's "benign keratosis" included) vs the rest (0).
_base_ = [
    '../_base_/models/efficientnet_lite0_isic_cls.py',
    '../_base_/datasets/isic2017_real_cls_224.py',
    '../_base_/schedules/cls_adamw_iters.py',
    '../_base_/cls_epoch_runtime.py',
]
default_hooks = _base_.iteration_hooks
task = 'seborrheic_keratosis'
model = dict(
    data_preprocessor=dict(num_classes=2),
    # inverse class frequency (6,617 other / 1,352 SK), mean 1
    head=dict(num_classes=2, loss=dict(class_weight=[0.34, 1.66])))
isic2017_train = dict(_base_.isic2017_train, task=task)
ham_train = dict(_base_.ham_train, task=task)
train_dataloader = dict(dataset=dict(datasets=[isic2017_train, ham_train]))
val_dataloader = dict(dataset=dict(task=task))
test_dataloader = dict(dataset=dict(task=task))
