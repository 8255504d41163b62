# The project's from-scratch CPU model: ResNet-Seg (./resnet50_deconv_fcn.py)
# with a ResNet-18 at stride 16 (last stage dilated: at 128-256 px a stride-32
# map only yields blobs), random initialisation (no ImageNet download), a
# 64-channel head and cross-entropy + Dice.
_base_ = ['./resnet50_deconv_fcn.py']
model = dict(
    data_preprocessor=dict(
        # training batches of crops from images of several sizes: pad each
        # to the batch's largest (ignored label 255 in the padding)
        size_divisor=32),
    backbone=dict(
        depth=18,
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        init_cfg=None),
    decode_head=dict(
        in_channels=512,
        channels=64,
        loss_decode=[
            dict(type='CrossEntropyLoss', loss_weight=1.0),
            dict(type='DiceLoss', loss_weight=0.5)
        ]))
