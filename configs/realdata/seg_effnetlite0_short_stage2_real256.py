# Table 1 on real images at the ablations' budget: stage 2 of
# seg_effnetlite0_stage2_real256.py cut to 4 epochs (lr still decaying
# linearly to 0), from the 6-epoch stage 1. Stage 1 + 2 = 10 epochs, as the
# one-stage, no-skip and from-scratch rows.
_base_ = ['./seg_effnetlite0_stage2_real256.py']
load_from = 'work_dirs/seg_effnetlite0_short_stage1_real256/epoch_6.pth'
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=4, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=4, val_interval=4)
