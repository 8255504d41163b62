# Stage 1 with the full-frame images held out: ImageNet EfficientNet-Lite0
# + DeconvFCNHead (skips) on the 1,628 square training crops and the 138
# archive images, 666 iterations of 16 (the 6 epochs of the 6 + 4 recipe
# over these 1,766 images), fixed lr. The 341 full-frame training images
# are the validation split (README, "Table 1 on real images").
#   python tools/realdata.py seg ../shared/isic2017_real \
#       --runs ff_lite0_arch138
_base_ = ['../_base_/models/efficientnet_lite0_deconv_fcn.py',
          '../_base_/recipes/seg_stage1-666it_crops+arch138_256px.py']
