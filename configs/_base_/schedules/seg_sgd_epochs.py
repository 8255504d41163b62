# Epoch-based SGD schedule for the segmentation stages (Bi et al. count
# epochs). Leaf configs set lr, the number of epochs and the lr policy.
# Hooks and logging: ../seg_epoch_runtime.py.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.0016, momentum=0.9, weight_decay=0.0005),
    clip_grad=None)
param_scheduler = []  # constant lr
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=60, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
