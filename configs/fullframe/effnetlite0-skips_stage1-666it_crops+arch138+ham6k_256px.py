# Stage 1 at scale, full-frame images held out: as
# effnetlite0-skips_stage1-666it_crops+arch138_256px.py plus the 6,000
# HAM10000 archive images with expert masks (../shared/ham10000_archive,
# ISIC_HAM_ROOT; full-field photographs, mostly 200x150 px), at the same
# 666 iterations of 16: 7,766 images, 1.4 epochs. The large archive vs 138
# archive images, at equal iterations.
_base_ = ['../_base_/models/efficientnet_lite0_deconv_fcn.py',
          '../_base_/recipes/seg_stage1-666it_crops+arch138_256px.py']
train_dataloader = dict(dataset=dict(datasets=_base_.crops_arch138_ham6k))
