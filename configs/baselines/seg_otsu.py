# The classical baseline of the real-data comparison: Otsu's threshold on
# the blue channel, the largest dark component, holes filled (nothing is
# learned). Scored like every model, at each image's original resolution:
#   python tools/test.py configs/baselines/seg_otsu.py none --out DIR
# ("none": there are no weights to load).
_base_ = ['../seg_resnet.py']
model = dict(
    _delete_=True,
    type='OtsuLesionSegmentor',
    blur=5,
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        mean=[0.0, 0.0, 0.0],
        std=[1.0, 1.0, 1.0],
        bgr_to_rgb=False))
