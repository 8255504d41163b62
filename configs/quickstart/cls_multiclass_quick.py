# Fast CPU variant of configs/cls_multiclass.py for the synthetic ISIC data
# that tools/quickstart.sh generates. What differs from the paper's
# setting, and why:
# - a half-width ResNet-18 from scratch (no ImageNet download offline)
#   instead of an ImageNet ResNet-50: ~20x fewer FLOPs;
# - 112 px, the challenge-layout images only, AdamW for 40 epochs
#   (_base_/recipes/cls_quick_synthetic_112px.py says why).
_base_ = ['../_base_/models/resnet18_half_isic_cls.py',
          '../_base_/recipes/cls_quick_synthetic_112px.py']
