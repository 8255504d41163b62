# Real-data recipe, stage 2: fine-tune the synthetic stage 1 on a small
# real training set (ISIC 2017 layout, or images/ + masks/ with
# data_prefix overrides), 50 epochs with the paper's linear lr decay.
#   python tools/train.py configs/realdata/seg_real_stage2.py \
#       --cfg-options load_from=work_dirs/seg_real_stage1/epoch_20.pth \
#       train_dataloader.dataset.data_root=data/my_real_set ...
# Cross-validated on ../shared/isic_sample (README, "A few real images on a
# CPU"):
#   python tools/cross_validate.py configs/realdata/seg_real_stage2.py \
#       ../shared/isic_sample --folds 3 --tta \
#       --cfg-options load_from=work_dirs/seg_real_stage1/epoch_20.pth
# Training on 27 real images takes about a minute; with stage 1, the whole
# recipe stays well inside 20 minutes. Test with --tta: three scales x four
# flips add the most on real images, whose borders the 160 px model sees
# coarsely. Choices are explained in seg_real_stage1.py.
_base_ = ['../quickstart/seg_quick.py']
load_from = 'work_dirs/seg_real_stage1/epoch_20.pth'
