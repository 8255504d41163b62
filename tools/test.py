"""Test (and evaluate) a segmentor, classifier or ensemble.

Usage mirrors mmseg's and mmpretrain's ``tools/test.py``::

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out OUT]
        [--tta] [--show-dir DIR] [--cfg-options k=v ...] [--launcher pytorch]

``--out`` writes ISIC submission files: segmentation masks
``ISIC_XXXXXXX_segmentation.png`` into a folder, or the Part 3 CSV for a
classifier. A folder that already holds files, or an existing CSV, is
refused before any work, so two runs' results are never mixed. The final
metrics go to ``<work_dir>/metrics.json``. A checkpoint whose parameters do
not fit the config's model (e.g. a 3-class head for a 2-class model) is
refused with the keys and shapes named.
"""
import argparse
import logging
import os
import os.path as osp

from mmengine.dist import is_main_process
from mmengine.logging import print_log
from mmengine.runner import Runner

import isic_plugins  # noqa: F401  (registers modules, applies torch compat)
from isic_plugins.datasets import BadSampleError, DataProblemError
from isic_plugins.engine import explain_loader_failure
from isic_plugins.utils import (
    CheckpointMismatchError,
    OutputExistsError,
    UnsafeCheckpointError,
    check_checkpoint_fits,
    check_new_output,
    checkpoint_loading,
    end_distributed_run,
    trust_requested,
)
from isic_plugins.utils.cfg_options_check import ConfigKeyError
from isic_plugins.utils.config_loading import (
    add_runner_args,
    dump_metrics,
    load_config,
    parse_runner_args,
)
from isic_plugins.utils.disk_space import (
    MASK_BYTES_PER_PIXEL,
    PROBABILITY_BYTES_PER_PIXEL,
    DiskFullError,
    check_free_space,
    disk_full_cause,
    estimate_mask_bytes,
    existing_folder,
    format_bytes,
    free_space,
)
from isic_plugins.utils.distributed_exit import explain_lost_peer, stop_run
from isic_plugins.utils.error_message import one_line
from isic_plugins.utils.tta_wrapping import apply_tta

