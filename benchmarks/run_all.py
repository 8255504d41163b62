"""Run every benchmark and print one table: where the time goes.

Each ``benchmarks/bench_*.py`` runs in its own process (a fresh
interpreter: no warm caches, threads or loader workers carried from one to
the next) and writes its results as JSON; this script collects them into
one markdown table (figure, this project, reference, ratio, goal), prints
it with a line describing the machine, writes ``benchmarks/results.json``
and refreshes the README's ``BENCHMARKS`` and ``TTA-BENCHMARK`` sections.

On a machine with a GPU the scripts that run models (training, inference)
run a second time with ``--device cuda`` and the table gets GPU columns
beside the CPU ones; the CPU runs then hide the GPU
(``CUDA_VISIBLE_DEVICES=''``).

    python benchmarks/run_all.py            # the full run (~15 min, 2 cores,
                                            # the quickstart included)
    python benchmarks/run_all.py --quick    # tiny settings: a smoke check
"""
import argparse
import datetime
import json
import os
import os.path as osp
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from typing import Dict, List, Optional, Tuple

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from benchutils import (  # noqa: E402
    REPO,
    SAMPLE_DIR,
    cell,
    fmt,
    goal_cell,
    machine_info,
    machine_line,
)

HERE = osp.dirname(osp.abspath(__file__))
README = osp.join(REPO, 'README.md')
RESULTS = osp.join(HERE, 'results.json')
BEGIN, END = '<!-- BENCHMARKS:BEGIN -->', '<!-- BENCHMARKS:END -->'
TTA_BEGIN = '<!-- TTA-BENCHMARK:BEGIN -->'
TTA_END = '<!-- TTA-BENCHMARK:END -->'
#: 1-minute load average (other processes) above which figures are flagged:
#: on a small machine even one busy core distorts every ratio.
BUSY_LOAD = 0.5
#: Where the Benchmarks section goes when the README has none yet.
README_ANCHOR = '## The real ISIC 2017 data, step by step'

#: The last quickstart's stage times, which --quick reports instead of
#: running the quickstart again (about 5 minutes).
LAST_QUICKSTART = osp.join(REPO, 'work_dirs', 'quickstart',
                           'stage_seconds.csv')

#: The real-data segmentation config whose training speed is measured too.
LITE_CONFIG = osp.join('configs', 'realdata',
                       'effnetlite0-skips_1stage-10e_isic2017_256px.py')

#: (script, runs on a GPU too, full-run arguments, --quick arguments)
BENCHES: List[Tuple[str, bool, List[str], List[str]]] = [
    ('bench_train.py', True, [],
     ['--num-train', '20', '--warmup', '1', '--window', '2',
      '--repeats', '2']),
    # the real-data recipe: ImageNet EfficientNet-Lite0 + skips, batch 16,
    # 224 px crops of 256 px images (the one-stage config: the training
    # images alone, no archive folder to make)
    ('bench_train.py', True,
     ['--config', LITE_CONFIG, '--prepare-size', '256', '--repeats', '3'],
     ['--config', LITE_CONFIG, '--prepare-size', '256', '--num-train', '32',
      '--warmup', '1', '--window', '2', '--repeats', '2']),
    # NonFiniteLossHook's cost per training step (goal: under 1%)
    ('bench_non_finite_loss_hook.py', True, [],
     ['--num-train', '20', '--warmup', '1', '--window', '2',
      '--repeats', '4']),
    ('bench_prepare.py', False, [],
     ['--num-images', '4', '--repeats', '2']),
    ('bench_inference.py', True, [],
     ['--views', '1', '4', '12', '--repeats', '1']),
    ('bench_tta.py', False, [],
     ['--num-images', '2', '--repeats', '1']),
    ('bench_tta_fullres.py', False, ['--repeats', '2'],
     ['--models', 'trained', '--num-real', '4', '--repeats', '1']),
    # ONNX Runtime vs PyTorch: latency (segmenter, classifier, full-
    # resolution TTA), predict.py peak memory, agreement on 50 Test_v2
    ('bench_onnxruntime.py', False, [],
     ['--num-real', '2', '--repeats', '1', '--no-memory']),
    # the demo page: 8 simultaneous requests, memory over 100
    ('bench_demo.py', False, [], ['--requests', '12']),
    # the whole quickstart (fast mode) into a temporary folder; --quick
    # reads the last run's times (skipped if there is none)
    ('bench_quickstart.py', False, [], ['--from', LAST_QUICKSTART]),
]


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='tiny settings (a smoke check, ~2 min); the '
                        'figures are not meaningful')
    parser.add_argument('--only', nargs='+', metavar='SCRIPT',
                        help='run only these scripts (e.g. bench_train.py)')
    parser.add_argument('--no-readme', action='store_true',
                        help='do not refresh README.md')
    parser.add_argument('--results',
                        help='JSON output (default benchmarks/results.json;'
                        ' none with --only)')
    parser.add_argument('--timeout', type=int, default=900,
                        help='seconds allowed per script (default 900)')
    return parser.parse_args(argv)


