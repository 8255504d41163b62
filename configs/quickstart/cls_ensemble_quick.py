# Fast CPU variant of configs/cls_ensemble.py on the synthetic data: the
# three quick members, trained with their default work dirs, e.g.
#   python tools/train.py configs/quickstart/cls_multiclass_quick.py
#   (likewise cls_melanoma_quick.py, cls_seborrheic_keratosis_quick.py)
#   python tools/build_ensemble.py configs/quickstart/cls_ensemble_quick.py \
#       work_dirs/cls_ensemble_quick/ensemble.pth
#   python tools/test.py configs/quickstart/cls_ensemble_quick.py \
#       work_dirs/cls_ensemble_quick/ensemble.pth
_base_ = ['../_base_/recipes/cls_quick_synthetic_112px.py']
model = dict(
    type='ISICEnsembleClassifier',
    multiclass=dict(
        config='configs/quickstart/cls_multiclass_quick.py',
        checkpoint='work_dirs/cls_multiclass_quick/epoch_40.pth'),
    melanoma=dict(
        config='configs/quickstart/cls_melanoma_quick.py',
        checkpoint='work_dirs/cls_melanoma_quick/epoch_40.pth'),
    seborrheic_keratosis=dict(
        config='configs/quickstart/cls_seborrheic_keratosis_quick.py',
        checkpoint='work_dirs/cls_seborrheic_keratosis_quick/epoch_40.pth'),
    multiclass_weight=0.5,
    binary_weight=0.5)
