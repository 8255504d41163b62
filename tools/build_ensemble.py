"""Build an ensemble from its members' checkpoints and save it as one.

The ensemble (``ISICEnsembleClassifier``, or ``ISICMultiViewEnsemble``
whose members are ensembles of their own) is not trained: each member is
trained with its own config, then this script loads every member's
checkpoint (the paths in the ensemble config, see ``model.<member>``) and
saves the whole ensemble as one mmengine checkpoint that
``tools/test.py`` loads like any other::

    python tools/build_ensemble.py configs/cls_ensemble.py \\
        work_dirs/cls_ensemble/ensemble.pth \\
        [--cfg-options model.melanoma.checkpoint=PATH ...]
    python tools/test.py configs/cls_ensemble.py \\
        work_dirs/cls_ensemble/ensemble.pth
"""
import argparse
import os
import os.path as osp

from mmengine.config import DictAction
from mmengine.registry import init_default_scope
from mmengine.runner.checkpoint import save_checkpoint, weights_to_cpu

import isic_plugins  # noqa: F401  (registers modules, applies torch compat)
from isic_plugins.utils.config_loading import load_config


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Save an ensemble of trained members as one checkpoint')
    parser.add_argument('config', help='ensemble config file path')
    parser.add_argument('out', help='checkpoint file to write')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, xxx=yyy format, e.g. '
        'model.melanoma.checkpoint=work_dirs/cls_melanoma/epoch_100.pth')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    from mmpretrain.registry import MODELS
    model_cfg = cfg.model.copy()
    # As mmengine's Runner does for the model it builds.
    if cfg.get('data_preprocessor') is not None:
        model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
    model = MODELS.build(model_cfg)
    if not hasattr(model, 'member_specs'):
        raise SystemExit(f'error: {args.config} does not define an '
                         'ensemble (ISICEnsembleClassifier or '
                         'ISICMultiViewEnsemble)')
    try:
        model.init_weights()
    except FileNotFoundError as exc:
        raise SystemExit(f'error: {exc}')
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    save_checkpoint(
        dict(
            meta=dict(
                config=args.config,
                members={k: dict(v) for k, v in model.member_specs.items()},
                **{k: getattr(model, k) for k in (
                    'multiclass_weight', 'binary_weight', 'weights')
                   if hasattr(model, k)}),
            state_dict=weights_to_cpu(model.state_dict())), args.out)
    print(f'ensemble checkpoint written to {args.out}; test it with\n'
          f'  python tools/test.py {args.config} {args.out}')


if __name__ == '__main__':
    main()
