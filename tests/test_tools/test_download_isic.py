"""tools/download_isic.py against a loopback server holding a stand-in for
the ISIC 2017 release (full counts, tiny images): nothing leaves the
machine."""
import os
import os.path as osp
import re
import shlex
import socket
import subprocess

import pytest

from isic_plugins.data_fetch import RELEASES
from isic_plugins.testing import RangeHTTPServer, make_synthetic_release

ISIC2017 = RELEASES['isic2017']
LAYOUT = {  # folder -> number of images or masks in it
    'ISIC-2017_Training_Data': 2000,
    'ISIC-2017_Training_Part1_GroundTruth': 2000,
    'ISIC-2017_Validation_Data': 150,
    'ISIC-2017_Validation_Part1_GroundTruth': 150,
    'ISIC-2017_Test_v2_Data': 600,
    'ISIC-2017_Test_v2_Part1_GroundTruth': 600,
}


@pytest.fixture(scope='module')
def served(tmp_path_factory):
    """The server's folder: the nine files of the ISIC 2017 release."""
    root = str(tmp_path_factory.mktemp('isic_server'))
    make_synthetic_release(root, ISIC2017)
    return root


def _run(python, repo_root, *args, cwd=None):
    return subprocess.run(
        [python, osp.join(repo_root, 'tools', 'download_isic.py'),
         *map(str, args)], cwd=cwd or repo_root, capture_output=True,
        text=True, timeout=600)


def _counts(data):
    return {d: len([n for n in os.listdir(osp.join(data, d))
                    if re.fullmatch(r'ISIC_\d+(_segmentation\.png|\.jpg)', n)])
            for d in LAYOUT if osp.isdir(osp.join(data, d))}


