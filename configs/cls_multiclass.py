# Table 2, row "ResNet, 3 classes" (AUC % melanoma 84.3 / seborrheic
# keratosis 96.9 / mean 90.6): one ImageNet ResNet-50 with a 3-way softmax
# [melanoma, seborrheic_keratosis, nevus], trained on the 2,000 challenge
# images plus ~1,600 confirmed ISIC archive images for 150 epochs, lr 0.01
# decaying linearly, batch 90 (45 per GPU on 2 GPUs:
# tools/dist_train.sh configs/cls_multiclass.py 2).
_base_ = [
    './_base_/models/resnet50_isic_cls.py',
    './_base_/datasets/isic2017_cls.py',
    './_base_/schedules/cls_sgd_150e.py',
    './_base_/cls_epoch_runtime.py',
]
# the ensemble reads the final epoch_150.pth
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=2))
