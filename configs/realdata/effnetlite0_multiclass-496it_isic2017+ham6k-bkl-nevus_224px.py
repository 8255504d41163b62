# As effnetlite0_multiclass-496it_isic2017+ham6k-bkl-sk_224px.py with the
# archive's "benign keratosis" images counted as nevus ("not melanoma, not
# seborrheic keratosis").
_base_ = ['./effnetlite0_multiclass-496it_isic2017+ham6k-bkl-sk_224px.py']
# inverse class frequency (1,480 melanoma / 254 SK / 6,235 nevus), mean 1
model = dict(head=dict(loss=dict(class_weight=[0.42, 2.47, 0.10])))
ham_train = dict(_base_.ham_train, diagnosis_map=_base_.ham_bkl_as_nevus)
train_dataloader = dict(dataset=dict(
    datasets=[_base_.isic2017_train, ham_train]))
