# Table 2 on real images, "ensemble": the 3-class model averaged with the
# two binary models (ISICEnsembleClassifier documents the rule). Nothing is
# trained; tools/realdata.sh cls builds it from the members' last
# checkpoints (tools/build_ensemble.py) and tests it like any model:
#   python tools/build_ensemble.py \
#       configs/realdata/cls_effnetlite0_ensemble_real224.py ENSEMBLE.pth \
#       --cfg-options model.multiclass.checkpoint=... (likewise the others)
# Data, pipelines and the metric are the 3-class config's.
_base_ = ['./cls_effnetlite0_multiclass_real224.py']
_members = 'work_dirs/realdata/cls_effnetlite0_{}/epoch_8.pth'
model = dict(
    _delete_=True,
    type='ISICEnsembleClassifier',
    multiclass=dict(
        config='configs/realdata/cls_effnetlite0_multiclass_real224.py',
        checkpoint=_members.format('multiclass')),
    melanoma=dict(
        config='configs/realdata/cls_effnetlite0_melanoma_real224.py',
        checkpoint=_members.format('melanoma')),
    seborrheic_keratosis=dict(
        config='configs/realdata/'
        'cls_effnetlite0_seborrheic_keratosis_real224.py',
        checkpoint=_members.format('seborrheic_keratosis')),
    multiclass_weight=0.5,
    binary_weight=0.5)
