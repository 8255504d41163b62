# Table 2 on real images, row "3 classes": ImageNet EfficientNet-Lite0 with
# a 3-way softmax [melanoma, seborrheic_keratosis, nevus] on the 1,969
# challenge training images, scored on Test_v2.
#   bash tools/realdata.sh cls ../shared/isic2017_real   (the whole table)
#   python tools/train.py \
#       configs/realdata/cls_effnetlite0_multiclass_real224.py
# Budget (2-core CPU, the limit: 40 minutes per classifier): 8
# epochs of 62 batches of 32 at 224 px with the stem and first two stages
# frozen, about 20 minutes (measured on a quiet machine: 2.46 s a batch, so
# 15 epochs took 41 minutes, over the limit); AdamW at 5e-4 (a pretrained
# encoder: a tenth of the from-scratch recipe's 1e-3 would barely move the
# head in 500 steps, 1e-3 disturbs the ImageNet filters), a 100-step
# warm-up for the random head, then a linear decay to 0 (the paper's linear
# schedule).
_base_ = [
    '../_base_/models/efficientnet_lite0_isic_cls.py',
    '../_base_/datasets/isic2017_real_cls_224.py',
    '../_base_/schedules/cls_adamw_epochs.py',
    '../_base_/cls_epoch_runtime.py',
]
# registers isic_plugins' modules and applies its four mmengine fixes
# (README: "The pinned stack and its fixes")
custom_imports = dict(imports=['isic_plugins'], allow_failed_imports=False)
optim_wrapper = dict(optimizer=dict(lr=5e-4, weight_decay=0.05))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=100),
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=8, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=8, val_interval=8)
