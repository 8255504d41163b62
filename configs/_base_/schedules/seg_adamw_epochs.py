# Epoch-based AdamW for the CPU recipes. The paper fine-tunes with SGD on
# two GPUs for 140 epochs; in the ~10 epochs a 2-core CPU affords, AdamW
# gets much further (measured on the quick configs). Leaf configs set lr,
# epochs and the lr policy (constant for stage 1, linear decay for stage 2,
# as the paper). Hooks and logging: ../seg_epoch_runtime.py.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=0.001, weight_decay=0.0001),
    clip_grad=None)
param_scheduler = []  # constant lr
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=10, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
