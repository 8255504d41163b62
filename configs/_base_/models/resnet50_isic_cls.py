# The classifier of Bi et al.: an ImageNet-pretrained ResNet-50 (mmpretrain's
# weights) with global average pooling and a linear head. 3 outputs for the
# 3-class model [melanoma, seborrheic_keratosis, nevus]; the binary configs
# set num_classes=2. Offline: download the checkpoint once and pass
# --cfg-options model.backbone.init_cfg.checkpoint=/path.pth, or
# model.backbone.init_cfg=None to train from scratch.
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='ResNet',
        depth=50,
        num_stages=4,
        out_indices=(3, ),
        style='pytorch',
        init_cfg=dict(
            type='Pretrained',
            checkpoint='https://download.openmmlab.com/mmclassification/v0/'
            'resnet/resnet50_8xb32_in1k_20210831-ea4938fc.pth',
            prefix='backbone.')),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=3,
        in_channels=2048,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, )))
