# Table 1 on real images, stage 2 of "with extra images" and, with
# `tools/test.py --tta`, the multi-scale + flip row: from the stage-1
# weights, the challenge training images only, lr decaying linearly from
# half of stage 1's, as the paper (0.0016 fixed, then 0.0008 -> 0).
# 8 epochs of 1,969 images, about 18 minutes on a quiet 2-core machine.
#   python tools/train.py configs/realdata/seg_effnetlite0_stage2_real256.py
#   python tools/test.py configs/realdata/seg_effnetlite0_stage2_real256.py \
#       work_dirs/seg_effnetlite0_stage2_real256/epoch_8.pth --tta
_base_ = ['./seg_effnetlite0_stage1_real256.py']
load_from = 'work_dirs/seg_effnetlite0_stage1_real256/epoch_12.pth'
model = dict(backbone=dict(weights=None))  # the weights come from stage 1
train_dataloader = dict(dataset=dict(datasets=[_base_.isic2017_train]))
optim_wrapper = dict(optimizer=dict(lr=0.0005))
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=8, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=8, val_interval=8)
