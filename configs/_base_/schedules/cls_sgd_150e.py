# Bi et al.'s classification schedule: SGD, lr 0.01 decaying linearly to 0
# over 150 epochs (updated every iteration), batch 90 in total.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.0001))
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=150, convert_to_iter_based=True)
]
train_cfg = dict(by_epoch=True, max_epochs=150, val_interval=5)
val_cfg = dict()
test_cfg = dict()
# lr 0.01 is for 90 images per step; with another total batch size,
# --cfg-options auto_scale_lr.enable=True scales it linearly.
auto_scale_lr = dict(base_batch_size=90, enable=False)
