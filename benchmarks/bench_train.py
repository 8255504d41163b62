"""Training throughput: tools/train.py's runner vs a bare PyTorch loop.

Questions answered, all on the segmentation config
(``configs/quickstart/seg_quick.py`` by default: ResNet-18 at stride 16 +
DeconvFCNHead, 128 px crops of 160 px images, batch 10, AdamW):

1. **Runner vs bare loop.** The project side is the mmengine ``Runner``
   built exactly as ``tools/train.py`` builds it (``load_config`` +
   ``Runner.from_cfg``, then ``runner.train()``), reading a synthetic ISIC
   2017 training set made for the run (``--num-train`` images, 320-640 px)
   and downscaled offline like the quickstart (longer side 160 px). The
   config is the real one (its epoch-based loop, scheduler, hooks and
   logging included; its ``HeapReuseHook`` sets glibc's malloc thresholds
   for the whole process, so the bare loop in the same process runs with
   them too), with only what a benchmark must change: no validation,
   no checkpoints, warnings-only console output, and a hook that stops the
   run when the measurements are done. The hook reads the clock after every
   iteration (after the other hooks); images/s of a window = ``window x
   batch / (t_after_last_iter - t_after_iter_before_window)``, so everything
   the runner does per iteration (waiting for the loader,
   ``data_preprocessor``, forward, loss, backward, ``OptimWrapper`` step, lr
   scheduler, logging hooks) is inside it.

   The reference is a hand-written loop over the same model built from the
   same config (``MODELS.build(cfg.model)``), the same optimizer class and
   settings (``torch.optim.AdamW``, lr and weight decay from the config),
   the same batch and crop size, on 4 batches taken from the same pipeline
   (used in turn), **already normalised and in memory**
   (``data_preprocessor`` run once, outside the clock): ``zero_grad`` ->
   ``model.loss(inputs, samples)`` (the config's cross-entropy + Dice,
   mmseg's own loss code, so only the framework around it differs) -> sum
   of the loss terms -> ``backward`` -> ``step``. Nothing else.

2. **Loader vs consumption.** The training data loader alone (a second
   instance built from the same ``train_dataloader`` config: same dataset,
   pipeline, batch, workers), iterated without a model for whole epochs
   (so that its workers are idle when the clock stops): images/s, against
   the images/s the runner consumed. Above 1: the loader never starves
   training.

After ``--warmup`` untimed iterations of the runner and of the bare loop
(and one untimed loader epoch), each round times ``--window`` runner
iterations, then - inside the hook, off the runner's clock - as many bare
iterations and ``--loader-epochs`` loader epochs, so the three are
measured back to back; every figure is the median over ``--repeats``
rounds, ratios the median of the per-round ratios.

    python benchmarks/bench_train.py [--device cpu|cuda] [--window 6]
        [--repeats 5] [--json out.json]
"""
import argparse
import copy
import itertools
import os.path as osp
import sys
import tempfile
import time
from typing import Callable, Dict, List, Optional, Tuple
from unittest import mock

import torch
from mmengine.config import DictAction
from mmengine.hooks import Hook
from mmengine.runner import Runner

import isic_plugins  # noqa: F401  (registers modules, applies torch compat)
from isic_plugins.data_prep import plan_jobs, run_job
from isic_plugins.testing import make_synthetic_isic
from isic_plugins.utils.config_loading import load_config

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from benchutils import (  # noqa: E402
    REPO,
    fmt,
    machine_info,
    median,
    paired_ratio,
    resolve_device,
    run_benchmark,
    sync,
)

DEFAULT_CONFIG = osp.join(REPO, 'configs', 'quickstart', 'seg_quick.py')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default=DEFAULT_CONFIG,
                        help='segmentation config (default: the quick one)')
    parser.add_argument('--device', default='cpu', help="'cpu' or 'cuda'")
    parser.add_argument('--num-train', type=int, default=100,
                        help='synthetic training images (default 100)')
    parser.add_argument('--prepare-size', type=int, default=160,
                        help='offline downscaling, longer side (default 160,'
                        ' as the quickstart; 0: none)')
    parser.add_argument('--warmup', type=int, default=3,
                        help='untimed iterations first (default 3)')
    parser.add_argument('--window', type=int, default=6,
                        help='iterations per timed window (default 6)')
    parser.add_argument('--repeats', type=int, default=5,
                        help='timed rounds (default 5)')
    parser.add_argument('--loader-epochs', type=int, default=1,
                        help='epochs per loader-only window (default 1)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        default={}, help='config overrides as in '
                        'tools/train.py (e.g. train_dataloader.num_workers=1)'
                        ', applied to both sides')
    parser.add_argument('--json', help='also write the results here')
    return parser.parse_args(argv)


