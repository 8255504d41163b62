# Table 2, row "two binary ResNets", seborrheic keratosis half (AUC % SK
# 97.0): the 3-class recipe (configs/cls_multiclass.py) with a 2-way head
# trained on seborrheic keratosis (1) vs. the rest (0). Scored on SK only;
# its partner is configs/cls_melanoma.py (melanoma 85.5, mean 91.3).
_base_ = ['./cls_multiclass.py']
task = 'seborrheic_keratosis'
model = dict(head=dict(num_classes=2))
data_preprocessor = dict(num_classes=2)
train_dataloader = dict(
    dataset=dict(datasets=[
        dict(_base_.isic2017_train, task=task),
        dict(_base_.isic_archive_train, task=task)
    ]))
val_dataloader = dict(dataset=dict(task=task))
test_dataloader = dict(dataset=dict(task=task))
