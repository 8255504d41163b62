"""A loopback HTTP server for download tests: Range, cut transfers, a log.

:class:`RangeHTTPServer` serves the files of one folder on 127.0.0.1 (a
free port) from a background thread, like a static file host such as S3:
``Range: bytes=N-`` is answered with 206 and ``Content-Range``. For tests
of what a real network does it can

- ``cut_after``: send a file's headers (its whole ``Content-Length``) and
  then only this many bytes before closing the connection, once per file;
- ``ignore_range``: answer every request with 200 and the whole file;

and it records each request (path, Range header, status) in ``requests``.
Nothing is reachable from outside the machine.
"""
import http.server
import os.path as osp
import threading
from typing import Dict, List, Optional


class RangeHTTPServer:
    """Serve ``root`` on loopback until :meth:`stop` (or the ``with``
    block ends).

    Args:
        root (str): Folder whose files are served by name.
        cut_after (int, optional): Close each file's first transfer after
            this many body bytes. Defaults to None (never).
        ignore_range (bool): Answer Range requests with the whole file.
            Defaults to False.
    """

    def __init__(self, root: str, cut_after: Optional[int] = None,
                 ignore_range: bool = False) -> None:
        self.root = root
        self.cut_after = cut_after
        self.ignore_range = ignore_range
        self.requests: List[Dict[str, object]] = []
        self._cut_done = set()
        self._lock = threading.Lock()
        self._server = http.server.ThreadingHTTPServer(
            ('127.0.0.1', 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        daemon=True)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``: the base URL of the served folder."""
        host, port = self._server.server_address[:2]
        return f'http://{host}:{port}'

    def start(self) -> 'RangeHTTPServer':
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> 'RangeHTTPServer':
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _record(self, **entry) -> None:
        with self._lock:
            self.requests.append(entry)

    def _first_transfer(self, name: str) -> bool:
        with self._lock:
            if name in self._cut_done:
                return False
            self._cut_done.add(name)
            return True

    def _handler_class(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):

            def log_message(self, *args) -> None:  # quiet test output
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                name = self.path.lstrip('/').split('?')[0]
                path = osp.join(server.root, name)
                range_header = self.headers.get('Range')
                if '/' in name or not osp.isfile(path):
                    server._record(path=name, range=range_header,
                                   status=404)
                    self.send_error(404)
                    return
                size = osp.getsize(path)
                start = 0
                if range_header and not server.ignore_range:
                    start = int(range_header.split('=')[1].split('-')[0])
                if start >= size and size:
                    server._record(path=name, range=range_header,
                                   status=416)
                    self.send_response(416)
                    self.send_header('Content-Range', f'bytes */{size}')
                    self.send_header('Content-Length', '0')
                    self.end_headers()
                    return
                status = 206 if start else 200
                server._record(path=name, range=range_header, status=status)
                self.send_response(status)
                self.send_header('Content-Length', str(size - start))
                if status == 206:
                    self.send_header('Content-Range',
                                     f'bytes {start}-{size - 1}/{size}')
                self.send_header('Accept-Ranges', 'bytes')
                self.end_headers()
                with open(path, 'rb') as f:
                    f.seek(start)
                    body = f.read()
                if (server.cut_after is not None
                        and server._first_transfer(name)):
                    self.wfile.write(body[:server.cut_after])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        return Handler

