# Ablation "from scratch", stage 2: as seg_effnetlite0_short_stage2_real256.py
# (training images only, 4 epochs, lr halved and decaying linearly).
_base_ = [
    '../_base_/models/resnet18_s16_deconv_fcn.py',
    '../_base_/recipes/seg_stage2-4e_isic2017_256px.py'
]
load_from = 'work_dirs/seg_resnet18_scratch_stage1_real256/epoch_6.pth'
optim_wrapper = dict(optimizer=dict(lr=0.001))
