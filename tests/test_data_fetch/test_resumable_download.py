"""Resumable HTTP download against a loopback server (never the internet)."""
import os
import os.path as osp
import socket

import pytest

from isic_plugins.data_fetch import DownloadError, Unreachable, download
from isic_plugins.testing import RangeHTTPServer

BODY = bytes(range(256)) * 400  # 102,400 bytes


@pytest.fixture
def served(tmp_path):
    root = tmp_path / 'server'
    root.mkdir()
    (root / 'file.zip').write_bytes(BODY)
    return str(root)


def test_download_is_renamed_only_when_complete(served, tmp_path):
    dest = str(tmp_path / 'file.zip')
    seen = []
    with RangeHTTPServer(served) as server:
        download(f'{server.url}/file.zip', dest, retry_wait=0,
                 on_start=lambda done, total: seen.append((done, total)))
    assert open(dest, 'rb').read() == BODY
    assert not osp.exists(dest + '.part')
    assert seen == [(0, len(BODY))]
    assert [r['range'] for r in server.requests] == [None]


def test_cut_transfer_is_resumed_with_range(served, tmp_path):
    dest = str(tmp_path / 'file.zip')
    notes = []
    with RangeHTTPServer(served, cut_after=30000) as server:
        download(f'{server.url}/file.zip', dest, retries=1, retry_wait=0,
                 note=notes.append)
    assert [(r['range'], r['status']) for r in server.requests] == [
        (None, 200), ('bytes=30000-', 206)]
    assert open(dest, 'rb').read() == BODY
    assert 'broke off at 30000 bytes' in notes[0]


def test_cut_without_retries_keeps_the_part_for_the_next_run(served,
                                                              tmp_path):
    dest = str(tmp_path / 'file.zip')
    with RangeHTTPServer(served, cut_after=40000) as server:
        with pytest.raises(DownloadError, match='run the same command again'):
            download(f'{server.url}/file.zip', dest, retries=0)
        # never mistaken for a complete file
        assert not osp.exists(dest)
        assert open(dest + '.part', 'rb').read() == BODY[:40000]
        # the next run resumes where it stopped
        download(f'{server.url}/file.zip', dest, retries=0)
    assert server.requests[-1]['range'] == 'bytes=40000-'
    assert open(dest, 'rb').read() == BODY


def test_server_ignoring_range_starts_over_with_a_note(served, tmp_path):
    dest = str(tmp_path / 'file.zip')
    with open(dest + '.part', 'wb') as f:
        f.write(BODY[:5000])
    notes = []
    with RangeHTTPServer(served, ignore_range=True) as server:
        download(f'{server.url}/file.zip', dest, note=notes.append)
    assert server.requests[0]['range'] == 'bytes=5000-'
    assert open(dest, 'rb').read() == BODY  # not BODY[:5000] + BODY
    assert any('ignored the Range request' in n for n in notes)


def test_part_that_is_already_whole_is_completed(served, tmp_path):
    dest = str(tmp_path / 'file.zip')
    with open(dest + '.part', 'wb') as f:
        f.write(BODY)
    with RangeHTTPServer(served) as server:
        download(f'{server.url}/file.zip', dest)
    assert server.requests[0]['status'] == 416
    assert open(dest, 'rb').read() == BODY


def test_missing_file_and_unreachable_host_are_one_line(served, tmp_path):
    dest = str(tmp_path / 'file.zip')
    with RangeHTTPServer(served) as server:
        with pytest.raises(DownloadError, match='HTTP 404'):
            download(f'{server.url}/nope.zip', dest)
    # a loopback port nothing listens on
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    with pytest.raises(Unreachable, match=f'cannot reach 127.0.0.1:{port}'):
        download(f'http://127.0.0.1:{port}/file.zip', dest)
    assert os.listdir(tmp_path) == ['server']
