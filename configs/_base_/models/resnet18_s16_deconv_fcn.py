# The project's from-scratch CPU recipe (no ImageNet weights): ResNet-18 at
# stride 16 (last stage dilated: at 128-256 px a stride-32 map only yields
# blobs) + a 64-channel DeconvFCNHead, cross-entropy + Dice.
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    # training batches of crops from images of several sizes: pad each to
    # the batch's largest (ignored label 255 in the padding)
    size_divisor=32)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='ResNet',
        depth=18,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        norm_cfg=norm_cfg,
        norm_eval=False,
        style='pytorch',
        init_cfg=None),
    decode_head=dict(
        type='DeconvFCNHead',
        in_channels=512,
        in_index=3,
        channels=64,
        num_convs=1,
        concat_input=False,
        num_deconvs=3,
        dropout_ratio=0.1,
        num_classes=2,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=[
            dict(type='CrossEntropyLoss', loss_weight=1.0),
            dict(type='DiceLoss', loss_weight=0.5)
        ]),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
