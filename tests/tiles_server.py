"""A tile server for tests: http.server on 127.0.0.1 only, with Range support and scripted faults.

``TileServer({"/skadi/N57/N57E011.hgt.gz": data})`` serves those bytes; every
request is recorded as ``(path, range_header)`` in ``server.requests``. Paths
in ``server.cut`` (path -> count) get a full Content-Length header but only
half of the body before the connection is closed, ``count`` times. Bodies are
sent in 64 KiB pieces with ``chunk_delay_s`` seconds between them (a slow link);
paths in ``stall`` get their headers and then nothing for ``stall_s`` seconds; paths in ``status``
(path -> HTTP code) are answered with that error code every time.

``down_after = N`` makes the server go down for good once it has sent N whole
bodies: the next request has its connection closed unanswered and the
listening socket is closed, so every later connection is refused (a server
that dies half-way through a fetch). ``TileServer(files, port=p)`` brings a
server back up on the port of one that went down, so the tile URLs (and the
cache folder they map to) stay the same; ``served`` counts the whole bodies sent.
"""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        srv = self.server.owner
        rng = self.headers.get("Range")
        with srv.lock:
            srv.requests.append((self.path, rng))
            down = srv.down_after is not None and srv.served >= srv.down_after
        if down:
            srv.go_down()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        with srv.lock:
            data = srv.files.get(self.path)
            cut = srv.cut.get(self.path, 0)
            if cut:
                srv.cut[self.path] = cut - 1
            error = srv.status.get(self.path)
        if error is not None:
            body = b"scripted error"
            self.send_response(error)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if data is None:
            body = b"not found"
            self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        start = 0
        if rng and rng.startswith("bytes=") and srv.ranges:
            start = int(rng[len("bytes=") :].split("-")[0])
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        if cut:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if self.path in srv.stall:
            time.sleep(srv.stall_s)
            return
        for i in range(0, len(body), 1 << 16):
            try:
                self.wfile.write(body[i : i + (1 << 16)])
            except OSError:
                return
            if srv.chunk_delay_s:
                time.sleep(srv.chunk_delay_s)
        with srv.lock:
            srv.served += 1


class TileServer:
    """Serve ``files`` (URL path -> bytes) on 127.0.0.1 on a free port, in a thread."""

    def __init__(self, files: dict[str, bytes] | None = None, ranges: bool = True, port: int = 0):
        self.files = dict(files or {})
        self.cut: dict[str, int] = {}
        self.stall: set[str] = set()
        self.status: dict[str, int] = {}
        self.stall_s = 10.0
        self.chunk_delay_s = 0.0
        self.down_after: int | None = None
        self.served = 0
        self._down = threading.Event()
        self.ranges = ranges
        self.requests: list[tuple[str, str | None]] = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    def go_down(self) -> None:
        """Stop accepting and close the listening socket (from a handler thread): later connections are refused."""
        if self._down.is_set():
            return
        self._down.set()
        self.httpd.shutdown()  # waits for serve_forever, which runs in another thread than any handler
        self.httpd.server_close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
