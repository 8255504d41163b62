# Table 1, row "ResNet-Seg with extra images" - stage 1 (77.8 Jaccard after
# stage 2): ImageNet ResNet-50 + deconvolution FCN head (./seg_resnet.py)
# on the 2,000 challenge images plus ~8,000 ISIC archive images with expert
# segmentations, about 60 epochs at a fixed lr of 0.0016, batch 10 (5 per
# GPU on 2 GPUs: tools/dist_train.sh configs/seg_stage1.py 2).
_base_ = ['./seg_resnet.py']
archive_train = dict(
    type='ISICArchiveSegmentationDataset',
    data_root='data/ISIC_archive_500',  # tools/prepare_isic.py output
    data_prefix=dict(img_path='images', seg_map_path='masks'),
    metadata_file='metadata.csv',
    pipeline={{_base_.train_pipeline}})
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[{{_base_.isic2017_train}}, archive_train]))
optim_wrapper = dict(optimizer=dict(lr=0.0016))
train_cfg = dict(max_epochs=60)
param_scheduler = []  # fixed lr