#: Evaluators of this project that take ``out`` (submission files), and
#: what their ``out`` is.
ISIC_EVALUATORS = {
    'ISICSegmentationMetric': 'folder',
    'ISICClassificationMetric': 'file'
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Test (and evaluate) an isic_plugins model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument(
        'checkpoint',
        help='checkpoint file ("none" for a model without learned weights)')
    parser.add_argument(
        '--work-dir', help='where logs and metrics.json are written')
    parser.add_argument(
        '--out',
        help='segmentation: folder for ISIC submission masks; '
        'classification: path of the ISIC Part 3 CSV')
    parser.add_argument(
        '--tta', action='store_true', help='test-time augmentation')
    parser.add_argument(
        '--show', action='store_true', help='show prediction results')
    parser.add_argument(
        '--show-dir', help='folder where painted predictions are saved')
    parser.add_argument(
        '--wait-time', type=float, default=2, help='the interval of show (s)')
    add_runner_args(parser)
    return parse_runner_args(parser)


def enable_visualization(cfg, args) -> None:
    """Turn on the config's visualization hook (mmseg or mmpretrain)."""
    hook = cfg.default_hooks.get('visualization')
    if hook is None:
        raise RuntimeError('--show/--show-dir need a visualization hook in '
                           'default_hooks')
    if hook['type'] == 'SegVisualizationHook':
        hook['draw'] = True
        if args.show_dir:
            cfg.visualizer['save_dir'] = args.show_dir
    else:  # mmpretrain's VisualizationHook
        hook['enable'] = True
        if args.show_dir:
            hook['out_dir'] = args.show_dir
    if args.show:
        hook['show'] = True
        hook['wait_time'] = args.wait_time


def enable_tta(cfg) -> None:
    """Wrap the model in the config's ``tta_model`` (and ``tta_pipeline``);
    without a ``tta_model``, warn and test without TTA."""
    if not apply_tta(cfg):
        print_log('--tta: the config defines no tta_model; testing without '
                  'test-time augmentation', logger='current',
                  level=logging.WARNING)


def set_out(cfg, out: str) -> None:
    """Point the evaluator's submission output at ``out`` (checked, with
    every other output, by :func:`check_outputs`)."""
    evaluators = cfg.test_evaluator
    if isinstance(evaluators, dict):
        evaluators = [evaluators]
    for evaluator in evaluators:
        if evaluator.get('type') in ISIC_EVALUATORS:
            evaluator['out'] = out
            return
    raise ValueError(
        f'--out needs one of {list(ISIC_EVALUATORS)} in test_evaluator; the '
        f'config has {[e.get("type") for e in evaluators]}')


#: Evaluator keys that name where results are written, and what they are
#: (None: the evaluator's own kind from ISIC_EVALUATORS).
OUTPUT_KEYS = (('out', None), ('prob_out', 'folder'),
               ('output_dir', 'folder'), ('scores_out', 'file'))


def check_outputs(cfg, cli_out=None) -> None:
    """Refuse every evaluator output that already holds an earlier run's.

    Args:
        cfg (Config): The test config, ``--cfg-options`` merged.
        cli_out (str, optional): ``--out``, so that its message names it.

    Raises:
        OutputExistsError: A folder is not empty or a file exists.
    """
    evaluators = cfg.get('test_evaluator') or []
    if isinstance(evaluators, dict):
        evaluators = [evaluators]
    for i, evaluator in enumerate(evaluators):
        name = 'test_evaluator' if len(evaluators) == 1 else \
            f'test_evaluator.{i}'
        for key, kind in OUTPUT_KEYS:
            path = evaluator.get(key)
            if not path:
                continue
            kind = kind or ISIC_EVALUATORS.get(evaluator.get('type'),
                                               'folder')
            source = '--out' if key == 'out' and path == cli_out else \
                f'{name}.{key}'
            check_new_output(path, kind, source)


#: Evaluator keys whose folders get one PNG per test image, and its
#: compressed bytes per pixel (for the free-space check).
IMAGE_OUTPUTS = (('out', MASK_BYTES_PER_PIXEL),
                 ('prob_out', PROBABILITY_BYTES_PER_PIXEL))


def image_outputs(cfg) -> list:
    """``(folder, bytes per pixel)`` of each per-image PNG output the
    segmentation evaluators will write."""
    evaluators = cfg.get('test_evaluator') or []
    if isinstance(evaluators, dict):
        evaluators = [evaluators]
    return [(evaluator[key], rate) for evaluator in evaluators
            if evaluator.get('type') == 'ISICSegmentationMetric'
            for key, rate in IMAGE_OUTPUTS if evaluator.get(key)]


def image_sizes(dataset) -> list:
    """``(width, height)`` of each test image, from its file header."""
    from PIL import Image
    sizes = []
    for index in range(len(dataset)):
        with Image.open(dataset.get_data_info(index)['img_path']) as image:
            sizes.append(image.size)
    return sizes


def check_output_space(cfg, runner) -> None:
    """Refuse, before any work, masks that won't fit on their disk.

    The need is estimated from the number and sizes of the test images (a
    generous bound on a PNG mask's size, whole file-system blocks).

    Raises:
        DiskFullError: Less space is free than the masks need.
    """
    outputs = image_outputs(cfg)
    if not outputs:
        return
    sizes = image_sizes(runner.test_loop.dataloader.dataset)
    needs = {}  # file system -> [bytes, folders]
    for folder, rate in outputs:
        device = os.stat(existing_folder(folder)).st_dev
        _, block = free_space(folder)
        need = needs.setdefault(device, [0, []])
        need[0] += estimate_mask_bytes(sizes, rate, block)
        need[1].append(folder)
    for need, folders in needs.values():
        what = ' and '.join(['the masks', 'the probability maps'][:len(
            folders)]) if len(folders) > 1 else 'the PNG files'
        check_free_space(folders[0], need,
                         f'{what[0].upper()}{what[1:]} of {len(sizes)} test '
                         'images')


def explain_fault(exc: BaseException, cfg) -> str:
    """The message a test run that ended with ``exc`` stops with, or ''."""
    if isinstance(exc, (UnsafeCheckpointError, CheckpointMismatchError,
                        DataProblemError, BadSampleError)):
        return f'error: {one_line(exc)}'
    full = disk_full_cause(exc)
    if full is not None:
        if isinstance(exc, DiskFullError):
            return f'error: {exc}'
        folders = [f for f, _ in image_outputs(cfg) if osp.isdir(f)]
        written = '; '.join(
            f'{folder} holds {len(os.listdir(folder))} complete file(s)'
            for folder in folders)
        # a failed write() names no file: the outputs are what is written
        where = existing_folder(full.filename or (folders or
                                                  [cfg.work_dir])[0])
        free, _ = free_space(where)
        return (f'error: no space left on device: {one_line(exc)}. '
                f'{format_bytes(free)} free on the file system of {where}'
                f'{"; " + written if written else ""}. Free space (the '
                'estimate of the whole run is checked before it starts) and '
                'run again into a new or emptied folder.')
    loader = explain_loader_failure(exc, cfg, key='test_dataloader')
    if loader is not None:
        return f'error: {loader}'
    lost = explain_lost_peer(exc)
    if lost is not None:
        return f'error: {lost}'
    return ''


def main() -> None:
    args = parse_args()
    try:
        cfg = load_config(args.config, args.cfg_options, args.work_dir,
                          args.launcher)
    except ConfigKeyError as exc:
        raise SystemExit(f'error: {exc}')
    # 'none': a model without learned weights (e.g. the Otsu baseline)
    no_weights = args.checkpoint.lower() == 'none'
    if not no_weights and not osp.isfile(args.checkpoint):
        raise FileNotFoundError(
            f'checkpoint {args.checkpoint!r} does not exist; train first '
            f'(python tools/train.py {args.config}) or give the right path')
    cfg.load_from = None if no_weights else args.checkpoint
    if args.show or args.show_dir:
        enable_visualization(cfg, args)
    if args.tta:
        enable_tta(cfg)
    if args.out is not None:
        set_out(cfg, args.out)
    # Refused before any work: results of two runs are never mixed, wherever
    # the output location comes from (--out, the config, --cfg-options).
    try:
        check_outputs(cfg, args.out)
    except OutputExistsError as exc:
        raise SystemExit(f'error: {exc}')

    cfg.custom_hooks = list(cfg.get('custom_hooks', [])) + [
        dict(type='ProgressBarHook')]
    runner = Runner.from_cfg(cfg)
    if no_weights and any(p.requires_grad for p in runner.model.parameters()):
        raise SystemExit(f'error: {cfg.model.type} has learned weights: give '
                         'its checkpoint instead of "none"')
    trust = trust_requested(args.trust_checkpoint, cfg)
    try:
        # hundreds of full-size masks: refused now if the disk can't hold
        # them, not when it fills up halfway
        check_output_space(cfg, runner)
        with checkpoint_loading(trust):
            # mmengine would only warn about a head of another shape and
            # score a half-random model.
            for warning in [] if no_weights else check_checkpoint_fits(
                    runner.model, args.checkpoint, require_all_keys=True):
                print_log(warning, logger='current', level=logging.WARNING)
            metrics = runner.test()
    except Exception as exc:
        # a bad input or a fault (full disk, dead loader worker, lost peer):
        # one message, no stack trace
        message = explain_fault(exc, cfg)
        if not message:
            raise
        stop_run(message)
    if is_main_process() and metrics:
        path = dump_metrics(metrics, runner.work_dir)
        print_log(f'metrics written to {path}', logger='current')
    # every rank leaves together, without the interpreter teardown where a
    # gloo rank can abort after its work is done
    end_distributed_run()


if __name__ == '__main__':
    main()
