# Runtime of every segmentation config: mmseg's default runtime with logs,
# checkpoints and the lr schedule counted in epochs (Bi et al. count
# epochs), and a fixed seed.
_base_ = ['mmseg::_base_/default_runtime.py']
# registers isic_plugins' modules and applies its fixes to the pinned stack
# (isic_plugins/utils/torch_compat.py; README: "The pinned stack and its
# fixes")
custom_imports = dict(imports=['isic_plugins'], allow_failed_imports=False)
log_processor = dict(by_epoch=True)
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=20),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        # old checkpoints are removed only once the new one is saved
        # (isic_plugins.engine.SafeCheckpointHook)
        type='SafeCheckpointHook',
        by_epoch=True,
        interval=5,
        max_keep_ckpts=2,
        save_last=True,
        # atomic writes: a kill mid-save never leaves a truncated .pth
        # (isic_plugins.engine.AtomicLocalBackend)
        backend_args=dict(backend='atomic_local')),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
randomness = dict(seed=0)
# `tools/test.py --tta`: the paper's multi-scale x {none, left-right,
# up-down, both} flips, probabilities averaged at the largest view's size and
# resized to the original size once (merge='per_view': each view resized to
# the original size, the exact average, several times slower on full-size
# photos; the masks agree on > 99.9% of pixels). The scales belong to the
# training resolution: each dataset piece defines them as `tta_scales`
# (with the `tta_pipeline` that keeps the original image), and the config
# that lists the dataset piece passes them on:
#   tta_model = dict(scales=_base_.tta_scales)
tta_model = dict(
    type='ISICSegTTAModel',
    flips=['none', 'horizontal', 'vertical', 'diagonal'],
    chunk_size=4,
    merge='working')
# - HeapReuseHook: glibc keeps the memory a training step frees for the
#   next step instead of mapping fresh pages each time (what it saves:
#   README, "Benchmarks"; benchmarks/bench_train.py);
# - NonFiniteLossHook: a NaN/Inf loss stops the run before the bad step is
#   taken or saved, naming the iteration, the loss terms and the last good
#   checkpoint (max_skips=N tolerates N bad iterations, skipping their step);
# - ResumeLrHook: --resume with a learning rate changed in the config uses
#   the new one (mmengine would restore the checkpoint's);
# - DataLoaderTimeoutHook: a data loader worker that sends nothing for
#   `timeout` seconds ends the run instead of hanging it.
# (isic_plugins/engine/: one module per hook)
custom_hooks = [
    dict(type='HeapReuseHook'),
    dict(type='NonFiniteLossHook', max_skips=0),
    dict(type='ResumeLrHook'),
    dict(type='DataLoaderTimeoutHook', timeout=600),
]
# a process of a distributed run that stops answering (its node died, its
# network went away) ends the others' collectives after this many seconds
env_cfg = dict(dist_cfg=dict(timeout=1800))
