# Stage 2 (EfficientNet-Lite2) with the full-frame images held out: from a
# stage-1 checkpoint (load_from, set by the run table), the 1,628 square
# training crops only, 4 epochs, lr decaying linearly from 0.0005 to 0 (the
# paper: 0.0008 -> 0 after a fixed 0.0016). With tools/test.py --tta: the
# multi-scale x 4-flip row.
_base_ = ['../_base_/models/efficientnet_lite2_deconv_fcn.py',
          '../_base_/recipes/seg_stage2-4e_isic2017_256px.py']
model = dict(backbone=dict(weights=None))  # the weights come from stage 1
train_dataloader = dict(dataset=dict(datasets=[_base_.isic2017_train_crops]))
