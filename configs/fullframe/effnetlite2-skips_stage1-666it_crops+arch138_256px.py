# Stage 1 with EfficientNet-Lite2, full frames held out: the 1,628 square
# training crops and the 138 archive images, 666 iterations of 16, fixed
# lr; the Lite2 counterpart of
# effnetlite0-skips_stage1-666it_crops+arch138_256px.py (the "138 archive
# images" side of the large-archive comparison for Lite2).
_base_ = ['../_base_/models/efficientnet_lite2_deconv_fcn.py',
          '../_base_/recipes/seg_stage1-666it_crops+arch138_256px.py']
