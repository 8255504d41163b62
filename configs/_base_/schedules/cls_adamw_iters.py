# Iteration-based AdamW of the fine-tuned real-data classifiers, for runs
# compared at equal iterations (the large-archive classifiers against the
# challenge-only ones): 496 iterations = 8 epochs of the 1,969 challenge
# training images at batch 32 (62 batches an epoch), lr 5e-4 with a
# 100-iteration warm-up for the random head, then linear decay to 0: the
# schedule of cls_effnetlite0_multiclass_real224.py counted in iterations.
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
