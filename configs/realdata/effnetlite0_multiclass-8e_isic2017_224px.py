# Table 2 on real images, row "3 classes": ImageNet EfficientNet-Lite0 with
# a 3-way softmax [melanoma, seborrheic_keratosis, nevus] on the 1,969
# challenge training images, scored on Test_v2: 8 epochs of 62 batches of
# 32 at 224 px with the stem and first two stages frozen (training times:
# README, "Table 2 on real images").
#   bash tools/realdata.sh cls ../shared/isic2017_real   (the whole table)
#   python tools/train.py \
#       configs/realdata/effnetlite0_multiclass-8e_isic2017_224px.py
_base_ = [
    '../_base_/models/efficientnet_lite0_isic_cls.py',
    '../_base_/datasets/isic2017_real_cls_224.py',
    '../_base_/schedules/cls_adamw_warmup_8e.py',
    '../_base_/cls_epoch_runtime.py'
]
