# Stage 2 (EfficientNet-Lite2) with cross-entropy + Lovasz-softmax per
# image, full frames held out: as effnetlite2-skips_stage2-4e_crops_256px.py
# (from a stage-1 checkpoint, the 1,628 crops, 4 epochs, lr 0.0005 -> 0)
# with the loss of _base_/losses/seg_ce_lovasz.py; stage 1 keeps
# cross-entropy + Dice.
_base_ = ['../_base_/models/efficientnet_lite2_deconv_fcn.py',
          '../_base_/recipes/seg_stage2-4e_isic2017_256px.py',
          '../_base_/losses/seg_ce_lovasz.py']
model = dict(backbone=dict(weights=None),  # the weights come from stage 1
             decode_head=dict(loss_decode=_base_.ce_lovasz_loss))
train_dataloader = dict(dataset=dict(datasets=[_base_.isic2017_train_crops]))