def make_training_set(root: str, num_train: int, prepare_size: int) -> str:
    """A synthetic ISIC 2017 training split, downscaled like the quickstart.

    Returns:
        str: The data root training reads.
    """
    raw = osp.join(root, 'data')
    make_synthetic_isic(raw, num_train=num_train, num_val=0, num_test=0,
                        seed=0, min_size=320, max_size=640)
    if not prepare_size:
        return raw
    prepared = f'{raw}_{prepare_size}'
    for job in plan_jobs(raw, prepared, longer=prepare_size):
        run_job(job)
    return prepared


def build_cfg(config: str, data_root: str, work_dir: str, epochs: int,
              cfg_options: Optional[dict] = None):
    """The config ``tools/train.py`` would load, made fit for timing.

    The config's own (epoch-based) loop is kept: mmengine's
    ``IterBasedTrainLoop`` sleeps 2 s at every pass through the data set,
    which would be charged to the runner. Only ``max_epochs`` changes (the
    timing hook stops the run once it has measured enough). The training
    set reads ``data_root`` (every part of a ``ConcatDataset``).
    """
    cfg = load_config(config, cfg_options, work_dir)
    dataset = cfg.train_dataloader.dataset
    for part in dataset.get('datasets', [dataset]):
        part.data_root = data_root
    cfg.train_cfg.max_epochs = epochs
    for split in ('val', 'test'):
        cfg[f'{split}_cfg'] = None
        cfg[f'{split}_dataloader'] = None
        cfg[f'{split}_evaluator'] = None
    cfg.default_hooks.checkpoint = None
    cfg.log_level = 'WARNING'
    cfg.load_from = None
    cfg.resume = False
    return cfg


class MeasurementsDone(Exception):
    """Raised by the timing hook to end training once all is measured."""


class BareLoop:
    """The reference: a hand-written loop on in-memory, normalised batches.

    Args:
        cfg (Config): The training config (model and optimizer are read).
        batches (list[dict]): Raw batches from the training pipeline.
        device (str): Where to train.
    """

    def __init__(self, cfg, batches: List[dict], device: str) -> None:
        from mmseg.registry import MODELS
        self.model = MODELS.build(copy.deepcopy(cfg.model))
        self.model.init_weights()
        self.model.to(device).train()
        opt_cfg = copy.deepcopy(cfg.optim_wrapper.optimizer)
        opt_cls = getattr(torch.optim, opt_cfg.pop('type'))
        self.optimizer = opt_cls(self.model.parameters(), **opt_cfg)
        with torch.no_grad():
            self.data = [self.model.data_preprocessor(b, True)
                         for b in batches]
        self.device = device
        self.steps = 0

    def step(self) -> None:
        data = self.data[self.steps % len(self.data)]
        self.steps += 1
        self.optimizer.zero_grad()
        losses = self.model.loss(data['inputs'], data['data_samples'])
        loss = sum(v for k, v in losses.items() if 'loss' in k)
        loss.backward()
        self.optimizer.step()

    def run(self, iters: int) -> float:
        """Seconds for ``iters`` steps."""
        sync(self.device)
        start = time.perf_counter()
        for _ in range(iters):
            self.step()
        sync(self.device)
        return time.perf_counter() - start


class LoaderOnly:
    """The training data loader on its own, whole epochs at a time.

    Whole epochs, because a loader with persistent workers keeps
    prefetching after the last batch taken: stopping mid-epoch would leave
    its workers busy during the next measurement. At the end of an epoch
    they have nothing left to do.
    """

    def __init__(self, loader) -> None:
        self.loader = loader

    def take(self, n: int) -> List[dict]:
        """The first ``n`` batches of an epoch (for the bare loop)."""
        return list(itertools.islice(self.loader, n))

    def run(self, epochs: int) -> Tuple[int, float]:
        """Images delivered in ``epochs`` epochs, and the seconds taken."""
        images = 0
        start = time.perf_counter()
        for _ in range(epochs):
            for batch in self.loader:
                images += len(batch['inputs'])
        return images, time.perf_counter() - start


class WindowTimer(Hook):
    """Times the runner in windows; runs ``between`` after each window.

    Args:
        warmup (int): Untimed iterations first.
        window (int): Iterations per timed window.
        repeats (int): Windows; then :class:`MeasurementsDone` is raised.
        between (Callable[[bool], None]): Called after the warm-up
            (``True``) and after each window (``False``), off the clock.
        device (str): Where the model trains (GPU work is waited for).
    """
    priority = 'LOWEST'  # after the logger: its work belongs to the runner

    def __init__(self, warmup: int, window: int, repeats: int,
                 between: Callable[[bool], None], device: str) -> None:
        self.warmup = warmup
        self.window = window
        self.repeats = repeats
        self.between = between
        self.device = device
        self.windows: List[float] = []
        self.start: Optional[float] = None

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        sync(self.device)
        now = time.perf_counter()
        done = runner.iter + 1
        if done == self.warmup:
            self.between(True)
        elif done > self.warmup and (done - self.warmup) % self.window == 0:
            self.windows.append(now - self.start)
            self.between(False)
            if len(self.windows) == self.repeats:
                raise MeasurementsDone
        else:
            return
        sync(self.device)
        self.start = time.perf_counter()


