# Table 2 on real images, the whole-image and the lesion-crop ensembles
# averaged, as one model (ISICMultiViewEnsemble): the whole-image ensemble
# (cls_effnetlite0_ensemble_real224.py) reads each Test_v2 image whole, the
# lesion-crop one (cls_effnetlite0_ensemble_crop_real224.py) its crop to the
# predicted lesion; both from one pipeline (two_view_test_pipeline). Nothing
# is trained: tools/realdata.py cls saves it from the two ensembles'
# checkpoints (tools/build_ensemble.py --cfg-options
# model.members.whole.checkpoint=... model.members.crop.checkpoint=...).
_base_ = ['./cls_effnetlite0_multiclass_real224.py']
_ensembles = 'work_dirs/realdata/cls_effnetlite0_{}/ensemble.pth'
_configs = 'configs/realdata/cls_effnetlite0_{}_real224.py'
model = dict(
    _delete_=True,
    type='ISICMultiViewEnsemble',
    members=dict(
        whole=dict(config=_configs.format('ensemble'),
                   checkpoint=_ensembles.format('ensemble'), view=0),
        crop=dict(config=_configs.format('ensemble_crop'),
                  checkpoint=_ensembles.format('ensemble_crop'), view=1)))
val_dataloader = dict(dataset=_base_.two_view_test)
test_dataloader = val_dataloader
# tools/test.py --tta: the four flips of both views, averaged
tta_model = dict(type='AverageClsScoreTTA')
tta_pipeline = _base_.two_view_tta_pipeline
