"""tools/quickstart.sh: fast mode by default, --full behind a flag, and a
folder made by one mode is never reused by the other (refused before the
set-up, naming the fix)."""
import os
import subprocess


def _run(repo_root, *args, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run(['bash', 'tools/quickstart.sh', *args],
                          cwd=repo_root, capture_output=True, text=True,
                          timeout=60, env=env)


def test_unknown_argument_prints_usage(repo_root):
    res = _run(repo_root, '--fastest')
    assert res.returncode == 2 and 'usage:' in res.stderr
    res = _run(repo_root, env_extra={'QUICKSTART_MODE': 'huge'})
    assert res.returncode == 2 and "not 'huge'" in res.stderr


def test_full_mode_refuses_a_fast_mode_folder(repo_root, tmp_path):
    (tmp_path / 'mode').write_text('fast\n')
    res = _run(repo_root, '--full',
               env_extra={'QUICKSTART_OUT': str(tmp_path)})
    assert res.returncode == 2
    assert 'holds a run of fast mode' in res.stderr
    assert str(tmp_path) in res.stderr
    assert '[setup]' not in res.stdout  # refused before the set-up


def test_fast_mode_refuses_a_folder_from_before_the_modes(repo_root,
                                                          tmp_path):
    # the earlier quickstart (today's --full) wrote data/ and no mode file
    (tmp_path / 'data').mkdir()
    res = _run(repo_root, env_extra={'QUICKSTART_OUT': str(tmp_path)})
    assert res.returncode == 2
    assert 'earlier (full-size)' in res.stderr
    assert not (tmp_path / 'mode').exists()
