# Stage 2 with zoom-out (Lite0), full frames held out: as
# effnetlite0-skips_stage2-4e_crops_256px.py (the 1,628 crops, 4 epochs,
# lr 0.0005 -> 0 from a stage-1 checkpoint) with the training resize
# ranging 0.5-1.5 of 256 px (padded below the crop size, the padding
# ignored by the loss).
_base_ = ['../_base_/models/efficientnet_lite0_deconv_fcn.py',
          '../_base_/recipes/seg_stage2-4e_isic2017_256px.py']
model = dict(backbone=dict(weights=None))  # the weights come from stage 1
zoom_out_pipeline = [
    dict(t, ratio_range=(0.5, 1.5)) if t['type'] == 'RandomResize' else t
    for t in _base_.train_pipeline
]
train_dataloader = dict(dataset=dict(datasets=[
    dict(_base_.isic2017_train_crops, pipeline=zoom_out_pipeline)]))
