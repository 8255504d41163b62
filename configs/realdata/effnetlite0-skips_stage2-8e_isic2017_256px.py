# Table 1 on real images, stage 2 of "with extra images" and, with
# `tools/test.py --tta`, the multi-scale + flip row: from the 12-epoch
# stage-1 weights, the challenge training images only, lr decaying linearly
# from half of stage 1's over 8 epochs of 1,969 images.
#   python tools/train.py \
#       configs/realdata/effnetlite0-skips_stage2-8e_isic2017_256px.py
#   python tools/test.py \
#       configs/realdata/effnetlite0-skips_stage2-8e_isic2017_256px.py \
#       work_dirs/effnetlite0-skips_stage2-8e_isic2017_256px/epoch_8.pth --tta
_base_ = ['../_base_/models/efficientnet_lite0_deconv_fcn.py',
          '../_base_/recipes/seg_stage2-4e_isic2017_256px.py']
load_from = ('work_dirs/effnetlite0-skips_stage1-12e_isic2017+arch138_256px/'
             'epoch_12.pth')
model = dict(backbone=dict(weights=None))  # the weights come from stage 1
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=8, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=8, val_interval=8)
