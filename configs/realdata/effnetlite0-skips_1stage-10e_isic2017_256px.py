# Ablation "one stage": ImageNet EfficientNet-Lite0 + DeconvFCNHead on the
# challenge training images only (the paper's plain "ResNet-Seg" row), in
# one run of as many epochs as stage 1 + stage 2 together at the ablations'
# budget (effnetlite0-skips_stage{1-6e,2-4e}_*.py: 6 + 4), lr decaying
# linearly from stage 1's after the same warm-up.
_base_ = ['../_base_/models/efficientnet_lite0_deconv_fcn.py',
          '../_base_/recipes/seg_1stage-10e_isic2017_256px.py']
