# Table 2 on real images, segmentation-guided: the _base_ config on lesion
# crops (LesionCrop: the box of the mask that the segmentation
# model predicted, with a margin; the whole image where it found nothing).
# The masks are predicted once for every training and Test_v2 image
# (tools/predict.py --masks-only; tools/realdata.sh cls does it).
_base_ = ['./effnetlite0_seborrheic-keratosis-8e_isic2017_224px.py']
train_dataloader = dict(dataset=dict(
    datasets=[dict(_base_.isic2017_train, **_base_.lesion_crop_train)]))
val_dataloader = dict(dataset=_base_.lesion_crop_test)
test_dataloader = val_dataloader
