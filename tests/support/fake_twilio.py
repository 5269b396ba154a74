"""A fake of Twilio's Recordings API on 127.0.0.1 (http.server in a thread): tests never call the real one."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCOUNT = "AC" + "1" * 32
PREFIX = f"/2010-04-01/Accounts/{ACCOUNT}/Recordings/"


@dataclass
class Recordings:
    """What the fake account holds, which SIDs fail to delete (HTTP 500), and every request it got."""

    held: set[str] = field(default_factory=set)
    failing: set[str] = field(default_factory=set)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    token: str = ""


class _Handler(BaseHTTPRequestHandler):
    def do_DELETE(self):  # noqa: N802 (http.server's name)
        account: Recordings = self.server.recordings
        account.requests.append(("DELETE", self.path))
        expected = "Basic " + base64.b64encode(f"{ACCOUNT}:{account.token}".encode()).decode()
        sid = self.path.removeprefix(PREFIX).removesuffix(".json")
        if self.headers.get("Authorization") != expected:
            return self._send(401)
        if sid in account.failing:
            return self._send(500)
        if not self.path.startswith(PREFIX) or sid not in account.held:
            return self._send(404)
        account.held.discard(sid)
        return self._send(204)

    def _send(self, code: int) -> None:
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@contextmanager
def fake_twilio(app) -> Iterator[Recordings]:
    """Run the fake with the app pointed at it (TWILIO_API_BASE_URL, TWILIO_ACCOUNT_SID)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.recordings = Recordings(token=app.config["TWILIO_AUTH_TOKEN"])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(TWILIO_ACCOUNT_SID=ACCOUNT, TWILIO_API_BASE_URL=f"http://127.0.0.1:{server.server_port}")
    try:
        yield server.recordings
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
