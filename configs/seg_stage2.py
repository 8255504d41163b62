# Table 1, stage 2 of "ResNet-Seg with extra images" (77.8 Jaccard) and,
# with `tools/test.py --tta`, "MResNet-Seg" (79.4, multi-scale + flips):
# the ImageNet ResNet-50 + deconvolution FCN head of ./seg_resnet.py,
# started from the stage-1 weights and fine-tuned on the 2,000 challenge
# images for about 80 epochs, lr decaying linearly from 0.0008, batch 10.
# The paper's protocol verbatim:
#   bash tools/dist_train.sh configs/seg_stage2.py 2
_base_ = ['./seg_resnet.py']
load_from = 'work_dirs/seg_stage1/epoch_60.pth'
# The weights come from stage 1: no ImageNet download needed here.
model = dict(backbone=dict(init_cfg=None))
optim_wrapper = dict(optimizer=dict(lr=0.0008))
train_cfg = dict(max_epochs=80)
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0, end_factor=0.0, by_epoch=True,
         begin=0, end=80, convert_to_iter_based=True)
]
# MResNet-Seg (`tools/test.py ... --tta`): the runtime's tta_model
# (_base_/seg_epoch_runtime.py: the dataset piece's three scales around the
# 500 px training size x {none, left-right, up-down, both} flips,
# probabilities averaged at the original size) with the dataset's
# tta_pipeline, which keeps the original image.
