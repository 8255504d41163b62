# Stage 2 (EfficientNet-Lite2) with the 6,000 HAM10000 full-field images
# beside the 1,628 crops, full frames held out: from a stage-1 checkpoint
# (load_from, set by the run table), 408 iterations of 16 (as 4 epochs of
# the crops alone), lr 0.0005 -> 0. One change from
# effnetlite2-skips_stage2-4e_crops_256px.py: stage 2 keeps seeing whole
# photographs (vignettes, rulers, large lesions in the frame), standing in
# for the challenge's own full frames that the final models train on.
_base_ = ['../_base_/models/efficientnet_lite2_deconv_fcn.py',
          '../_base_/recipes/seg_stage2-408it_256px.py']
model = dict(backbone=dict(weights=None))  # the weights come from stage 1
train_dataloader = dict(dataset=dict(
    datasets=[_base_.isic2017_train_crops, _base_.ham10000_train]))
