# Stage 1 with zoom-out, full frames held out: as
# effnetlite0-skips_stage1-666it_crops+arch138_256px.py (Lite0, the 1,628
# crops + 138 archive images, 666 iterations of 16) with one change: the
# training resize ranges 0.5-1.5 of 256 px instead of 0.9-1.5, so lesions
# are seen smaller as well as larger, as in a full frame; a batch's images
# below the 224 px crop are padded by the data preprocessor (label 255 in
# the padding: ignored by the loss).
_base_ = ['../_base_/models/efficientnet_lite0_deconv_fcn.py',
          '../_base_/recipes/seg_stage1-666it_crops+arch138_256px.py']
zoom_out_pipeline = [
    dict(t, ratio_range=(0.5, 1.5)) if t['type'] == 'RandomResize' else t
    for t in _base_.train_pipeline
]
train_dataloader = dict(dataset=dict(datasets=[
    dict(d, pipeline=zoom_out_pipeline) for d in _base_.crops_arch138]))
