# Table 2 on real images with the large archive, "ensemble of the three":
# the archive 3-class model averaged with the two archive binary models
# (ISICEnsembleClassifier), built by tools/realdata.py cls from their last
# checkpoints (tools/build_ensemble.py), nothing trained.
_base_ = ['./effnetlite0_multiclass-496it_isic2017+ham6k-bkl-sk_224px.py']
_runs = 'work_dirs/realdata/cls_effnetlite0_ham_{}/iter_496.pth'
_configs = 'configs/realdata/effnetlite0_{}-496it_isic2017+ham6k{}_224px.py'
model = dict(
    _delete_=True,
    type='ISICEnsembleClassifier',
    multiclass=dict(config=_configs.format('multiclass', '-bkl-sk'),
                    checkpoint=_runs.format('multiclass')),
    melanoma=dict(config=_configs.format('melanoma', ''),
                  checkpoint=_runs.format('melanoma')),
    seborrheic_keratosis=dict(
        config=_configs.format('seborrheic-keratosis', ''),
        checkpoint=_runs.format('seborrheic_keratosis')),
    multiclass_weight=0.5,
    binary_weight=0.5)
