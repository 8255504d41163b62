# ResNet-Seg of Bi et al.: an ImageNet-pretrained ResNet-50 and an FCN head
# whose convolutional + deconvolutional layers upsample the stride-32
# ResNet features (DeconvFCNHead: 3 learned 2x deconvolutions -> 1/4, then
# bilinear to the input size).
norm_cfg = dict(type='BN', requires_grad=True)  # sync_bn='torch' for SyncBN
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='ResNet',
        depth=50,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        strides=(1, 2, 2, 2),
        dilations=(1, 1, 1, 1),
        norm_cfg=norm_cfg,
        norm_eval=False,
        style='pytorch',
        # torchvision's ImageNet ResNet-50 (the URL, not 'torchvision://',
        # which needs torchvision installed). Offline: download it once and
        # pass --cfg-options model.backbone.init_cfg.checkpoint=/path.pth,
        # or model.backbone.init_cfg=None to train from scratch.
        init_cfg=dict(
            type='Pretrained',
            checkpoint='https://download.pytorch.org/models/'
            'resnet50-0676ba61.pth')),
    decode_head=dict(
        type='DeconvFCNHead',
        in_channels=2048,
        in_index=3,
        channels=256,
        num_convs=1,
        concat_input=False,
        num_deconvs=3,
        dropout_ratio=0.1,
        num_classes=2,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
