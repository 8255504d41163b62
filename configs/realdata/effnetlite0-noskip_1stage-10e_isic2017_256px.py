# Ablation "no skips": effnetlite0-skips_1stage-10e_isic2017_256px.py with
# the paper's head (deconvolutions from the stride-32 features alone), to
# measure what the skip connections of
# ../_base_/models/efficientnet_lite0_deconv_fcn.py add at 224-256 px.
_base_ = ['../_base_/models/efficientnet_lite0_deconv_fcn.py',
          '../_base_/recipes/seg_1stage-10e_isic2017_256px.py']
model = dict(
    backbone=dict(out_indices=(8, )),
    decode_head=dict(in_index=0, skip_indices=(), skip_channels=()))
