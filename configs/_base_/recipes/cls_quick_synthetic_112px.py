# Recipe piece (data, schedule and runtime; a config adds its model) of
# the quickstart's classifiers, on the synthetic ISIC data that
# tools/quickstart.sh generates (tools/make_synthetic_isic.py: 100 train /
# 30 val / 30 test images):
# - 112 px instead of 224 px (shorter side): 4x fewer pixels (the synthetic
#   lesions differ in colour, shape and coarse texture);
# - the 100 challenge-layout images only (no archive);
# - AdamW at 1e-3 for 40 epochs, decaying linearly to 0
#   (../schedules/cls_adamw_epochs.py): from scratch on 100 images, SGD
#   did not get near the target AUC in that time.
_base_ = [
    '../datasets/isic2017_cls.py', '../schedules/cls_adamw_epochs.py',
    '../cls_epoch_runtime.py'
]
data_root = 'work_dirs/quickstart/data'
size_overrides = dict(
    ResizeEdge=dict(scale=112),
    RandomCrop=dict(crop_size=112),
    CenterCrop=dict(crop_size=112))
train_pipeline = [
    dict(t, **size_overrides.get(t['type'], {})) for t in _base_.train_pipeline
]
test_pipeline = [
    dict(t, **size_overrides.get(t['type'], {})) for t in _base_.test_pipeline
]
isic2017_train = dict(
    _base_.isic2017_train, data_root=data_root, pipeline=train_pipeline)
train_dataloader = dict(
    batch_size=16, num_workers=2, dataset=dict(datasets=[isic2017_train]))
val_dataloader = dict(
    batch_size=30,
    num_workers=2,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = val_dataloader
default_hooks = dict(logger=dict(interval=5), checkpoint=dict(interval=10))
