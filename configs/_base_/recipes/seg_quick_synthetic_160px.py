# Recipe piece (data, schedule and runtime; a config adds its model) of
# the quickstart's segmentation, on the synthetic ISIC data that
# tools/quickstart.sh generates (tools/make_synthetic_isic.py):
# - 160 px instead of 500 px (longer side), crops of 128 px: ~10x fewer
#   pixels; scoring is still at each image's original resolution. Training
#   reads images downscaled offline (tools/prepare_isic.py --longer-side
#   160, as the paper did at 500 px); validation and test the originals;
# - AdamW at lr 0.002: from scratch, SGD at the paper's 0.0008 (meant for
#   fine-tuning) barely moves in 500 steps. The configs set the lr policy
#   and the epochs.
_base_ = [
    '../datasets/isic2017_seg.py', '../schedules/seg_adamw_epochs.py',
    '../seg_epoch_runtime.py'
]
data_root = 'work_dirs/quickstart/data'
img_scale = (160, 160)
crop_size = (128, 128)
size_overrides = dict(
    Resize=dict(scale=img_scale), RandomCrop=dict(crop_size=crop_size))
train_pipeline = [
    dict(t, **size_overrides.get(t['type'], {})) for t in _base_.train_pipeline
]
test_pipeline = [
    dict(t, **size_overrides.get(t['type'], {})) for t in _base_.test_pipeline
]
isic2017_train = dict(
    _base_.isic2017_train,
    data_root='work_dirs/quickstart/data_160',
    pipeline=train_pipeline)
# the archive stand-in (tools/make_synthetic_isic.py --archive) of stage 1
archive_train = dict(
    type='ISICArchiveSegmentationDataset',
    data_root='work_dirs/quickstart/archive_160',
    data_prefix=dict(img_path='images', seg_map_path='masks'),
    metadata_file='metadata.csv',
    pipeline=train_pipeline)
# training images are loaded in the training process itself: at 160 px the
# pipeline is cheap, and two worker processes on a 2-core CPU cost the
# training step more (their share of the cores plus passing every tensor
# between processes) than they save (README, "Benchmarks";
# benchmarks/bench_train.py). On a GPU machine set num_workers back (e.g.
# 2, persistent_workers=True).
train_dataloader = dict(
    batch_size=10,
    num_workers=0,
    persistent_workers=False,
    dataset=isic2017_train)
val_dataloader = dict(
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = val_dataloader
optim_wrapper = dict(optimizer=dict(lr=0.002))
default_hooks = dict(checkpoint=dict(interval=10), logger=dict(interval=10))
# `tools/test.py --tta`: three scales around the 160 px training size
tta_scales = [(128, 128), (160, 160), (192, 192)]
tta_model = dict(scales=tta_scales)
