# Table 1 on real images at the ablations' budget: stage 1 (as the
# *stage1-12e* config) cut to 6 epochs, the budget at which the
# from-scratch, one-stage and no-skip rows are trained, so that each
# comparison in the table is at equal epochs.
#   python tools/train.py \
#       configs/realdata/effnetlite0-skips_stage1-6e_isic2017+arch138_256px.py
_base_ = ['../_base_/models/efficientnet_lite0_deconv_fcn.py',
          '../_base_/recipes/seg_stage1-6e_isic2017+arch138_256px.py']