def measure(args: argparse.Namespace) -> Dict[str, object]:
    """Run the three measurements; return figures and result rows."""
    device = resolve_device(args.device)
    warmup = max(1, args.warmup)
    total = warmup + args.window * args.repeats
    with tempfile.TemporaryDirectory(prefix='bench_train_') as tmp:
        t0 = time.perf_counter()
        data_root = make_training_set(tmp, args.num_train, args.prepare_size)
        cfg = build_cfg(args.config, data_root, osp.join(tmp, 'work_dir'),
                        epochs=1, cfg_options=args.cfg_options)
        batch = cfg.train_dataloader.batch_size
        per_epoch = -(-args.num_train // batch)  # the last batch is kept
        cfg.train_cfg.max_epochs = 1 + -(-total // per_epoch)
        # mmengine puts the model on the GPU whenever there is one.
        with mock.patch('mmengine.runner.runner.get_device',
                        return_value=device):
            runner = Runner.from_cfg(cfg)
        loader = LoaderOnly(Runner.build_dataloader(
            copy.deepcopy(cfg.train_dataloader), seed=0))
        bare = BareLoop(cfg, loader.take(4), device)
        ref_s: List[float] = []
        loader_ips: List[float] = []

        def between(warming_up: bool) -> None:
            if warming_up:
                bare.run(warmup)
                loader.run(1)
                return
            ref_s.append(bare.run(args.window))
            images, seconds = loader.run(args.loader_epochs)
            loader_ips.append(images / seconds)

        timer = WindowTimer(warmup, args.window, args.repeats, between,
                            device)
        runner.register_hook(timer)
        setup_s = time.perf_counter() - t0
        try:
            runner.train()
        except MeasurementsDone:
            pass
        loader = None  # its worker processes end here

    runner_ips = [args.window * batch / t for t in timer.windows]
    bare_ips = [args.window * batch / t for t in ref_s]
    crops = [t['crop_size'] for t in cfg.get('train_pipeline') or []
             if t['type'] == 'RandomCrop']
    crop = tuple(cfg.model.data_preprocessor.get('size') or
                 (crops[0] if crops else ()))
    dev = device.split(':')[0]
    cfg_name = osp.splitext(osp.basename(args.config))[0]
    model_desc = (f'{osp.basename(args.config)}, batch {batch}, '
                  f'{crop[0]}x{crop[1]} crops' if crop else
                  osp.basename(args.config))
    train_ratio = paired_ratio(runner_ips, bare_ips)
    loader_ratio = paired_ratio(loader_ips, runner_ips)
    rows = [
        dict(key=f'train_throughput_{cfg_name}', device=dev,
             figure=f'training step throughput, images/s ({model_desc})',
             project=median(runner_ips), project_text=(
                 f'{fmt(median(runner_ips))} img/s (tools/train.py '
                 'Runner)'),
             reference=median(bare_ips), reference_text=(
                 f'{fmt(median(bare_ips))} img/s (bare loop: model.loss + '
                 'backward + AdamW, batches in memory)'),
             ratio=train_ratio, goal='>= 0.95', passed=train_ratio >= 0.95),
        dict(key=f'loader_vs_consumption_{cfg_name}', device=dev,
             figure='data loader alone vs training consumption, images/s',
             project=median(loader_ips), project_text=(
                 f'{fmt(median(loader_ips))} img/s (train_dataloader, '
                 f'{cfg.train_dataloader.num_workers} workers, no model)'),
             reference=median(runner_ips), reference_text=(
                 f'{fmt(median(runner_ips))} img/s (consumed by training)'),
             ratio=loader_ratio, goal='> 1', passed=loader_ratio > 1),
    ]
    return dict(
        benchmark='train', device=device, machine=machine_info(),
        config=osp.relpath(args.config, REPO), batch_size=batch,
        crop_size=list(crop), num_train_images=args.num_train,
        warmup_iters=warmup, window_iters=args.window, repeats=args.repeats,
        loader_epochs=args.loader_epochs, setup_s=setup_s,
        runner_images_per_s=runner_ips, bare_loop_images_per_s=bare_ips,
        loader_images_per_s=loader_ips, rows=rows)


def main(argv: Optional[List[str]] = None) -> Dict[str, object]:
    return run_benchmark(measure, parse_args, argv)


if __name__ == '__main__':
    main()
