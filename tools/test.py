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
import os.path as osp

from mmengine.dist import is_main_process
from mmengine.logging import print_log
from mmengine.runner import Runner

import isic_plugins  # noqa: F401  (registers modules, applies torch compat)
from isic_plugins.datasets import BadSampleError, DataProblemError
from isic_plugins.utils import (
    CheckpointMismatchError,
    OutputExistsError,
    UnsafeCheckpointError,
    check_checkpoint_fits,
    check_new_output,
    checkpoint_loading,
    end_distributed_run,
)
from isic_plugins.utils.config_loading import (
    add_runner_args,
    dump_metrics,
    load_config,
    parse_runner_args,
)

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
    """Wrap the model in the config's ``tta_model`` (and ``tta_pipeline``)."""
    if 'tta_model' not in cfg:
        print_log('--tta: the config defines no tta_model; testing without '
                  'test-time augmentation', logger='current',
                  level=logging.WARNING)
        return
    if 'tta_pipeline' in cfg:
        # the innermost dataset: wrappers (KFoldDataset...) hold no pipeline
        dataset = cfg.test_dataloader.dataset
        while 'dataset' in dataset:
            dataset = dataset.dataset
        dataset.pipeline = cfg.tta_pipeline
    cfg.tta_model.module = cfg.model
    cfg.model = cfg.tta_model


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


def _one_line(exc: Exception) -> str:
    """The message of ``exc`` without a DataLoader worker's traceback."""
    text = str(exc)
    name = f'{type(exc).__name__}: '
    if 'Traceback' in text and name in text:
        text = text[text.rindex(name) + len(name):]
    return text.strip()


def main() -> None:
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options, args.work_dir,
                      args.launcher)
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
    trust = args.trust_checkpoint or cfg.get('trust_checkpoints', False)
    try:
        with checkpoint_loading(trust):
            # mmengine would only warn about a head of another shape and
            # score a half-random model.
            for warning in [] if no_weights else check_checkpoint_fits(
                    runner.model, args.checkpoint, require_all_keys=True):
                print_log(warning, logger='current', level=logging.WARNING)
            metrics = runner.test()
    except (UnsafeCheckpointError, CheckpointMismatchError,
            DataProblemError, BadSampleError) as exc:
        raise SystemExit(f'error: {_one_line(exc)}')
    if is_main_process() and metrics:
        path = dump_metrics(metrics, runner.work_dir)
        print_log(f'metrics written to {path}', logger='current')
    # every rank leaves together, without the interpreter teardown where a
    # gloo rank can abort after its work is done
    end_distributed_run()


if __name__ == '__main__':
    main()