def test_full_download_layout_rerun_and_check(python, repo_root, served,
                                              tmp_path):
    data = str(tmp_path / 'ISIC2017')
    with RangeHTTPServer(served) as server:
        res = _run(python, repo_root, 'isic2017', data, '--base-url',
                   server.url, '--no-checksum')
        assert res.returncode == 0, res.stdout + res.stderr
        assert len(server.requests) == 9
        assert _counts(data) == LAYOUT
        for split in ('Training', 'Validation', 'Test_v2'):
            assert osp.isfile(osp.join(
                data, f'ISIC-2017_{split}_Part3_GroundTruth.csv'))
        assert sorted(os.listdir(data)) == sorted(
            [*LAYOUT, *(f'ISIC-2017_{s}_Part3_GroundTruth.csv'
                        for s in ('Training', 'Validation', 'Test_v2'))])
        # a rerun downloads nothing
        res = _run(python, repo_root, 'isic2017', data, '--base-url',
                   server.url, '--no-checksum')
        assert res.returncode == 0, res.stdout + res.stderr
        assert len(server.requests) == 9
        assert res.stdout.count('skipped') == 9
    # the check command the tool prints passes on what it made
    check = res.stdout.strip().splitlines()[-1].split()
    assert check[:2] == ['python', 'tools/check_dataset.py']
    res = subprocess.run([python, *check[1:]], cwd=repo_root,
                         capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert '0 error(s), 0 note(s) in 2750 sample(s)' in res.stdout, \
        res.stdout[-2000:]
    # and the Part 3 labels, as the classification configs read them
    res = subprocess.run(
        [python, 'tools/check_dataset.py', 'configs/cls_multiclass.py',
         '--splits', 'val', 'test', '--cfg-options',
         f'val_dataloader.dataset.data_root={data}',
         f'test_dataloader.dataset.data_root={data}'], cwd=repo_root,
        capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert '0 error(s), 0 note(s) in 750 sample(s)' in res.stdout, \
        res.stdout[-2000:]


def test_cut_download_resumes_on_the_next_run(python, repo_root, served,
                                              tmp_path):
    data = str(tmp_path / 'ISIC2017')
    size = osp.getsize(osp.join(served, 'ISIC-2017_Validation_Data.zip'))
    with RangeHTTPServer(served, cut_after=size // 2) as server:
        res = _run(python, repo_root, 'isic2017', data, '--only', 'val',
                   'images', '--base-url', server.url, '--no-checksum',
                   '--retries', '0')
        assert res.returncode == 1
        assert 'run the same command again to resume' in res.stderr
        assert 'Traceback' not in res.stderr
        part = osp.join(data, '.downloads',
                        'ISIC-2017_Validation_Data.zip.part')
        assert osp.getsize(part) == size // 2
        assert _counts(data) == {}  # nothing unpacked
        res = _run(python, repo_root, 'isic2017', data, '--only', 'val',
                   'images', '--base-url', server.url, '--no-checksum')
    assert res.returncode == 0, res.stdout + res.stderr
    assert [(r['range'], r['status']) for r in server.requests] == [
        (None, 200), (f'bytes={size // 2}-', 206)]
    assert _counts(data) == {'ISIC-2017_Validation_Data': 150}


def test_checksum_mismatch_is_refused_by_name(python, repo_root, served,
                                              tmp_path):
    data = str(tmp_path / 'ISIC2017')
    with RangeHTTPServer(served) as server:
        # the stand-in's bytes are not the real release's: its MD5 differs
        res = _run(python, repo_root, 'isic2017', data, '--only', 'val',
                   'masks', '--base-url', server.url)
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith(
        'error: ISIC-2017_Validation_Part1_GroundTruth.zip: its MD5 is ')
    assert '64d3e68fa2deeb8a5e89aa8dec2efd44' in lines[0]
    assert '--no-checksum' in lines[0]
    assert _counts(data) == {}


def test_no_network_is_one_line_naming_host_and_local_folders(
        python, repo_root, tmp_path):
    with socket.socket() as s:  # a loopback port nothing listens on
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    res = _run(python, repo_root, 'isic2017', tmp_path / 'd', '--only',
               'val', '--base-url', f'http://127.0.0.1:{port}')
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert f'cannot reach 127.0.0.1:{port}' in lines[0]
    assert '../shared' in lines[0]


def _readme_section(repo_root, title):
    with open(osp.join(repo_root, 'README.md')) as f:
        text = f.read()
    start = text.index(f'## {title}\n')
    end = text.index('\n## ', start + 1)
    return text[start:end]


def test_readme_get_the_data_as_a_new_user(python, repo_root, served,
                                           tmp_path):
    """The README's commands, in a fresh folder, against the test server.

    Each ``python tools/download_isic.py isic2017 ...`` command of "Get the
    data" is run as written, plus ``--base-url`` (the test server) and
    ``--no-checksum`` (its stand-in zips are not the real bytes); then the
    check command the README gives.
    """
    section = _readme_section(repo_root, 'Get the data')
    commands = [line.split('#')[0].strip()
                for line in section.splitlines()
                if line.startswith('python tools/')]
    downloads = [c for c in commands
                 if c.startswith('python tools/download_isic.py isic2017')]
    checks = [c for c in commands
              if c.startswith('python tools/check_dataset.py')]
    assert len(downloads) >= 2 and checks, commands
    for name in ('tools', 'configs'):
        os.symlink(osp.join(repo_root, name), tmp_path / name)
    with RangeHTTPServer(served) as server:
        for command in downloads:
            args = shlex.split(command)[2:]
            res = _run(python, repo_root, *args, '--base-url', server.url,
                       '--no-checksum', cwd=tmp_path)
            assert res.returncode == 0, command + res.stdout + res.stderr
    assert _counts(tmp_path / 'data' / 'ISIC2017') == LAYOUT
    res = subprocess.run([python, *shlex.split(checks[0])[1:]],
                         cwd=tmp_path, capture_output=True, text=True,
                         timeout=900)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]


def test_isic2018_task1_lands_in_the_archive_layout(python, repo_root,
                                                    tmp_path, mmseg_scope):
    from mmseg.registry import DATASETS
    release = RELEASES['isic2018_task1']
    served = str(tmp_path / 'server')
    make_synthetic_release(served, release)
    data = str(tmp_path / 'ISIC_archive')
    with RangeHTTPServer(served) as server:
        res = _run(python, repo_root, 'isic2018_task1', data, '--base-url',
                   server.url)  # no MD5 is published: nothing to skip
    assert res.returncode == 0, res.stdout + res.stderr
    assert sorted(os.listdir(data)) == ['images', 'masks']
    assert len(os.listdir(osp.join(data, 'masks'))) == 2594
    assert 'metadata_file=None' in res.stdout.splitlines()[-1]
    ds = DATASETS.build(dict(
        type='ISICArchiveSegmentationDataset', data_root=data,
        metadata_file=None,
        data_prefix=dict(img_path='images', seg_map_path='masks')))
    assert len(ds) == 2594
