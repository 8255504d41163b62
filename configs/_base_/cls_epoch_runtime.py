# Runtime of the classification configs: mmpretrain's default runtime with
# a checkpoint every epoch (an interrupted run resumes losing less than an
# epoch), written atomically, and a fixed seed; leaf configs override these.
_base_ = ['mmpretrain::_base_/default_runtime.py']
# registers isic_plugins' modules and applies its fixes to the pinned stack
# (isic_plugins/utils/torch_compat.py; README: "The pinned stack and its
# fixes")
custom_imports = dict(imports=['isic_plugins'], allow_failed_imports=False)
default_hooks = dict(
    logger=dict(interval=20),
    # atomic writes: a kill mid-save never leaves a truncated .pth
    # (isic_plugins.engine.AtomicLocalBackend)
    # old checkpoints are removed only once the new one is saved
    # (isic_plugins.engine.SafeCheckpointHook)
    checkpoint=dict(type='SafeCheckpointHook', interval=1, max_keep_ckpts=1,
                    save_last=True,
                    backend_args=dict(backend='atomic_local')))
randomness = dict(seed=0)
# freed memory reused by the next step; a NaN/Inf loss stops the run before
# the bad step; --resume applies a changed learning rate; a silent data
# loader worker ends the run after `timeout` s (see
# _base_/seg_epoch_runtime.py)
custom_hooks = [
    dict(type='HeapReuseHook'),
    dict(type='NonFiniteLossHook', max_skips=0),
    dict(type='ResumeLrHook'),
    dict(type='DataLoaderTimeoutHook', timeout=600),
]
# a distributed run whose peer stops answering ends after this many seconds
env_cfg = dict(dist_cfg=dict(timeout=1800))
