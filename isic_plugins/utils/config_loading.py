"""Config handling shared by the command-line tools."""
import argparse
import json
import os
import os.path as osp
from typing import Dict, Optional

from mmengine.config import Config, DictAction

from .cfg_options_check import ConfigKeyError, check_cfg_options


def add_runner_args(parser: argparse.ArgumentParser) -> None:
    """Options every runner tool shares, spelled as mmseg/mmpretrain do.

    ``--cfg-options``, ``--launcher``, ``--trust-checkpoint`` and the
    ``--local-rank`` that ``torch.distributed.launch`` passes.

    Args:
        parser (argparse.ArgumentParser): The tool's parser.
    """
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, xxx=yyy format, e.g. '
        'train_dataloader.batch_size=4 "model.backbone.init_cfg=None"')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument(
        '--trust-checkpoint',
        action='store_true',
        help='load checkpoints with full pickle (only files you trust, e.g. '
        'written by stock mmengine); by default only weights and plain data '
        'are loaded')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def parse_runner_args(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """Parse, and export ``LOCAL_RANK`` as mmengine's launcher expects."""
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def load_config(path: str,
                cfg_options: Optional[dict] = None,
                work_dir: Optional[str] = None,
                launcher: str = 'none') -> Config:
    """Load a config the way mmseg/mmpretrain tools do.

    ``work_dir`` priority: command line > config > ``work_dirs/<config name>``.

    Args:
        path (str): Config file.
        cfg_options (dict, optional): ``--cfg-options`` overrides.
        work_dir (str, optional): ``--work-dir``.
        launcher (str): ``--launcher``. Defaults to 'none'.

    Returns:
        Config: The merged config.

    Raises:
        ConfigKeyError: A ``--cfg-options`` key does not fit the config
            (see :func:`~isic_plugins.utils.cfg_options_check.
            check_cfg_options`).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'config file {path!r} does not exist')
    cfg = Config.fromfile(path)
    cfg.launcher = launcher
    if cfg_options:
        try:
            cfg.merge_from_dict(cfg_options)
        except (KeyError, IndexError, TypeError) as exc:
            # e.g. an index beyond a list: custom_hooks.9.x=...
            raise ConfigKeyError(f'--cfg-options: {exc}') from exc
        # a key the built object would not take: named now, with the key
        # that was meant, not as a TypeError once the run has started
        check_cfg_options(cfg, cfg_options)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(path))[0])
    return cfg


def flatten_metrics(metrics: Dict) -> Dict[str, float]:
    """Make evaluator output JSON-friendly: plain floats, flat keys."""
    flat = {}
    for key, value in metrics.items():
        if hasattr(value, 'item') and getattr(value, 'size', 1) == 1:
            value = value.item()
        if isinstance(value, (int, float)):
            flat[key] = float(value)
        elif isinstance(value, (list, tuple)) and len(value) == 1:
            flat[key] = float(value[0])
    return flat


def dump_metrics(metrics: Dict, work_dir: str,
                 name: str = 'metrics.json') -> str:
    """Write the final metrics as one flat JSON object.

    Args:
        metrics (dict): Evaluator output.
        work_dir (str): Folder to write into.
        name (str): File name. Defaults to 'metrics.json'.

    Returns:
        str: Path of the written file.
    """
    os.makedirs(work_dir, exist_ok=True)
    path = osp.join(work_dir, name)
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(flatten_metrics(metrics), f, indent=2, sort_keys=True)
    os.replace(tmp, path)
    return path
