# Table 2, row "ensemble" (AUC % melanoma 85.4 / seborrheic keratosis 97.6 /
# mean 91.5): the 3-class model averaged with the two binary models,
# p_mel = 0.5 * p3[mel] + 0.5 * p_bin_mel[1], likewise for SK (the rule is
# documented in ISICEnsembleClassifier). Nothing is trained here. After
# training the three members with their configs:
#   python tools/build_ensemble.py configs/cls_ensemble.py \
#       work_dirs/cls_ensemble/ensemble.pth
#   python tools/test.py configs/cls_ensemble.py \
#       work_dirs/cls_ensemble/ensemble.pth \
#       --out work_dirs/cls_ensemble/ISIC-2017_Test_v2_Part3.csv
# build_ensemble.py loads each member's checkpoint below into one ensemble
# checkpoint, which tools/test.py loads like any other (other member
# checkpoints: --cfg-options model.melanoma.checkpoint=PATH ...).
# Data, pipelines and the metric are the 3-class config's.
_base_ = ['./cls_multiclass.py']
model = dict(
    _delete_=True,
    type='ISICEnsembleClassifier',
    multiclass=dict(
        config='configs/cls_multiclass.py',
        checkpoint='work_dirs/cls_multiclass/epoch_150.pth'),
    melanoma=dict(
        config='configs/cls_melanoma.py',
        checkpoint='work_dirs/cls_melanoma/epoch_150.pth'),
    seborrheic_keratosis=dict(
        config='configs/cls_seborrheic_keratosis.py',
        checkpoint='work_dirs/cls_seborrheic_keratosis/epoch_150.pth'),
    multiclass_weight=0.5,
    binary_weight=0.5)
