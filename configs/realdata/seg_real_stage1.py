# Real-data recipe, stage 1: learn lesions on many synthetic ISIC images,
# the offline, weight-free stand-in for the paper's ~8,000 archive images.
# It is the quickstart's stage 1 (synthetic challenge + archive images,
# expert segmentations only, fixed lr); generate and downscale its data as
# tools/quickstart.sh does (or run the quickstart once):
#   python tools/make_synthetic_isic.py work_dirs/quickstart/data --seed 0
#   python tools/make_synthetic_isic.py work_dirs/quickstart/archive --archive 200 --seed 1
#   python tools/prepare_isic.py work_dirs/quickstart/data work_dirs/quickstart/data_160 --longer-side 160
#   python tools/prepare_isic.py work_dirs/quickstart/archive work_dirs/quickstart/archive_160 --longer-side 160
#   python tools/train.py configs/realdata/seg_real_stage1.py
# Why these choices, for a 2-core CPU and about 20 minutes for both stages:
# - ResNet-18 at stride 16 (last stage dilated) instead of ResNet-50 at
#   stride 32: 5x fewer FLOPs, and at 128-160 px a stride-32 map (4x4) only
#   yields blobs;
# - 160 px (longer side) and 128 px crops: ~10x fewer pixels than 500 px;
#   scoring stays at each image's original resolution;
# - Dice + cross-entropy: lesions cover 10-60% of an image, the Dice term
#   keeps borders from shrinking towards the majority class;
# - AdamW (lr 0.002) from scratch: the paper's SGD fine-tuning rates barely
#   move a randomly initialised net in a few hundred steps;
# - augmentation: random crops (scale/position), left-right, up-down and
#   diagonal flips, photometric distortion (colour, brightness, contrast,
#   hue: real dermoscopy colour varies far more than the synthetic set's).
# About 3 minutes on a quiet 2-core machine (20 epochs, ~260 images).
_base_ = ['../quickstart/seg_stage1_quick.py']
