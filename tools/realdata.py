"""The real-data segmentation pipeline, end to end, resumable.

    python tools/realdata.py seg DATA [--work WORK] [--runs NAME ...]
        [--lanes 2] [--ham HAM_ROOT] [--readme]

DATA is an ISIC 2017 layout with Test_v2 (e.g. ../shared/isic2017_real,
optional archive/ beside); WORK defaults to work_dirs/realdata; HAM_ROOT
(the large archive, e.g. ../shared/ham10000_archive) defaults to
``ham10000_archive`` beside DATA. Steps: check the data once
(tools/check_dataset.py) -> downscale the training images to 256 px once
-> train and test each run of the groups named by ``--runs`` (default:
all), as listed in the run table ``isic_plugins/realdata/seg_table.py`` ->
the tables (tools/realdata_table.py). Interrupted? Run the same command
again: finished runs and tests are skipped, a training run goes on from
its last checkpoint. ``--lanes 2`` trains two groups side by side with one
thread each (faster than one 2-thread job on a 2-core machine).
The classification pipeline is still ``bash tools/realdata.sh cls DATA``.
"""
import argparse
import importlib
import os
import os.path as osp
import subprocess
import sys

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('task', choices=['seg'], help='pipeline')
    parser.add_argument('data', help='ISIC 2017 layout with Test_v2')
    parser.add_argument('--work', default='work_dirs/realdata',
                        help='work folder (default: work_dirs/realdata)')
    parser.add_argument('--runs', nargs='+', default=None,
                        help='groups or runs of the run table (default: '
                        'all); unknown names are refused with the list')
    parser.add_argument('--lanes', type=int, default=1,
                        help='groups trained side by side, one thread each')
    parser.add_argument('--ham', default=None,
                        help='the large archive (default: '
                        'DATA/../ham10000_archive)')
    parser.add_argument('--sample', default=None,
                        help='isic_sample, 40 more full frames (default: '
                        'DATA/../isic_sample)')
    parser.add_argument('--readme', action='store_true',
                        help='refresh the README tables')
    parser.add_argument('--no-check', action='store_true',
                        help='skip the data check')
    parser.add_argument('--table', default=None,
                        help='MODULE:NAME of a dict of run tables instead '
                        'of isic_plugins.realdata.SEG_TABLES (tests)')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, REPO_ROOT)
    from isic_plugins.realdata import (
        SEG_TABLES,
        Driver,
        UnknownRunError,
        plan_runs,
    )
    if args.table:
        module, name = args.table.split(':')
        SEG_TABLES = getattr(importlib.import_module(module), name)

    if not osp.isdir(osp.join(args.data, 'ISIC-2017_Training_Data')):
        print(f'error: {args.data} has no ISIC-2017_Training_Data folder: '
              'give the root of an ISIC 2017 layout (e.g. '
              '../shared/isic2017_real)', file=sys.stderr)
        return 2
    try:
        plan = plan_runs(SEG_TABLES, args.runs)
    except UnknownRunError as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 2

    data, work = osp.abspath(args.data), osp.abspath(args.work)
    ham = osp.abspath(args.ham or osp.join(osp.dirname(data),
                                           'ham10000_archive'))
    sample = osp.abspath(args.sample or osp.join(osp.dirname(data),
                                                 'isic_sample'))
    os.makedirs(work, exist_ok=True)
    env = dict(ISIC_REAL_ROOT=data,
               ISIC_REAL_TRAIN_ROOT=osp.join(work, 'data_256'),
               ISIC_HAM_ROOT=ham)
    py = sys.executable
    tool_env = dict(os.environ, **env)

    def tool(*cmd: str) -> None:
        subprocess.run([py, *cmd], cwd=REPO_ROOT, env=tool_env, check=True)

    if not args.no_check and not osp.isfile(osp.join(work, 'check.ok')):
        print('==> checking every image and mask (tools/check_dataset.py)',
              flush=True)
        cfg = 'configs/fullframe/' \
            'effnetlite0-skips_stage1-666it_crops+arch138+ham6k_256px.py'
        options = [f'train_dataloader.dataset.datasets.0.data_root={data}',
                   'train_dataloader.dataset.datasets.1.data_root='
                   f'{data}/archive']
        if not osp.isdir(ham):  # the large archive is optional
            cfg = 'configs/realdata/' \
                'effnetlite0-skips_stage1-12e_isic2017+arch138_256px.py'
        tool('tools/check_dataset.py', cfg, '--errors-only',
             '--cfg-options', *options)
        open(osp.join(work, 'check.ok'), 'w').close()
    print('==> training copy downscaled to 256 px (once)', flush=True)
    tool('tools/prepare_isic.py', data, osp.join(work, 'data_256'),
         '--longer-side', '256')
    for _, table, groups in plan:
        Driver(table, data, work, REPO_ROOT, python=py, env=env,
               threads=1 if args.lanes > 1 else None, sample=sample).run(
                   groups, lanes=args.lanes)
    tables = [key for key, _, _ in plan]
    if args.table is None:  # the table writer knows the project's tables
        table_args = ['tools/realdata_table.py', 'seg', work, '--only']
        table_args += tables
        if args.readme:
            table_args += ['--readme', 'README.md']
        tool(*table_args)
    return 0


if __name__ == '__main__':
    sys.exit(main())
