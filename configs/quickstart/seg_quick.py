# Fast CPU variant of configs/seg_stage2.py for the synthetic ISIC data
# that tools/quickstart.sh generates (tools/make_synthetic_isic.py). What
# differs from the paper's setting, and why:
# - ResNet-18 from scratch at stride 16 (no ImageNet download offline;
#   _base_/models/resnet18_s16_deconv_fcn.py) instead of an ImageNet
#   ResNet-50: 5x fewer FLOPs, and at 128 px a stride-32 map (4x4) only
#   yields blobs; the head upsamples 8x and adds a Dice term;
# - 160 px, AdamW at lr 0.002 with the paper's linear decay over 50 epochs
#   (_base_/recipes/seg_quick_synthetic_160px.py says why).
# Stage 1 is ./seg_stage1_quick.py; tools/quickstart.sh passes its weights
# as load_from.
_base_ = ['../_base_/models/resnet18_s16_deconv_fcn.py',
          '../_base_/recipes/seg_quick_synthetic_160px.py']
# every training batch padded to one crop size
model = dict(data_preprocessor=dict(size=_base_.crop_size, size_divisor=None))
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=50, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=50, val_interval=10)
