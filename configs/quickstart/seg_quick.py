# Fast CPU variant of configs/seg_stage2.py for the synthetic ISIC data
# that tools/quickstart.sh generates (tools/make_synthetic_isic.py): a few
# minutes on 2 cores. What differs from the paper's setting, and why:
# - ResNet-18 from scratch at stride 16 (no ImageNet download offline;
#   _base_/models/resnet18_s16_deconv_fcn.py) instead of an ImageNet
#   ResNet-50: 5x fewer FLOPs, and at 128 px a stride-32 map (4x4) only
#   yields blobs; the head upsamples 8x and adds a Dice term;
# - 160 px instead of 500 px (longer side), crops of 128 px
#   (_base_/datasets/isic2017_seg_160.py): ~10x fewer pixels; scoring is
#   still at each image's original resolution;
# - AdamW at lr 0.002 with the paper's linear decay: from scratch, SGD at
#   the paper's 0.0008 (meant for fine-tuning) barely moves in 500 steps.
# Stage 1 is ./seg_stage1_quick.py; tools/quickstart.sh passes its weights
# as load_from.
_base_ = [
    '../_base_/models/resnet18_s16_deconv_fcn.py',
    '../_base_/datasets/isic2017_seg_160.py',
    '../_base_/schedules/seg_adamw_epochs.py',
    '../_base_/seg_epoch_runtime.py',
]
# registers isic_plugins' modules and applies its four mmengine fixes
# (README: "The pinned stack and its fixes")
custom_imports = dict(imports=['isic_plugins'], allow_failed_imports=False)
# tools/quickstart.sh writes the synthetic data, then downscales the training
# images offline (tools/prepare_isic.py --longer-side 160), as the paper did
# at 500 px; validation and test read the originals.
data_root = 'work_dirs/quickstart/data'
# every training batch padded to one crop size
model = dict(data_preprocessor=dict(size=_base_.crop_size, size_divisor=None))
# training images are loaded in the training process itself: at 160 px the
# pipeline costs ~0.7 ms an image, and two worker processes on a 2-core CPU
# cost the training step more (their share of the cores plus passing every
# tensor between processes) than they save: 0.947 vs 0.972 of a bare
# loop's images/s (benchmarks/bench_train.py). On a GPU machine set
# num_workers back (e.g. 2, persistent_workers=True).
train_dataloader = dict(
    batch_size=10,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(data_root='work_dirs/quickstart/data_160'))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
optim_wrapper = dict(optimizer=dict(lr=0.002))
train_cfg = dict(max_epochs=50, val_interval=10)
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=50, convert_to_iter_based=True)
]
default_hooks = dict(checkpoint=dict(interval=10), logger=dict(interval=10))
tta_model = dict(scales=[(128, 128), (160, 160), (192, 192)])
