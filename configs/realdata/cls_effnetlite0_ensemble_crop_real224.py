# Table 2 on real images, segmentation-guided ensemble: the three lesion-crop
# models (cls_effnetlite0_*_crop_real224.py) averaged as
# cls_effnetlite0_ensemble_real224.py, tested on lesion crops.
_base_ = ['./cls_effnetlite0_ensemble_real224.py']
member_config = 'configs/realdata/cls_effnetlite0_{}_crop_real224.py'
member_checkpoint = 'work_dirs/realdata/cls_effnetlite0_{}_crop/epoch_8.pth'
model = {
    m: dict(config=member_config.format(m),
            checkpoint=member_checkpoint.format(m))
    for m in _base_.members
}
val_dataloader = dict(dataset=_base_.lesion_crop_test)
test_dataloader = val_dataloader