def tta_images(tmp: str, count: int) -> str:
    """A folder of ISIC images for bench_tta.py: the real sample if present,
    else synthetic ones of similar size (longer side 600-1024 px)."""
    real = osp.join(SAMPLE_DIR, 'images')
    if osp.isdir(real) and any(n.endswith('.jpg') for n in os.listdir(real)):
        return real
    from isic_plugins.datasets import isic_layout
    from isic_plugins.testing import make_synthetic_isic
    root = osp.join(tmp, 'tta_images')
    make_synthetic_isic(root, num_train=count, num_val=0, num_test=0, seed=0,
                        min_size=600, max_size=1024)
    return osp.join(root,
                    isic_layout.image_dir(isic_layout.SPLIT_NAMES['train']))


def run_script(script: str, args: List[str], device: Optional[str],
               json_path: str, timeout: int) -> Dict[str, object]:
    """Run one benchmark script; its JSON result, or a failure record."""
    cmd = [sys.executable, osp.join(HERE, script), *args, '--json', json_path]
    if device is not None:
        cmd += ['--device', device]
    env = dict(os.environ)
    if device in (None, 'cpu'):
        env['CUDA_VISIBLE_DEVICES'] = ''  # CPU figures: no GPU in sight
    env.setdefault('PYTHONWARNINGS', 'ignore')
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=timeout)
        output, code = proc.stdout + proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as exc:
        output = (exc.stdout or b'').decode(errors='replace') if isinstance(
            exc.stdout, bytes) else (exc.stdout or '')
        code = f'timeout after {timeout} s'
    seconds = time.perf_counter() - start
    label = f'{script}' + (f' --device {device}' if device else '')
    if code == 0 and osp.isfile(json_path):
        with open(json_path) as f:
            result = json.load(f)
        print(f'  {label}: {seconds:.0f} s', flush=True)
        result['seconds'] = seconds
        return result
    tail = '\n'.join(output.strip().splitlines()[-15:])
    print(f'  {label}: FAILED ({code}) after {seconds:.0f} s\n{tail}',
          flush=True)
    last = output.strip().splitlines()[-1] if output.strip() else str(code)
    return dict(failed=True, script=script, device=device or 'cpu',
                error=last[:200], seconds=seconds)


def tta_rows(result: Dict[str, object]) -> List[Dict[str, object]]:
    """Table rows from bench_tta.py's result."""
    n = result['images']
    scales = '/'.join(str(s[0]) for s in result['scales'])
    speedup = result['speedup_9_views']
    agree = result['pixel_agreement_min']
    return [
        dict(key='tta_vs_mmseg', device='cpu',
             figure=(f'TTA on {n} ISIC images, 9 views ({scales} px x none/'
                     'left-right/up-down), quick model, s'),
             project=result['ours_9_views_s'],
             project_text=(f'{fmt(result["ours_9_views_s"])} s '
                           f'(ISICSegTTAModel, {speedup:.2f}x faster)'),
             reference=result['mmseg_9_views_s'],
             reference_text=(f'{fmt(result["mmseg_9_views_s"])} s (mmseg '
                             'SegTTAModel + TestTimeAug pipeline)'),
             ratio=result['ours_9_views_s'] / result['mmseg_9_views_s'],
             goal=None, passed=None),
        dict(key='tta_agreement', device='cpu',
             figure=('TTA predictions vs mmseg SegTTAModel: pixel agreement '
                     '(worst image)'),
             project=agree, project_text=f'{agree:.4f}',
             reference=1.0, reference_text='1 (identical)', ratio=agree,
             goal='= 1', passed=bool(result['identical_predictions'])),
    ]


