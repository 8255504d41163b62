# The best classification model with the large archive, as one model
# (ISICMultiViewEnsemble): the whole-image archive ensemble reads each image
# whole (view 0), the lesion-crop archive ensemble its crop to the predicted
# lesion (view 1); their task probabilities averaged. Built by
# tools/realdata.py cls from the two ensembles' checkpoints.
_base_ = ['./effnetlite0_multiclass-496it_isic2017+ham6k-bkl-sk_224px.py']
_ensembles = 'work_dirs/realdata/cls_effnetlite0_ham_{}/ensemble.pth'
_configs = 'configs/realdata/effnetlite0_ensemble_isic2017+ham6k{}_224px.py'
model = dict(
    _delete_=True,
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
