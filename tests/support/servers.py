"""Real servers for tests: gunicorn on a free 127.0.0.1 port, started and stopped around a test; and what the fake
HTTP services (Twilio's Messages, NHS England's PDS and its token endpoint) share: a thread serving one, and a JSON
answer."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "the app server exited while starting"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listening on {port} after 30 s")


@contextmanager
def gunicorn(settings: dict[str, str], logs: Path, workers: int = 4) -> Iterator[str]:
    """Serve wsgi:app with gunicorn and these environment settings; yields its http://127.0.0.1:port."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--access-logfile", str(logs / "access.log"), "--error-logfile", str(logs / "error.log"), "wsgi:app"],
        cwd=ROOT, env={**os.environ, **settings}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def request(server: str, method: str, path: str, cookie: str = "", form: dict | None = None):
    """One request to a served app on its own connection, as a separate browser would send it: (status, body, the
    session cookie it set, or ""). Flask-Login may set a second cookie (clearing remember_token): not kept."""
    target = urlsplit(server)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    if form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, urlencode(form) if form is not None else None, headers)
        response = connection.getresponse()
        cookies = [c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("session=")]
        return response.status, response.read().decode(), cookies[0] if cookies else ""
    finally:
        connection.close()


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler], poll_interval: float = 0.5) -> Iterator[ThreadingHTTPServer]:
    """A fake HTTP service on a free 127.0.0.1 port, served from a thread for as long as the `with` lasts."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": poll_interval}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def send_json(handler: BaseHTTPRequestHandler, status: int, payload: dict, content_type: str = "application/json",
              headers: Mapping[str, str] | None = None) -> None:
    """A fake service's JSON answer; a client that gave up waiting (a test of a slow service) is let go."""
    body = json.dumps(payload).encode()
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    except OSError:
        pass
