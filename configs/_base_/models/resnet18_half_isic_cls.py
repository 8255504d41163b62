# The project's from-scratch CPU classifier: the paper's classifier
# (./resnet50_isic_cls.py) with a half-width ResNet-18 (~20x fewer FLOPs
# than ResNet-50) and random initialisation (no ImageNet download).
_base_ = ['./resnet50_isic_cls.py']
model = dict(
    backbone=dict(
        depth=18, stem_channels=32, base_channels=32, init_cfg=None),
    head=dict(in_channels=256))
