"""The first run a user waits for: ``bash tools/quickstart.sh``, by stage.

Runs the quickstart as a user does (fast mode, the default) into a fresh
folder (``QUICKSTART_OUT``, so ``work_dirs/quickstart`` is left alone) and
reads the wall time of each stage from the ``stage_seconds.csv`` the script
writes (synthetic data, preparation, segmentation stage 1 and 2, tests
without and with TTA, the classifiers, the ensemble, the report). The clock
of the stages starts after ``tools/setup.sh``, whose one-time work (the
virtual environment, the mmcv build) is not the quickstart's; the set-up
check's own seconds are reported apart.

Rows: the total after set-up against the 8-minute goal (ratio = total /
480 s), then each stage's seconds and its share of the total. With
``--from CSV`` an existing ``stage_seconds.csv`` is read instead of running
(e.g. ``work_dirs/quickstart/stage_seconds.csv`` of the last run).

    python benchmarks/bench_quickstart.py [--mode fast|full] [--json out.json]
    python benchmarks/bench_quickstart.py \
        --from work_dirs/quickstart/stage_seconds.csv
"""
import argparse
import contextlib
import csv
import os
import os.path as osp
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional, Tuple

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from benchutils import REPO, fmt, machine_info, run_benchmark  # noqa: E402

#: The issue's goal for the fast mode: the whole pipeline in 8 minutes
#: after set-up on a quiet 2-core machine.
GOAL_SECONDS = 480.0


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--mode', choices=['fast', 'full'], default='fast',
                        help='QUICKSTART_MODE (default fast, the default '
                        'of tools/quickstart.sh)')
    parser.add_argument('--from', dest='from_csv', metavar='CSV',
                        help='read this stage_seconds.csv instead of '
                        'running the quickstart')
    parser.add_argument('--keep', metavar='DIR',
                        help='run into DIR and keep it (default: a '
                        'temporary folder, removed afterwards)')
    parser.add_argument('--json', help='also write the results here')
    return parser.parse_args(argv)


def read_stage_seconds(path: str) -> List[Tuple[str, float]]:
    """``(stage, seconds)`` pairs of a quickstart's ``stage_seconds.csv``.

    Raises:
        ValueError: The file is not a ``stage,seconds`` table, or has no
            stage.
    """
    with open(path, newline='') as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != ['stage', 'seconds']:
            raise ValueError(f'{path}: expected the header "stage,seconds" '
                             f'written by tools/quickstart.sh, found '
                             f'{reader.fieldnames}')
        stages = [(row['stage'], float(row['seconds'])) for row in reader]
    if not stages:
        raise ValueError(f'{path}: no stage recorded (did the quickstart '
                         'stop before its first stage ended?)')
    return stages


def stage_rows(stages: List[Tuple[str, float]], mode: str,
               setup_s: Optional[float] = None) -> List[Dict[str, object]]:
    """Table rows: the total against the goal, then one row per stage."""
    total = sum(s for _, s in stages)
    goal = mode == 'fast'
    setup = (f'; set-up check {fmt(setup_s)} s before it'
             if setup_s is not None else '')
    rows = [dict(
        key='quickstart_total', device='cpu',
        figure=(f'`bash tools/quickstart.sh` ({mode} mode), wall time '
                'after set-up, s'),
        project=total,
        project_text=f'{fmt(total)} s ({len(stages)} stages{setup})',
        reference=GOAL_SECONDS,
        reference_text=f'{GOAL_SECONDS:.0f} s (8 minutes)',
        ratio=total / GOAL_SECONDS,
        goal='<= 1' if goal else None,
        passed=(total <= GOAL_SECONDS) if goal else None)]
    for name, seconds in stages:
        rows.append(dict(
            key=f'quickstart_stage_{name}', device='cpu',
            figure=f'quickstart stage "{name}", s (share of the total)',
            project=seconds, project_text=f'{fmt(seconds)} s',
            reference=total, reference_text=f'{fmt(total)} s (total)',
            ratio=seconds / total if total else float('nan'),
            goal=None, passed=None))
    return rows


def run_quickstart(out: str, mode: str) -> float:
    """Run ``tools/quickstart.sh`` into ``out``.

    Returns:
        float: Seconds of the whole command (set-up check included).

    Raises:
        RuntimeError: The quickstart failed (its last lines quoted).
    """
    env = dict(os.environ, QUICKSTART_OUT=out, QUICKSTART_MODE=mode)
    start = time.perf_counter()
    proc = subprocess.run(['bash', osp.join('tools', 'quickstart.sh')],
                          cwd=REPO, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = '\n'.join((proc.stdout + proc.stderr).strip()
                         .splitlines()[-15:])
        raise RuntimeError(f'tools/quickstart.sh failed '
                           f'(exit {proc.returncode}):\n{tail}')
    return time.perf_counter() - start


def measure(args: argparse.Namespace) -> Dict[str, object]:
    """Run (or read) the quickstart; its stage times as result rows."""
    whole_s = None
    with contextlib.ExitStack() as stack:
        if args.from_csv:
            folder = osp.dirname(args.from_csv)
        else:
            # --keep, or a temporary folder beside the checkout's own runs
            work_dirs = osp.join(REPO, 'work_dirs')
            folder = args.keep or osp.join(stack.enter_context(
                tempfile.TemporaryDirectory(
                    prefix='bench_quickstart_',
                    dir=work_dirs if osp.isdir(work_dirs) else None)),
                'quickstart')
            whole_s = run_quickstart(folder, args.mode)
        stages = read_stage_seconds(osp.join(folder, 'stage_seconds.csv'))
        # the quickstart writes its mode beside the times
        mode_file = osp.join(folder, 'mode')
        if osp.isfile(mode_file):
            with open(mode_file) as f:
                args.mode = f.read().strip() or args.mode
    setup_s = None if whole_s is None else max(
        0.0, whole_s - sum(s for _, s in stages))
    return dict(
        benchmark='quickstart', device='cpu', machine=machine_info(),
        mode=args.mode, source=args.from_csv or args.keep or 'this run',
        whole_s=whole_s, setup_s=setup_s,
        stages=[dict(stage=n, seconds=s) for n, s in stages],
        rows=stage_rows(stages, args.mode, setup_s))


def main(argv: Optional[List[str]] = None) -> Dict[str, object]:
    try:
        return run_benchmark(measure, parse_args, argv)
    except (OSError, ValueError, RuntimeError) as exc:
        sys.exit(f'error: {exc}')


if __name__ == '__main__':
    main()
