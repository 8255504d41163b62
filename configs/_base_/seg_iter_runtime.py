# Runtime of the segmentation configs counted in iterations (stage 1 of
# the large-scale runs: stage 1 with 138 or with 6,138 archive images is
# compared at equal iterations, not epochs): logs and checkpoints by
# iteration, everything else as ./seg_epoch_runtime.py.
_base_ = ['./seg_epoch_runtime.py']
log_processor = dict(by_epoch=False)
default_hooks = dict(
    logger=dict(log_metric_by_epoch=False),
    # an interrupted run resumes losing < 100 iterations
    checkpoint=dict(by_epoch=False, interval=100, max_keep_ckpts=1))
