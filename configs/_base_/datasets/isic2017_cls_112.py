# ISIC 2017 Part 3 at 112 px (shorter side) instead of the paper's 224 px,
# for the fast CPU configs: 4x fewer pixels. The paper's dataset piece with
# only the sizes changed.
_base_ = ['./isic2017_cls.py']
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
isic2017_train = dict(_base_.isic2017_train, pipeline=train_pipeline)
isic_archive_train = dict(_base_.isic_archive_train, pipeline=train_pipeline)
train_dataloader = dict(
    dataset=dict(datasets=[isic2017_train, isic_archive_train]))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
