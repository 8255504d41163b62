# Stage 1 at scale with EfficientNet-Lite2, full-frame images held out:
# as effnetlite0-skips_stage1-666it_crops+arch138+ham6k_256px.py (the
# 1,628 crops, the 138 archive images and the 6,000 HAM10000 images, 666
# iterations of 16) with the larger encoder.
_base_ = ['../_base_/models/efficientnet_lite2_deconv_fcn.py',
          '../_base_/recipes/seg_stage1-666it_crops+arch138_256px.py']
train_dataloader = dict(dataset=dict(datasets=_base_.crops_arch138_ham6k))
