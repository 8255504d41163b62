# Epoch-based AdamW for stage 2 of the CPU recipes: lr 0.0005 (half of
# stage 1's 0.001, as the paper halves 0.0016 to 0.0008) decaying linearly
# to 0 over 4 epochs, updated every iteration. Configs with another length
# set param_scheduler's `end` and train_cfg's max_epochs.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=0.0005, weight_decay=0.0001),
    clip_grad=None)
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=4, convert_to_iter_based=True)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=4, val_interval=4)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
