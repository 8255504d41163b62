# Runtime of the classification configs counted in iterations: logs and
# checkpoints by iteration (an interrupted run resumes losing less than 62
# iterations, one epoch of the challenge images), everything else as
# ./cls_epoch_runtime.py.
_base_ = ['./cls_epoch_runtime.py']
log_processor = dict(by_epoch=False)
default_hooks = dict(
    logger=dict(log_metric_by_epoch=False),
    checkpoint=dict(by_epoch=False, interval=62, max_keep_ckpts=1))
