# Fast CPU variant of configs/seg_stage2.py for the synthetic ISIC data that
# tools/quickstart.sh generates (tools/make_synthetic_isic.py): a few
# minutes on 2 cores. What differs from the paper's setting, and why:
# - ResNet-18 from scratch (no ImageNet download offline) instead of an
#   ImageNet ResNet-50: 5x fewer FLOPs;
# - 160 px instead of 500 px (longer side), crops of 128 px: ~10x fewer
#   pixels; scoring is still at each image's original resolution. To keep
#   borders sharp at that size the backbone runs at stride 16, the head
#   upsamples 8x (stride 2 logits) and adds a Dice term to the
#   cross-entropy;
# - AdamW at lr 0.002 with the paper's linear decay: from scratch, SGD at
#   the paper's 0.0008 (meant for fine-tuning) barely moves in 500 steps.
_base_ = ['../seg_stage2.py']
# tools/quickstart.sh writes the synthetic data, then downscales the training
# images offline (tools/prepare_isic.py --longer-side 160), as the paper did
# at 500 px; validation and test read the originals.
data_root = 'work_dirs/quickstart/data'
train_data_root = 'work_dirs/quickstart/data_160'
load_from = None  # quickstart.sh passes the stage-1 weights
img_scale = (160, 160)
crop_size = (128, 128)
train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='LoadISICAnnotations'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(
        type='RandomFlip',
        prob=[0.25, 0.25, 0.25],
        direction=['horizontal', 'vertical', 'diagonal']),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='LoadISICAnnotations'),
    dict(type='PackSegInputs')
]
model = dict(
    data_preprocessor=dict(size=crop_size),
    # stride 16 (last stage dilated): a 128 px crop still gives 8x8
    # features; at stride 32 (4x4) predicted lesions come out as blobs.
    backbone=dict(
        depth=18,
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        init_cfg=None),
    decode_head=dict(
        in_channels=512,
        channels=64,
        num_deconvs=3,
        loss_decode=[
            dict(type='CrossEntropyLoss', loss_weight=1.0),
            dict(type='DiceLoss', loss_weight=0.5)
        ]))
train_dataloader = dict(
    batch_size=10,
    dataset=dict(data_root=train_data_root, pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = dict(
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=0.002, weight_decay=1e-4))
train_cfg = dict(max_epochs=50, val_interval=10)
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=50, convert_to_iter_based=True)
]
default_hooks = dict(checkpoint=dict(interval=10), logger=dict(interval=10))
tta_model = dict(scales=[(128, 128), (160, 160), (192, 192)])
