# ISIC 2017 Part 1 at 160 px (longer side) with 128 px crops, for the fast
# CPU configs: ~10x fewer pixels than the paper's 500 px. The paper's
# dataset piece with only the sizes changed (scoring stays at each image's
# original resolution). Training reads images downscaled offline to 160 px
# (tools/prepare_isic.py SRC DST --longer-side 160).
_base_ = ['./isic2017_seg.py']
img_scale = (160, 160)
crop_size = (128, 128)
size_overrides = dict(
    Resize=dict(scale=img_scale), RandomCrop=dict(crop_size=crop_size))
train_pipeline = [
    dict(t, **size_overrides.get(t['type'], {})) for t in _base_.train_pipeline
]
test_pipeline = [
    dict(t, **size_overrides.get(t['type'], {})) for t in _base_.test_pipeline
]
isic2017_train = dict(_base_.isic2017_train, pipeline=train_pipeline)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
