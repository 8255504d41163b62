# Table 1 on real images: stage 2 of the EfficientNet-Lite2 row, 4 epochs
# from seg_effnetlite2_short_stage1_real256.py (as
# seg_effnetlite0_short_stage2_real256.py for Lite0); with
# `tools/test.py --tta`, the multi-scale + flip row.
#   python tools/train.py \
#       configs/realdata/seg_effnetlite2_short_stage2_real256.py
_base_ = ['./seg_effnetlite0_stage2_real256.py']
load_from = 'work_dirs/seg_effnetlite2_short_stage1_real256/epoch_6.pth'
# Lite2's stride-4/8/16 features have 24/48/120 channels (Lite0: 24/40/112)
model = dict(
    backbone=dict(arch='lite2'),
    decode_head=dict(skip_channels=(120, 48, 24)))
# the 6 + 4 budget's stage 2 (seg_effnetlite0_short_stage2_real256.py)
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=4, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=4, val_interval=4)
