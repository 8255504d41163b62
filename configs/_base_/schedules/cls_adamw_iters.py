# Iteration-based AdamW of the fine-tuned real-data classifiers, for runs
# compared at equal iterations (the large-archive classifiers against the
# challenge-only ones): 496 iterations = 8 epochs of the 1,969 challenge
# training images at batch 32 (62 batches an epoch), lr 5e-4 with a
# 100-iteration warm-up for the random head, then linear decay to 0: the
# schedule of effnetlite0_multiclass-8e_isic2017_224px.py counted in
# iterations. Logs by iteration; the leaves set
# default_hooks = _base_.iteration_hooks (checkpoints by iteration: an
# interrupted run resumes losing less than 62 iterations, one epoch of the
# challenge images; the runtime piece holds the other hook settings, so
# they cannot be set here as well).
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=5e-4, weight_decay=0.05))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=100),
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=False,
         begin=0, end=496)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=496, val_interval=496)
val_cfg = dict()
test_cfg = dict()
iteration_hooks = dict(
    logger=dict(log_metric_by_epoch=False),
    checkpoint=dict(by_epoch=False, interval=62, max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
