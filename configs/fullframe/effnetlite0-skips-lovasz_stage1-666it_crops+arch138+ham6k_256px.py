# Stage 1 at scale with cross-entropy + Lovasz-softmax per image, full
# frames held out: as effnetlite0-skips_stage1-666it_crops+arch138+ham6k_
# 256px.py (Lite0, crops + 138 + 6,000 archive images, 666 iterations of
# 16) with one change, the loss (_base_/losses/seg_ce_lovasz.py instead of
# cross-entropy + Dice).
_base_ = ['../_base_/models/efficientnet_lite0_deconv_fcn.py',
          '../_base_/recipes/seg_stage1-666it_crops+arch138_256px.py',
          '../_base_/losses/seg_ce_lovasz.py']
model = dict(decode_head=dict(loss_decode=_base_.ce_lovasz_loss))
train_dataloader = dict(dataset=dict(datasets=_base_.crops_arch138_ham6k))
