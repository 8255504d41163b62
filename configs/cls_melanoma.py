# Table 2, row "two binary ResNets", melanoma half (AUC % melanoma 85.5): the
# 3-class recipe (configs/cls_multiclass.py) with a 2-way head trained on
# melanoma (1) vs. the rest (0). Scored on melanoma only; its partner is
# configs/cls_seborrheic_keratosis.py (SK 97.0, mean 91.3).
_base_ = ['./cls_multiclass.py']
task = 'melanoma'
model = dict(head=dict(num_classes=2))
data_preprocessor = dict(num_classes=2)
train_dataloader = dict(
    dataset=dict(datasets=[
        dict(_base_.isic2017_train, task=task),
        dict(_base_.isic_archive_train, task=task)
    ]))
val_dataloader = dict(dataset=dict(task=task))
test_dataloader = dict(dataset=dict(task=task))
