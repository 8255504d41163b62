# Table 1, row "FCN" (68.0 Jaccard): the VGG-16 FCN baseline. mmpretrain's
# ImageNet VGG-16 as the encoder and the same deconvolution head on its
# stride-32 pool5 features; data and schedule as ResNet-Seg.
_base_ = ['./seg_resnet.py']
model = dict(
    backbone=dict(
        _delete_=True,
        type='mmpretrain.VGG',  # VGG lives in mmpretrain's registry
        depth=16,
        out_indices=(4, ),
        init_cfg=dict(
            type='Pretrained',
            checkpoint='https://download.openmmlab.com/mmclassification/v0/'
            'vgg/vgg16_batch256_imagenet_20210208-db26f1a5.pth',
            prefix='backbone.')),
    decode_head=dict(in_channels=512, in_index=0))
