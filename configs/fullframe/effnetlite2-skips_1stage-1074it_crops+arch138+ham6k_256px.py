# "One stage" at scale (EfficientNet-Lite2), full frames held out: the
# stage-1 training set (the 1,628 crops, the 138 archive images and the
# 6,000 HAM10000 images) for as many iterations as stage 1 + stage 2
# together (666 + 408 = 1,074 of 16), lr 0.001 after the same warm-up,
# then decaying linearly to 0: "two stages vs one" with the large archive
# at equal iterations, against effnetlite2-skips_stage1-666it_crops+
# arch138+ham6k_256px.py -> effnetlite2-skips_stage2-4e_crops_256px.py.
_base_ = ['../_base_/models/efficientnet_lite2_deconv_fcn.py',
          '../_base_/recipes/seg_stage1-666it_crops+arch138_256px.py']
train_dataloader = dict(dataset=dict(datasets=_base_.crops_arch138_ham6k))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=100),
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=False,
         begin=0, end=1074)
]
train_cfg = dict(max_iters=1074, val_interval=1074)
