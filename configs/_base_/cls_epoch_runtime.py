# Runtime of the real-data classification configs: mmpretrain's default
# runtime with a checkpoint every epoch (an interrupted run resumes losing
# less than an epoch), written atomically, and a fixed seed.
_base_ = ['mmpretrain::_base_/default_runtime.py']
default_hooks = dict(
    logger=dict(interval=20),
    # atomic writes: a kill mid-save never leaves a truncated .pth
    # (isic_plugins.engine.AtomicLocalBackend)
    checkpoint=dict(interval=1, max_keep_ckpts=1, save_last=True,
                    backend_args=dict(backend='atomic_local')))
randomness = dict(seed=0)
# freed memory reused by the next step (isic_plugins.engine.HeapReuseHook;
# see _base_/seg_epoch_runtime.py)
custom_hooks = [dict(type='HeapReuseHook')]
