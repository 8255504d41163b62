# Ablation "from scratch", stage 2: as effnetlite0-skips_stage2-4e_*.py
# (training images only, 4 epochs, lr halved and decaying linearly).
_base_ = ['../_base_/models/resnet18_s16_deconv_fcn.py',
          '../_base_/recipes/seg_stage2-4e_isic2017_256px.py']
load_from = ('work_dirs/resnet18-s16-scratch_stage1-6e_isic2017+arch138_256px'
             '/epoch_6.pth')
optim_wrapper = dict(optimizer=dict(lr=0.001))
