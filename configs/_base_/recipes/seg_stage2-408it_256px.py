# Recipe piece (data, schedule and runtime; a config adds its model, its
# training sets and the stage-1 weights, load_from): stage 2 counted in
# iterations, for stage-2 training sets other than the 1,628 crops (the
# full-field archive images beside them): 408 iterations of 16, the length
# of 4 epochs of the crops (seg_stage2-4e_isic2017_256px.py), so the two
# are compared at equal iterations; lr 0.0005 decaying linearly to 0 per
# iteration; logs and checkpoints by iteration. Same data, optimiser and
# TTA pieces as seg_stage2-4e_isic2017_256px.py, inherited from them
# directly (at most three files deep).
_base_ = [
    '../datasets/isic2017_real_seg_256.py',
    '../schedules/seg_adamw_linear_4e.py', '../seg_epoch_runtime.py'
]
tta_model = dict(scales=_base_.tta_scales, chunk_size=12)
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=False,
         begin=0, end=408)
]
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=408,
                 val_interval=408)
log_processor = dict(by_epoch=False)
default_hooks = dict(
    logger=dict(log_metric_by_epoch=False),
    checkpoint=dict(by_epoch=False, interval=100, max_keep_ckpts=1))
