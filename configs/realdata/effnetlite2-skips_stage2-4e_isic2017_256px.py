# Table 1 on real images: stage 2 of the EfficientNet-Lite2 row, 4 epochs
# from effnetlite2-skips_stage1-6e_*.py (as effnetlite0-skips_stage2-4e_*.py
# for Lite0); with `tools/test.py --tta`, the multi-scale + flip row.
#   python tools/train.py \
#       configs/realdata/effnetlite2-skips_stage2-4e_isic2017_256px.py
_base_ = ['../_base_/models/efficientnet_lite2_deconv_fcn.py',
          '../_base_/recipes/seg_stage2-4e_isic2017_256px.py']
load_from = ('work_dirs/effnetlite2-skips_stage1-6e_isic2017+arch138_256px/'
             'epoch_6.pth')
model = dict(backbone=dict(weights=None))  # the weights come from stage 1
