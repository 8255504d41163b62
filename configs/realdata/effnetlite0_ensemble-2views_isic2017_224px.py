# Table 2 on real images, the whole-image and the lesion-crop ensembles
# averaged, as one model (ISICMultiViewEnsemble): the whole-image ensemble
# (effnetlite0_ensemble_isic2017_224px.py) reads each Test_v2 image whole,
# the lesion-crop one (effnetlite0_ensemble_isic2017-lesioncrop_224px.py)
# its crop to the predicted lesion; both from one pipeline
# (two_view_test_pipeline). Nothing is trained: tools/realdata.py cls
# saves it from the two ensembles' checkpoints (tools/build_ensemble.py
# --cfg-options model.members.whole.checkpoint=...
# model.members.crop.checkpoint=...).
_base_ = [
    '../_base_/datasets/isic2017_real_cls_224.py',
    '../_base_/schedules/cls_adamw_warmup_8e.py',
    '../_base_/cls_epoch_runtime.py'
]
_ensembles = 'work_dirs/realdata/cls_effnetlite0_{}/ensemble.pth'
_configs = 'configs/realdata/effnetlite0_ensemble_isic2017{}_224px.py'
model = dict(
    type='ISICMultiViewEnsemble',
    members=dict(
        whole=dict(config=_configs.format(''),
                   checkpoint=_ensembles.format('ensemble'), view=0),
        crop=dict(config=_configs.format('-lesioncrop'),
                  checkpoint=_ensembles.format('ensemble_crop'), view=1)))
val_dataloader = dict(dataset=_base_.two_view_test)
test_dataloader = val_dataloader
# tools/test.py --tta: the four flips of both views, averaged
tta_model = dict(type='AverageClsScoreTTA')
tta_pipeline = _base_.two_view_tta_pipeline
