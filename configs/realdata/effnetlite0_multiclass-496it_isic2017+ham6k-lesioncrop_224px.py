# effnetlite0_multiclass-496it_isic2017+ham6k-bkl-sk_224px.py
# on lesion crops (LesionCrop: the box of the mask that the segmentation
# model predicted, the whole image where it found nothing), for the archive
# images as for the challenge images: masks predicted once for every image
# (tools/realdata.py cls does it).
_base_ = ['./effnetlite0_multiclass-496it_isic2017+ham6k-bkl-sk_224px.py']
train_dataloader = dict(dataset=dict(datasets=[
    dict(_base_.isic2017_train, **_base_.lesion_crop_train),
    dict(_base_.ham_train, **_base_.lesion_crop_ham_train),
]))
val_dataloader = dict(dataset=_base_.lesion_crop_test)
test_dataloader = val_dataloader
