"""The real-data pipelines, end to end, resumable.

    python tools/realdata.py seg|cls DATA [--work WORK] [--runs NAME ...]
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

``cls`` does the same for the classifiers of the run table
``isic_plugins/realdata/cls_table.py`` (Table 2): the data check once ->
the lesion masks of every training, Test_v2 and archive image, predicted
once by the table's segmentation run (trained by ``seg`` first) when a
lesion-crop run is among those named -> train, build the ensembles
(tools/build_ensemble.py), test each on Test_v2 (its Part 3 CSV) -> the
table (tools/realdata_table.py cls).
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
    parser.add_argument('task', choices=['seg', 'cls'], help='pipeline')
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
                        'of isic_plugins.realdata.SEG_TABLES or CLS_TABLES '
                        '(tests)')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, REPO_ROOT)
    from isic_plugins.datasets.isic_layout import part3_csv
    from isic_plugins.realdata import (
        CLS_TABLES,
        SEG_TABLES,
        Driver,
        UnknownRunError,
        plan_runs,
    )
    tables = dict(seg=SEG_TABLES, cls=CLS_TABLES)[args.task]
    if args.table:
        module, name = args.table.split(':')
        tables = getattr(importlib.import_module(module), name)

    if not osp.isdir(osp.join(args.data, 'ISIC-2017_Training_Data')):
        print(f'error: {args.data} has no ISIC-2017_Training_Data folder: '
              'give the root of an ISIC 2017 layout (e.g. '
              '../shared/isic2017_real)', file=sys.stderr)
        return 2
    try:
        plan = plan_runs(tables, args.runs,
                         f'isic_plugins/realdata/{args.task}_table.py')
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
               ISIC_HAM_ROOT=ham,
               ISIC_LESION_MASKS=osp.join(work, 'lesion_masks'))
    py = sys.executable
    tool_env = dict(os.environ, **env)
    drivers = [(key, Driver(table, data, work, REPO_ROOT, python=py,
                            env=env, threads=1 if args.lanes > 1 else None,
                            sample=sample, ham=ham), groups)
               for key, table, groups in plan]
    try:  # refused before any work
        for _, driver, groups in drivers:
            if driver.needs_masks(groups):
                driver.check_mask_model()
    except FileNotFoundError as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 2

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
    if args.task == 'seg':  # the classifiers read the images as stored
        print('==> training copy downscaled to 256 px (once)', flush=True)
        tool('tools/prepare_isic.py', data, osp.join(work, 'data_256'),
             '--longer-side', '256')
    for _, driver, groups in drivers:
        driver.run(groups, lanes=args.lanes)
    if args.task == 'seg':
        table_args = ['tools/realdata_table.py', 'seg', work, '--only',
                      *[key for key, _, _ in plan]]
    else:
        table_args = ['tools/realdata_table.py', 'cls', work, '--gt',
                      osp.join(data, part3_csv('Test_v2'))]
    if args.table is None or args.task == 'cls':
        if args.table:  # the seg writer knows only the project's tables
            table_args += ['--table', args.table]
        if args.readme:
            table_args += ['--readme', 'README.md']
        tool(*table_args)
    return 0


if __name__ == '__main__':
    sys.exit(main())
