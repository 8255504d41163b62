"""Download one file over HTTP(S), resuming where an earlier try stopped.

The bytes go to ``<dest>.part`` and the file is renamed to ``dest`` only
once the server's whole length has arrived, so a half-downloaded file is
never mistaken for a complete one. A later call (the same run's retry, or
the next run) asks for the rest with an HTTP ``Range`` request; a server
that ignores it (answers 200 with the whole file) is noted and the file
starts over, never appended to.
"""
import http.client
import os
import os.path as osp
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Callable, Optional

#: Bytes read per chunk.
CHUNK_SIZE = 1 << 20

_CONTENT_RANGE = re.compile(r'bytes\s+(\d+)-(\d+)/(\d+|\*)')


class DownloadError(RuntimeError):
    """A download that could not finish; the message says what to do."""


class Unreachable(DownloadError):
    """The server could not be reached at all (no network, wrong host)."""


def part_path(dest: str) -> str:
    """Where the bytes of ``dest`` are collected until it is complete."""
    return dest + '.part'


def host_of(url: str) -> str:
    """The host (and port) of ``url``, as messages name it."""
    return urllib.parse.urlsplit(url).netloc or url


def _open(url: str, start: int, timeout: float):
    headers = {'User-Agent': 'isic_plugins-download'}
    if start:
        headers['Range'] = f'bytes={start}-'
    request = urllib.request.Request(url, headers=headers)
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as e:
        if e.code == 416:
            return e  # the caller reads Content-Range: maybe complete
        raise DownloadError(f'{url}: the server answered HTTP {e.code} '
                            f'({e.reason})') from None
    except urllib.error.URLError as e:
        raise Unreachable(f'cannot reach {host_of(url)} ({e.reason})') \
            from None
    except (socket.timeout, ConnectionError, http.client.HTTPException) as e:
        raise Unreachable(f'cannot reach {host_of(url)} ({e})') from None


def _try_once(url: str, part: str, timeout: float,
              on_start: Callable[[int, Optional[int]], None],
              on_bytes: Callable[[int], None],
              note: Callable[[str], None]) -> bool:
    """One request for the rest of ``url`` into ``part``.

    Returns:
        bool: True when ``part`` holds the whole file.

    Raises:
        DownloadError: The server refused; Unreachable: it was not reached;
        OSError and http.client errors: the transfer broke off (retry).
    """
    start = osp.getsize(part) if osp.exists(part) else 0
    response = _open(url, start, timeout)
    with response:
        status = response.status if hasattr(response, 'status') \
            else response.code
        content_range = response.headers.get('Content-Range', '')
        if status == 416:
            match = re.search(r'/(\d+)', content_range)
            if match and int(match.group(1)) == start:
                on_start(start, start)
                return True  # complete already, only not renamed yet
            note(f'{osp.basename(part)}: the server refused to resume at '
                 f'{start} bytes; starting over')
            os.remove(part)
            return False
        total = None
        if status == 206:
            match = _CONTENT_RANGE.match(content_range)
            if not match or int(match.group(1)) != start:
                note(f'{url}: the server sent another range '
                     f'({content_range!r}) than bytes={start}-; starting '
                     'the file over')
                os.remove(part)
                return False
            if match.group(3) != '*':
                total = int(match.group(3))
            mode = 'ab'
        else:
            if start:
                note(f'{url}: the server ignored the Range request (HTTP '
                     f'{status}, whole file); starting over instead of '
                     f'resuming at {start} bytes')
            start, mode = 0, 'wb'
            length = response.headers.get('Content-Length')
            total = int(length) if length is not None else None
        on_start(start, total)
        received = start
        with open(part, mode) as f:
            while True:
                chunk = response.read(CHUNK_SIZE)
                if not chunk:
                    break
                f.write(chunk)
                received += len(chunk)
                on_bytes(len(chunk))
        if total is not None and received < total:
            raise http.client.IncompleteRead(b'', total - received)
        return True


def download(url: str,
             dest: str,
             retries: int = 3,
             retry_wait: float = 2.0,
             timeout: float = 60.0,
             on_start: Optional[Callable[[int, Optional[int]], None]] = None,
             on_bytes: Optional[Callable[[int], None]] = None,
             note: Callable[[str], None] = print) -> str:
    """Download ``url`` to ``dest``, resuming an earlier partial download.

    Args:
        url (str): The file's URL.
        dest (str): Where the complete file goes (its folder must exist).
        retries (int): How many times a transfer that broke off is resumed
            within this call. Defaults to 3.
        retry_wait (float): Seconds before the first retry (doubled for
            each next one). Defaults to 2.0.
        timeout (float): Socket timeout in seconds. Defaults to 60.0.
        on_start (Callable, optional): Called with (bytes already there,
            total bytes or None) when a transfer starts; for a progress bar.
        on_bytes (Callable, optional): Called with the size of each chunk
            written.
        note (Callable): Receives one-line notes (a server that ignored
            Range, a retry). Defaults to print.

    Returns:
        str: ``dest``.

    Raises:
        Unreachable: The host could not be reached.
        DownloadError: The server refused the file, or the transfer broke
            off more than ``retries`` times; what arrived stays in
            ``dest.part`` for the next call to resume.
    """
    part = part_path(dest)
    on_start = on_start or (lambda done, total: None)
    on_bytes = on_bytes or (lambda n: None)
    failures = restarts = 0
    while True:
        try:
            if _try_once(url, part, timeout, on_start, on_bytes, note):
                os.replace(part, dest)
                return dest
            restarts += 1  # started over from zero: not a failed try
            if restarts > 2:
                raise DownloadError(
                    f'{url}: the server does not serve the file '
                    'consistently (it was started over 3 times)')
        except (OSError, http.client.HTTPException) as e:
            have = osp.getsize(part) if osp.exists(part) else 0
            if failures == retries:
                raise DownloadError(
                    f'{url}: the transfer broke off at {have} bytes '
                    f'({type(e).__name__}: {e}); what arrived is kept in '
                    f'{part}: run the same command again to resume') \
                    from None
            wait = retry_wait * (2**failures)
            failures += 1
            note(f'{osp.basename(dest)}: the transfer broke off at {have} '
                 f'bytes ({type(e).__name__}); resuming in {wait:g} s')
            time.sleep(wait)
