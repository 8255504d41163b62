# Stage 1 of the quickstart (fast CPU variant of configs/seg_stage1.py):
# the synthetic challenge images plus a synthetic stand-in for the ISIC
# archive (tools/make_synthetic_isic.py --archive), expert segmentations
# only, at a fixed lr. Stage 2 is ./seg_quick.py with load_from pointing at
# this run's last checkpoint.
_base_ = ['../_base_/models/resnet18_s16_deconv_fcn.py',
          '../_base_/recipes/seg_quick_synthetic_160px.py']
model = dict(data_preprocessor=dict(size=_base_.crop_size, size_divisor=None))
# _delete_: the single dataset becomes a ConcatDataset of two (single-source
# configs keep the plain `train_dataloader.dataset.data_root` key)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[_base_.isic2017_train, _base_.archive_train]))
param_scheduler = []  # fixed lr, as the paper's stage 1
train_cfg = dict(max_epochs=20, val_interval=10)
