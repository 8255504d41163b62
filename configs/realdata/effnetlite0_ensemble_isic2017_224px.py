# Table 2 on real images, "ensemble": the 3-class model averaged with the
# two binary models (ISICEnsembleClassifier documents the rule). Nothing is
# trained; tools/realdata.sh cls builds it from the members' last
# checkpoints (tools/build_ensemble.py) and tests it like any model:
#   python tools/build_ensemble.py \
#       configs/realdata/effnetlite0_ensemble_isic2017_224px.py ENSEMBLE.pth \
#       --cfg-options model.multiclass.checkpoint=... (likewise the others)
# Data, pipelines and the metric are the members'; the run names (the
# checkpoints' folders) keep the members' tasks, the config names write
# them with hyphens.
_base_ = [
    '../_base_/datasets/isic2017_real_cls_224.py',
    '../_base_/schedules/cls_adamw_warmup_8e.py',
    '../_base_/cls_epoch_runtime.py'
]
members = ('multiclass', 'melanoma', 'seborrheic_keratosis')
member_config = 'configs/realdata/effnetlite0_{}-8e_isic2017_224px.py'
member_checkpoint = 'work_dirs/realdata/cls_effnetlite0_{}/epoch_8.pth'
model = dict(
    type='ISICEnsembleClassifier',
    multiclass_weight=0.5,
    binary_weight=0.5,
    **{
        m: dict(config=member_config.format(m.replace('_', '-')),
                checkpoint=member_checkpoint.format(m))
        for m in members
    })
