# The ensemble of the three lesion-crop models with the large archive
# (effnetlite0_*-496it_isic2017+ham6k-lesioncrop_224px.py), as
# effnetlite0_ensemble_isic2017+ham6k_224px.py, tested on lesion crops.
_base_ = ['./effnetlite0_multiclass-496it_isic2017+ham6k-bkl-sk_224px.py']
_runs = 'work_dirs/realdata/cls_effnetlite0_ham_{}_crop/iter_496.pth'
_configs = ('configs/realdata/'
            'effnetlite0_{}-496it_isic2017+ham6k-lesioncrop_224px.py')
model = dict(
    _delete_=True,
    type='ISICEnsembleClassifier',
    multiclass=dict(config=_configs.format('multiclass'),
                    checkpoint=_runs.format('multiclass')),
    melanoma=dict(config=_configs.format('melanoma'),
                  checkpoint=_runs.format('melanoma')),
    seborrheic_keratosis=dict(
        config=_configs.format('seborrheic-keratosis'),
        checkpoint=_runs.format('seborrheic_keratosis')),
    multiclass_weight=0.5,
    binary_weight=0.5)
val_dataloader = dict(dataset=_base_.lesion_crop_test)
test_dataloader = val_dataloader
