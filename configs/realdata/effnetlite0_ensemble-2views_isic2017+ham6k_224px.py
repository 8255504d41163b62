# The best classification model with the large archive, as one model: the
# two-view ensemble of effnetlite0_ensemble-2views_isic2017_224px.py with
# the archive ensembles as its members (whole image: view 0, lesion crop:
# view 1; their task probabilities averaged). Built by tools/realdata.py cls
# from the two ensembles' checkpoints.
_base_ = ['./effnetlite0_ensemble-2views_isic2017_224px.py']
_ensembles = 'work_dirs/realdata/cls_effnetlite0_ham_{}/ensemble.pth'
_configs = 'configs/realdata/effnetlite0_ensemble_isic2017+ham6k{}_224px.py'
model = dict(members=dict(
    whole=dict(config=_configs.format(''),
               checkpoint=_ensembles.format('ensemble')),
    crop=dict(config=_configs.format('-lesioncrop'),
              checkpoint=_ensembles.format('ensemble_crop'))))
