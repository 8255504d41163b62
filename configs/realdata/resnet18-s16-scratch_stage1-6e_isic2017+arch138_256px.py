# Ablation "from scratch": the project's earlier CPU recipe (ResNet-18 at
# stride 16, random init, 64-channel DeconvFCNHead, AdamW at 0.002, no
# warm-up) on the same real images, pipeline and epochs as the ImageNet
# EfficientNet-Lite0 at the ablations' budget
# (effnetlite0-skips_stage1-6e_*.py, 6 epochs); stage 2 follows (4 epochs).
_base_ = ['../_base_/models/resnet18_s16_deconv_fcn.py',
          '../_base_/recipes/seg_stage1-6e_isic2017+arch138_256px.py']
optim_wrapper = dict(optimizer=dict(lr=0.002))
param_scheduler = []  # nothing pretrained to protect: no warm-up
