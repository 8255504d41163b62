"""benchmarks/bench_quickstart.py: the quickstart's stage times as rows."""
import importlib.util
import json
import os.path as osp
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SCRIPT = osp.join(REPO, 'benchmarks', 'bench_quickstart.py')


def _write(folder, lines, mode='fast'):
    (folder / 'stage_seconds.csv').write_text('\n'.join(lines) + '\n')
    (folder / 'mode').write_text(mode + '\n')
    return str(folder / 'stage_seconds.csv')


def test_rows_from_a_quickstart_csv(tmp_path, python):
    csv_path = _write(tmp_path, ['stage,seconds', 'synthetic,30',
                                 'seg_stage1,200', 'report,10'])
    out = tmp_path / 'out.json'
    subprocess.run([python, SCRIPT, '--from', csv_path, '--json', str(out)],
                   check=True, capture_output=True, cwd=REPO)
    result = json.loads(out.read_text())
    total, *stages = result['rows']
    assert total['project'] == 240 and total['ratio'] == 240 / 480
    assert total['goal'] == '<= 1' and total['passed'] is True
    assert [r['project'] for r in stages] == [30, 200, 10]
    assert stages[1]['ratio'] == pytest.approx(200 / 240)
    assert result['mode'] == 'fast'


def test_full_mode_has_no_goal_and_slow_fast_run_fails_it(tmp_path):
    spec = importlib.util.spec_from_file_location('bench_quickstart', SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, osp.dirname(SCRIPT))
    spec.loader.exec_module(mod)
    stages = [('seg_stage1', 400.0), ('cls', 200.0)]
    assert mod.stage_rows(stages, 'fast')[0]['passed'] is False
    assert mod.stage_rows(stages, 'full')[0]['goal'] is None


def test_not_a_stage_table_is_refused(tmp_path, python):
    bad = tmp_path / 'stage_seconds.csv'
    bad.write_text('name,time\nx,1\n')
    proc = subprocess.run([python, SCRIPT, '--from', str(bad)],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.returncode != 0
    assert 'expected the header "stage,seconds"' in proc.stderr