def result_rows(result: Dict[str, object]) -> List[Dict[str, object]]:
    """Table rows of one script's result (one row saying so if it failed)."""
    if result.get('failed'):
        return [dict(key=f'failed_{result["script"]}',
                     device=result['device'],
                     figure=f'{result["script"]} ({result["device"]})',
                     project_text=f'FAILED: {result["error"]}',
                     reference_text='-', ratio=float('nan'), goal=None)]
    if result.get('benchmark') == 'tta':
        return tta_rows(result)
    return result['rows']


def collect_rows(results: List[Dict[str, object]]):
    """CPU rows in order, and GPU rows by key."""
    cpu_rows, gpu_rows = [], {}
    for result in results:
        for row in result_rows(result):
            if row['device'] == 'cuda' and not result.get('failed'):
                gpu_rows[row['key']] = row
            else:
                cpu_rows.append(row)
    return cpu_rows, gpu_rows


def markdown_table(cpu_rows: List[Dict[str, object]],
                   gpu_rows: Dict[str, Dict[str, object]]) -> str:
    """One markdown table; GPU columns beside the CPU ones if any."""
    head = ['figure', 'this project', 'reference', 'ratio', 'goal']
    if gpu_rows:
        head += ['GPU: this project', 'GPU: reference', 'GPU: ratio',
                 'GPU: goal']
    lines = ['| ' + ' | '.join(head) + ' |',
             '|' + '---|' * len(head)]
    for row in cpu_rows:
        cells = [row['figure'], cell(row, 'project'), cell(row, 'reference'),
                 fmt(row.get('ratio')), goal_cell(row)]
        if gpu_rows:
            gpu = gpu_rows.get(row['key'])
            cells += ([cell(gpu, 'project'), cell(gpu, 'reference'),
                       fmt(gpu.get('ratio')), goal_cell(gpu)]
                      if gpu else ['-'] * 4)
        lines.append('| ' + ' | '.join(c.replace('|', '/') for c in cells) +
                     ' |')
    return '\n'.join(lines)


def para(text: str) -> str:
    """``text`` wrapped like the rest of the README."""
    return textwrap.fill(text, width=78, break_long_words=False,
                         break_on_hyphens=False)


def tta_section(result: Dict[str, object], run: Dict[str, str]) -> str:
    """The README's TTA-BENCHMARK section from bench_tta.py's result."""
    scales = ', '.join(f'{s[0]}' for s in result['scales'])
    return '\n'.join([
        para(f'`benchmarks/bench_tta.py`, run by {run["command"]} on '
             f'{run["date"]}{run["note"]}: {result["images"]} ISIC images, '
             f'the quick model, scales {scales} px, on {run["machine"]}; '
             f'{run["load"]}.'),
        '',
        '| views | mmseg `SegTTAModel` | `ISICSegTTAModel` |',
        '|---|---|---|',
        f'| 9 (3 scales x none / left-right / up-down) | '
        f'{fmt(result["mmseg_9_views_s"])} s | '
        f'{fmt(result["ours_9_views_s"])} s '
        f'({result["speedup_9_views"]:.2f}x faster) |',
        f'| 12 (adds the diagonal flip, which mmseg cannot undo) | - | '
        f'{fmt(result["ours_12_views_s"])} s |',
        '',
        para('Predictions identical to mmseg\'s on the same 9 views: '
             f'{"yes" if result["identical_predictions"] else "no"} (worst '
             f'image: {result["pixel_agreement_min"]:.4f} of pixels agree).'),
    ])


def replace_section(text: str, begin: str, end: str, body: str) -> str:
    """``text`` with what lies between ``begin`` and ``end`` replaced."""
    pattern = re.compile(re.escape(begin) + '.*?' + re.escape(end), re.S)
    return pattern.sub(lambda _: f'{begin}\n{body}\n{end}', text, count=1)


def ensure_markers(text: str) -> str:
    """Add a Benchmarks section with empty markers if the README has none:
    before the real-data walk-through, else at the end."""
    if BEGIN in text and END in text:
        return text
    intro = para('Where the time goes, measured by `python '
                 'benchmarks/run_all.py`: one script per question in '
                 '`benchmarks/`, whose docstrings say exactly what each '
                 'figure times. Speed goals are checked here, never by timed '
                 'tests. On a machine with a GPU the table gets GPU columns.')
    section = f'## Benchmarks\n\n{intro}\n\n{BEGIN}\n{END}\n\n'
    if README_ANCHOR in text:
        return text.replace(README_ANCHOR, section + README_ANCHOR, 1)
    return text.rstrip('\n') + '\n\n' + section.rstrip('\n') + '\n'


