# Recipe piece (data, schedule and runtime; a config adds its model): stage
# 1 with the full-frame images held out, on the 1,628 square training crops
# and the 138 archive images, 666 iterations of 16 (the 6 epochs of the
# 6 + 4 recipe over these 1,766 images) at a fixed lr after a warm-up.
# Counted in iterations, not epochs, so that stage 1 with other training
# sets (the configs name them: ../datasets/isic2017_real_seg_256.py) is
# compared at equal iterations: logs and checkpoints by iteration too.
_base_ = [
    '../datasets/isic2017_real_seg_256.py', '../schedules/seg_adamw_iters.py',
    '../seg_epoch_runtime.py'
]
train_dataloader = dict(dataset=dict(datasets=_base_.crops_arch138))
log_processor = dict(by_epoch=False)
default_hooks = dict(
    logger=dict(log_metric_by_epoch=False),
    # an interrupted run resumes losing < 100 iterations
    checkpoint=dict(by_epoch=False, interval=100, max_keep_ckpts=1))
tta_model = dict(scales=_base_.tta_scales, chunk_size=12)
