"""tools/realdata.sh refuses bad arguments at once, naming the fix (the
rest is tools/realdata.py's, tested in test_realdata_py.py)."""
import subprocess


def _run(repo_root, *args):
    return subprocess.run(['bash', 'tools/realdata.sh', *args], cwd=repo_root,
                          capture_output=True, text=True, timeout=60)


def test_missing_layout_is_named_before_any_work(repo_root, tmp_path):
    res = _run(repo_root, 'seg', str(tmp_path))
    assert res.returncode == 2
    assert 'ISIC-2017_Training_Data' in res.stderr
    assert str(tmp_path) in res.stderr
    assert '[setup]' not in res.stdout  # refused before the set-up


def test_unknown_pipeline_and_usage(repo_root, tmp_path):
    res = _run(repo_root, 'detect', str(tmp_path))
    assert res.returncode == 2 and "unknown pipeline 'detect'" in res.stderr
    res = _run(repo_root, 'seg')
    assert res.returncode == 2 and 'usage:' in res.stderr

