# FCN-VGG baseline of Table 1 (68.0 Jaccard): mmpretrain's VGG-16 (ImageNet)
# as the encoder, the same deconvolution head on its stride-32 pool5 features.
_base_ = ['./resnet50_deconv_fcn.py']
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