def update_readme(path: str, table: str, run: Dict[str, str],
                  tta: Optional[Dict[str, object]]) -> None:
    """Refresh the README's benchmark sections (markers added if missing).

    Args:
        path (str): The README.
        table (str): The markdown table.
        run (dict[str, str]): ``command``, ``date``, ``minutes``,
            ``machine``, ``load`` and ``note`` (on --quick, else empty).
        tta (dict, optional): bench_tta.py's result.
    """
    with open(path) as f:
        text = f.read()
    text = ensure_markers(text)
    body = '\n'.join([
        para(f'{run["command"]}{run["note"]}, {run["date"]} '
             f'({run["minutes"]} min in all), on {run["machine"]}; '
             f'{run["load"]}.'),
        '', table, '',
        para('Ratio = this project / reference: the median of per-round '
             'ratios, both sides measured back to back in one process after '
             'a warm-up. Throughputs: higher is better; times: lower is '
             'better.')])
    text = replace_section(text, BEGIN, END, body)
    if tta is not None and TTA_BEGIN in text and TTA_END in text:
        text = replace_section(text, TTA_BEGIN, TTA_END, tta_section(tta, run))
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    import torch
    info = machine_info()
    machine = machine_line(info)
    devices = ['cpu'] + (['cuda'] if torch.cuda.is_available() else [])
    load = os.getloadavg()[0] if hasattr(os, 'getloadavg') else 0.0
    start = time.perf_counter()
    if load > BUSY_LOAD:
        print(f'warning: load average {load:.1f} before starting: other work '
              'is running, so the figures will be unreliable', flush=True)
    print(f'Machine: {machine}\n'
          f'Running the benchmarks ({"--quick" if args.quick else "full"})'
          f' on {", ".join(devices)}:', flush=True)
    results: List[Dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix='run_all_') as tmp:
        for script, gpu_too, full, quick in BENCHES:
            if args.only and script not in args.only:
                continue
            script_args = list(quick if args.quick else full)
            if (args.quick and script == 'bench_quickstart.py'
                    and not osp.isfile(LAST_QUICKSTART)):
                print(f'  {script}: skipped (--quick reads '
                      f'{osp.relpath(LAST_QUICKSTART, REPO)}, which does '
                      'not exist: run bash tools/quickstart.sh)', flush=True)
                continue
            if script == 'bench_tta.py':
                script_args += ['--images', tta_images(tmp, 6)]
            # CPU-only scripts (data preparation; bench_tta.py, which
            # knows no --device) run once, without --device
            runs = devices if gpu_too else [None]
            for device in runs:
                json_path = osp.join(
                    tmp, f'{script[:-3]}_{len(results)}_{device or "cpu"}'
                    '.json')
                result = run_script(script, script_args, device, json_path,
                                    args.timeout)
                if script == 'bench_tta.py' and not result.get('failed'):
                    result['benchmark'] = 'tta'
                results.append(result)
    total = time.perf_counter() - start
    cpu_rows, gpu_rows = collect_rows(results)
    table = markdown_table(cpu_rows, gpu_rows)
    now = datetime.datetime.now(datetime.timezone.utc)
    run = dict(
        command='`python benchmarks/run_all.py' +
        (' --quick`' if args.quick else '`'),
        note=(' (tiny settings: a smoke check, not figures to quote)'
              if args.quick else ''),
        date=f'{now:%Y-%m-%d %H:%M} UTC', minutes=f'{total / 60:.1f}',
        machine=machine, load=f'load average {load:.1f} when it started' +
        (' (the machine was busy: the figures are unreliable)'
         if load > BUSY_LOAD else ''))
    print(f'\nMachine: {machine}\n{run["date"]}, {run["minutes"]} min'
          f'{run["note"]}; {run["load"]}\n\n{table}')

    out = args.results or (None if args.only else RESULTS)
    if out:
        with open(out, 'w') as f:
            json.dump(dict(machine=info, machine_line=machine,
                           quick=args.quick, load_average_at_start=load,
                           date=now.isoformat(timespec='seconds'),
                           total_seconds=total, results=results), f,
                      indent=2)
        print(f'\nresults: {osp.relpath(out)}')
    if not args.no_readme and not args.only:
        tta = next((r for r in results if r.get('benchmark') == 'tta'), None)
        update_readme(README, table, run, tta)
        print(f'README: {osp.relpath(README)} refreshed')
    failed = [r for r in results if r.get('failed')]
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
