# Table 1 on real images: stage 2 of the EfficientNet-Lite2 row, 4 epochs
# from seg_effnetlite2_short_stage1_real256.py (as
# seg_effnetlite0_short_stage2_real256.py for Lite0); with
# `tools/test.py --tta`, the multi-scale + flip row.
#   python tools/train.py \
#       configs/realdata/seg_effnetlite2_short_stage2_real256.py
_base_ = [
    '../_base_/models/efficientnet_lite2_deconv_fcn.py',
    '../_base_/recipes/seg_stage2-4e_isic2017_256px.py'
]
load_from = 'work_dirs/seg_effnetlite2_short_stage1_real256/epoch_6.pth'
model = dict(backbone=dict(weights=None))  # the weights come from stage 1
