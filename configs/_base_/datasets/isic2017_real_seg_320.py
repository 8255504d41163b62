# ./isic2017_real_seg_256.py at 320 px: the challenge training images read
# from a copy downscaled offline to 320 px on the longer side
# (tools/prepare_isic.py ROOT work_dirs/realdata/data_320 --longer-side 320;
# ISIC_REAL_TRAIN_ROOT_320), random scale 0.9-1.5 and 288 px crops; test at
# 320 px and TTA at 288 / 320 / 352 px, both on the longer side (the resize
# of the 256 px piece before the full-frame issue: the run this piece made
# was measured that way).
_base_ = ['./isic2017_real_seg_256.py']
train_data_root = '{{$ISIC_REAL_TRAIN_ROOT_320:data/isic2017_real_320}}'
size_overrides = dict(
    RandomResize=dict(scale=(320, 320)),
    RandomCrop=dict(crop_size=(288, 288)),
    Resize=dict(scale=(320, 320)))
train_pipeline = [
    dict(t, **size_overrides.get(t['type'], {})) for t in _base_.train_pipeline
]
isic2017_train = dict(
    _base_.isic2017_train, data_root=train_data_root, pipeline=train_pipeline)
train_dataloader = dict(dataset=dict(datasets=[isic2017_train]))
test_pipeline = [
    dict(t, **size_overrides.get(t['type'], {})) for t in _base_.test_pipeline
]
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
tta_scales = [(288, 288), (320, 320), (352, 352)]
