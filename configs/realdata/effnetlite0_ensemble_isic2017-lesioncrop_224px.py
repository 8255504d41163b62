# Table 2 on real images, segmentation-guided ensemble: the three
# lesion-crop models (effnetlite0_*_isic2017-lesioncrop_224px.py) averaged
# as effnetlite0_ensemble_isic2017_224px.py, tested on lesion crops.
_base_ = ['./effnetlite0_ensemble_isic2017_224px.py']
member_config = ('configs/realdata/effnetlite0_{}-8e_isic2017-lesioncrop_'
                 '224px.py')
member_checkpoint = 'work_dirs/realdata/cls_effnetlite0_{}_crop/epoch_8.pth'
model = {
    m: dict(config=member_config.format(m.replace('_', '-')),
            checkpoint=member_checkpoint.format(m))
    for m in _base_.members
}
val_dataloader = dict(dataset=_base_.lesion_crop_test)
test_dataloader = val_dataloader
