# Stage 1 of the quickstart (fast CPU variant of configs/seg_stage1.py):
# the synthetic challenge images plus a synthetic stand-in for the ISIC
# archive (tools/make_synthetic_isic.py --archive), expert segmentations
# only, at a fixed lr. Stage 2 is ./seg_quick.py with load_from pointing at
# this run's last checkpoint.
_base_ = ['./seg_quick.py']
archive_train = dict(
    type='ISICArchiveSegmentationDataset',
    data_root='work_dirs/quickstart/archive_160',
    data_prefix=dict(img_path='images', seg_map_path='masks'),
    metadata_file='metadata.csv',
    pipeline=_base_.train_pipeline)
# _delete_: the single dataset becomes a ConcatDataset of two (single-source
# configs keep the plain `train_dataloader.dataset.data_root` key)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[_base_.train_dataloader.dataset, archive_train]))
train_cfg = dict(max_epochs=20, val_interval=10)
param_scheduler = []  # fixed lr, as the paper's stage 1
