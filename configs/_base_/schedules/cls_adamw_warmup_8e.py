# Epoch-based AdamW for fine-tuning an ImageNet classifier on a CPU budget
# (the real-data classifiers): 8 epochs, lr 5e-4 (a tenth of the
# from-scratch 1e-3 would barely move the head in 500 steps, 1e-3 disturbs
# the ImageNet filters), weight decay 0.05, a 100-step warm-up for the
# random head, then a linear decay to 0 (the paper's linear schedule).
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=5e-4, weight_decay=0.05))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=100),
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=8, convert_to_iter_based=True)
]
train_cfg = dict(by_epoch=True, max_epochs=8, val_interval=8)
val_cfg = dict()
test_cfg = dict()
