# Stage 1 at scale with EfficientNet-Lite2 and twice the iterations, full
# frames held out: the 1,628 crops, the 138 archive images and the 6,000
# HAM10000 images, 1,332 iterations of 16 (2.7 epochs over these 7,766
# images), fixed lr; the Lite2 counterpart of
# effnetlite0-skips_stage1-1332it_crops+arch138+ham6k_256px.py.
_base_ = ['../_base_/models/efficientnet_lite2_deconv_fcn.py',
          '../_base_/recipes/seg_stage1-666it_crops+arch138_256px.py']
train_dataloader = dict(dataset=dict(datasets=_base_.crops_arch138_ham6k))
train_cfg = dict(max_iters=1332, val_interval=1332)
