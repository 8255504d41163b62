# Table 2 on real images, segmentation-guided ensemble: the three lesion-crop
# models (cls_effnetlite0_*_crop_real224.py) averaged as
# cls_effnetlite0_ensemble_real224.py, tested on lesion crops.
_base_ = ['./cls_effnetlite0_multiclass_crop_real224.py']
_members = 'work_dirs/realdata/cls_effnetlite0_{}_crop/epoch_8.pth'
_configs = 'configs/realdata/cls_effnetlite0_{}_crop_real224.py'
model = dict(
    _delete_=True,
    type='ISICEnsembleClassifier',
    multiclass=dict(
        config=_configs.format('multiclass'),
        checkpoint=_members.format('multiclass')),
    melanoma=dict(
        config=_configs.format('melanoma'),
        checkpoint=_members.format('melanoma')),
    seborrheic_keratosis=dict(
        config=_configs.format('seborrheic_keratosis'),
        checkpoint=_members.format('seborrheic_keratosis')),
    multiclass_weight=0.5,
    binary_weight=0.5)
