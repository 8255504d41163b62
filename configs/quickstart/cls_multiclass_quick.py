# Fast CPU variant of configs/cls_multiclass.py for the synthetic ISIC data
# that tools/quickstart.sh generates (tools/make_synthetic_isic.py: 100
# train / 30 val / 30 test images): about a minute on 2 free cores. What
# differs from the paper's setting, and why:
# - a half-width ResNet-18 from scratch (no ImageNet download offline)
#   instead of an ImageNet ResNet-50: ~20x fewer FLOPs;
# - 112 px instead of 224 px: 4x fewer pixels (the synthetic lesions differ
#   in colour, shape and coarse texture);
# - the 100 challenge-layout images only (no archive);
# - AdamW at 1e-3 for 40 epochs (still decaying linearly to 0): from
#   scratch on 100 images, SGD did not get near the target AUC in that time.
# The paper's pieces with these changes are the bases below.
_base_ = [
    '../_base_/models/resnet18_half_isic_cls.py',
    '../_base_/datasets/isic2017_cls_112.py',
    '../_base_/schedules/cls_adamw_epochs.py',
    '../_base_/cls_epoch_runtime.py',
]
# registers isic_plugins' modules and applies its four mmengine fixes
# (README: "The pinned stack and its fixes")
custom_imports = dict(imports=['isic_plugins'], allow_failed_imports=False)
data_root = 'work_dirs/quickstart/data'
# the challenge-layout images only (no archive stand-in)
quick_train = dict(_base_.isic2017_train, data_root=data_root)
train_dataloader = dict(
    batch_size=16, num_workers=2, dataset=dict(datasets=[quick_train]))
val_dataloader = dict(
    batch_size=30, num_workers=2, dataset=dict(data_root=data_root))
test_dataloader = dict(
    batch_size=30, num_workers=2, dataset=dict(data_root=data_root))
default_hooks = dict(
    logger=dict(interval=5),
    # atomic writes: a kill mid-save never leaves a truncated .pth
    checkpoint=dict(interval=10, max_keep_ckpts=1, save_last=True,
                    backend_args=dict(backend='atomic_local')))
randomness = dict(seed=0)
