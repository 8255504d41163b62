# Iteration-based AdamW for stage 1 (fixed lr after a 100-iteration
# warm-up, as the paper's stage 1 keeps its lr fixed): leaf configs set
# max_iters. The warm-up keeps the randomly initialised head from pushing
# large gradients into the ImageNet encoder.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=0.001, weight_decay=0.0001),
    clip_grad=None)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=100)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=666, val_interval=666)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
