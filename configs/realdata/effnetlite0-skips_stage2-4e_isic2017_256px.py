# Table 1 on real images at the ablations' budget: stage 2, 4 epochs (lr
# decaying linearly to 0) from the 6-epoch stage 1
# (effnetlite0-skips_stage1-6e_*.py). Stage 1 + 2 = 10 epochs, as the
# one-stage, no-skip and from-scratch rows.
_base_ = ['../_base_/models/efficientnet_lite0_deconv_fcn.py',
          '../_base_/recipes/seg_stage2-4e_isic2017_256px.py']
load_from = ('work_dirs/effnetlite0-skips_stage1-6e_isic2017+arch138_256px/'
             'epoch_6.pth')
model = dict(backbone=dict(weights=None))  # the weights come from stage 1
