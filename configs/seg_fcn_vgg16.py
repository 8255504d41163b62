# Table 1, row "FCN" (68.0 Jaccard): the VGG-16 FCN baseline, same data and
# schedule as ResNet-Seg.
_base_ = ['./seg_resnet.py', './_base_/models/vgg16_deconv_fcn.py']
