# Ablation "from scratch", stage 2: as seg_effnetlite0_short_stage2_real256.py
# (training images only, 4 epochs, lr halved and decaying linearly).
_base_ = ['./seg_resnet18_scratch_stage1_real256.py']
load_from = 'work_dirs/seg_resnet18_scratch_stage1_real256/epoch_6.pth'
train_dataloader = dict(dataset=dict(datasets=[_base_.isic2017_train]))
optim_wrapper = dict(optimizer=dict(lr=0.001))
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=4, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=4, val_interval=4)
