"""Train a segmentor or classifier from an mmseg / mmpretrain config.

Usage mirrors mmseg's and mmpretrain's ``tools/train.py``::

    python tools/train.py configs/seg_stage1.py [--work-dir DIR] [--resume]
        [--amp] [--cfg-options k=v ...] [--launcher pytorch]
"""
import argparse
import logging

from mmengine.logging import print_log
from mmengine.runner import Runner

import isic_plugins  # noqa: F401  (registers modules, applies torch compat)
from isic_plugins.datasets import BadSampleError, DataProblemError
from isic_plugins.engine import (
    NonFiniteLossError,
    explain_loader_failure,
    find_timeout_hook,
)
from isic_plugins.utils import (
    CheckpointMismatchError,
    PretrainedWeightsUnavailable,
    UnsafeCheckpointError,
    check_checkpoint_fits,
    check_pretrained_weights,
    checkpoint_loading,
    end_distributed_run,
    trust_requested,
)
from isic_plugins.utils.atomic_checkpoints import find_latest_checkpoint
from isic_plugins.utils.cfg_options_check import ConfigKeyError
from isic_plugins.utils.config_loading import (
    add_runner_args,
    load_config,
    parse_runner_args,
)
from isic_plugins.utils.disk_space import DiskFullError, disk_full_cause
from isic_plugins.utils.distributed_exit import explain_lost_peer, stop_run
from isic_plugins.utils.error_message import one_line


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train an isic_plugins model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or, without a value, from '
        'the latest checkpoint in the work_dir')
    parser.add_argument(
        '--amp', action='store_true', help='automatic mixed precision')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='do not evaluate checkpoints during training')
    add_runner_args(parser)
    return parse_runner_args(parser)


def finished_work(config: str, work_dir: str, fix: str = 'the data',
                  options=(), launcher: str = 'none') -> str:
    """Where the finished work is, and how to go on from it."""
    latest = find_latest_checkpoint(work_dir)
    extra = f' --cfg-options {" ".join(options)}' if options else ''
    tool = ('bash tools/dist_train.sh {} NUM_PROCS' if launcher != 'none'
            else 'python tools/train.py {}').format(config)
    if latest is None:
        return (f'No checkpoint had been written yet; after fixing {fix}, '
                f'start again with: {tool} --work-dir {work_dir}{extra}')
    return (f'Finished work is safe in {latest}; after fixing {fix}, go '
            f'on with: {tool} --work-dir {work_dir} --resume{extra}')


def explain_fault(exc: BaseException, args, cfg, runner) -> str:
    """The message a run that ended with ``exc`` stops with, or '' for an
    error that is none of the faults below (it is then raised as it is)."""
    work_dir = runner.work_dir if runner is not None else cfg.work_dir
    if isinstance(exc, NonFiniteLossError):
        return (f'error: {exc}\n' + finished_work(
            args.config, work_dir, 'the cause', exc.resume_options,
            args.launcher))
    if isinstance(exc, (UnsafeCheckpointError, CheckpointMismatchError,
                        DataProblemError)):
        return f'error: {one_line(exc)}'
    if isinstance(exc, BadSampleError):
        return (f'error: {one_line(exc)}\n'
                f'{finished_work(args.config, work_dir)}')
    full = disk_full_cause(exc)
    if full is not None:
        text = str(exc) if isinstance(exc, DiskFullError) else (
            f'no space left on device: {one_line(exc)}'
            f'{" (" + full.filename + ")" if full.filename else ""}')
        return (f'error: {text}\n' + finished_work(
            args.config, work_dir, 'the disk space',
            launcher=args.launcher))
    loader = explain_loader_failure(
        exc, cfg, find_timeout_hook(runner) if runner is not None else None)
    if loader is not None:
        it = f' at iteration {runner.iter + 1}' if runner is not None else ''
        return (f'error{it}: {loader}\n' + finished_work(
            args.config, work_dir, 'the loader settings',
            launcher=args.launcher))
    lost = explain_lost_peer(
        exc, f'at iteration {runner.iter + 1}' if runner is not None else '')
    if lost is not None:
        return (f'error: {lost}\n' + finished_work(
            args.config, work_dir, 'the node that died',
            launcher=args.launcher))
    return ''


def main() -> None:
    args = parse_args()
    try:
        cfg = load_config(args.config, args.cfg_options, args.work_dir,
                          args.launcher)
    except ConfigKeyError as exc:
        raise SystemExit(f'error: {exc}')

    if args.amp:
        if cfg.optim_wrapper.get('type', 'OptimWrapper') == 'AmpOptimWrapper':
            print_log('AMP training is already enabled in your config.',
                      logger='current', level=logging.WARNING)
        else:
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        # An explicit path: the newest complete checkpoint, even when
        # last_checkpoint was emptied by a kill (mmengine's own lookup
        # would then start again from scratch).
        cfg.resume = True
        cfg.load_from = find_latest_checkpoint(cfg.work_dir)
        if cfg.load_from is None:
            print_log(f'--resume: no checkpoint in {cfg.work_dir} yet; '
                      'starting from the beginning', logger='current',
                      level=logging.WARNING)
            cfg.resume = False
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    if args.no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None

    # Before any work starts: a missing checkpoint must not surface as a
    # download stack trace after the datasets were built.
    try:
        check_pretrained_weights(cfg)
    except PretrainedWeightsUnavailable as exc:
        raise SystemExit(f'error: {exc}')

    runner = None
    trust = trust_requested(args.trust_checkpoint, cfg)
    try:
        runner = Runner.from_cfg(cfg)
        with checkpoint_loading(trust):
            # mmengine only warns about parameters of another shape (e.g. a
            # 3-class head into a 2-class model) and trains on.
            # load_from: the weights to start from, or the explicit
            # checkpoint --resume continues
            start = cfg.get('load_from')
            if start:
                for warning in check_checkpoint_fits(runner.model, start):
                    print_log(warning, logger='current',
                              level=logging.WARNING)
            runner.train()
            # every rank leaves together, without the interpreter teardown
            # where a gloo rank can abort after its work is done
            end_distributed_run()
    except Exception as exc:
        # a fault (NaN loss, full disk, dead loader worker, lost peer):
        # one message saying why and what was kept, no stack trace
        message = explain_fault(exc, args, cfg, runner)
        if not message:
            raise
        stop_run(message)


if __name__ == '__main__':
    main()
