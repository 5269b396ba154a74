"""A fake of Twilio's REST API on 127.0.0.1 (http.server in a thread): tests never call the real one.

Recordings (delete) and Calls (create) so far; each route answers as Twilio's documentation says.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ACCOUNT = "AC" + "1" * 32
PREFIX = f"/2010-04-01/Accounts/{ACCOUNT}/Recordings/"


@dataclass(frozen=True)
class PlacedCall:
    """A call the app asked the fake Twilio to make: the SID it was given, and the parameters sent."""

    sid: str
    form: dict[str, str]


@dataclass
class Recordings:
    """What the fake account holds, which SIDs fail to delete (HTTP 500), and every request it got."""

    held: set[str] = field(default_factory=set)
    failing: set[str] = field(default_factory=set)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    token: str = ""
    # Calls: every call created (its SID and the form sent), and the To numbers Twilio refuses (-> error code).
    calls: list[PlacedCall] = field(default_factory=list)
    refuse_calls_to: dict[str, int] = field(default_factory=dict)


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

    def do_POST(self):  # noqa: N802 (http.server's name)
        account: Recordings = self.server.recordings
        account.requests.append(("POST", self.path))
        expected = "Basic " + base64.b64encode(f"{ACCOUNT}:{account.token}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self._send(401)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        form = {name: values[0] for name, values in parse_qs(body, keep_blank_values=True).items()}
        route = POST_ROUTES.get(self.path)
        if route is None:
            return self._send(404)
        return route(self, account, form)

    def _send(self, code: int) -> None:
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send_json(self, code: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def _create_call(handler: _Handler, account: Recordings, form: dict[str, str]) -> None:
    """POST .../Calls.json: 201 and the call resource, queued; or 400 with Twilio's error JSON.

    https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource (To, From, Url required);
    errors as https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions.
    """
    missing = [name for name in ("To", "From", "Url") if not form.get(name)]
    refused = account.refuse_calls_to.get(form.get("To", ""))
    if missing or refused:
        code = refused or 21205
        return handler._send_json(400, {
            "code": code, "message": f"Refused by the fake Twilio ({', '.join(missing) or 'To'})",
            "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": 400})
    sid = "CA" + secrets.token_hex(16)
    account.calls.append(PlacedCall(sid, form))
    return handler._send_json(201, {
        "sid": sid, "account_sid": ACCOUNT, "to": form["To"], "to_formatted": form["To"], "from": form["From"],
        "from_formatted": form["From"], "status": "queued", "direction": "outbound-api", "api_version": "2010-04-01",
        "date_created": "Thu, 26 Nov 2026 12:00:00 +0000", "date_updated": "Thu, 26 Nov 2026 12:00:00 +0000",
        "start_time": None, "end_time": None, "duration": None, "price": None, "parent_call_sid": None,
        "uri": f"/2010-04-01/Accounts/{ACCOUNT}/Calls/{sid}.json",
    })


# POST routes by path; each takes (handler, account, form) and answers.
POST_ROUTES = {f"/2010-04-01/Accounts/{ACCOUNT}/Calls.json": _create_call}


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
