# Stage 1 at scale with twice the iterations, full frames held out: as
# effnetlite0-skips_stage1-666it_crops+arch138+ham6k_256px.py (the 1,628
# crops, the 138 archive images and the 6,000 HAM10000 images) for 1,332
# iterations of 16 (2.7 epochs): where the extra images pay, at 2x the
# 666-iteration budget.
_base_ = ['../_base_/models/efficientnet_lite0_deconv_fcn.py',
          '../_base_/recipes/seg_stage1-666it_crops+arch138_256px.py']
train_dataloader = dict(dataset=dict(datasets=_base_.crops_arch138_ham6k))
train_cfg = dict(max_iters=1332, val_interval=1332)
