"""One fake of Twilio's REST API on 127.0.0.1 (http.server in a thread): tests never call the real one.

It answers as the API does (https://www.twilio.com/docs/usage/api): JSON bodies, basic auth with the
account SID and auth token, 401 / 404 / 5xx with Twilio's error JSON, 204 on a delete. Recordings
(https://www.twilio.com/docs/voice/api/recording) are described as JSON; their sound is served, as
Twilio does, by a redirect to another host (here a second port), which must never see our credentials.

Calls (https://www.twilio.com/docs/voice/api/call-resource) are created for Call now and for an interpreter's
conference, and updated (redirected, or ended); texts have their
own fake in fake_messages.py. To add an endpoint: add a route to `Handler.routes` and a method that answers it,
and hold its state on `Account`.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from tests.support.twilio_docs import (
    CREATE_CALL_INSTRUCTIONS,
    CREATE_CALL_OPTIONAL,
    UPDATE_CALL_PARAMETERS,
    UPDATE_CALL_STATUSES,
)

ACCOUNT = "AC" + "1" * 32
API = f"/2010-04-01/Accounts/{ACCOUNT}"
PREFIX = f"{API}/Recordings/"
SOUND = b"ID3\x03\x00fake-mp3-frames"


@dataclass(frozen=True)
class PlacedCall:
    """A call the app asked the fake Twilio to make: the SID it was given, and the parameters sent."""

    sid: str
    form: dict[str, str]


@dataclass
class Account:
    """What the fake account holds, how it misbehaves, and every request it got."""

    token: str = ""
    held: set[str] = field(default_factory=set)  # recording (and transcription) SIDs Twilio has
    failing: set[str] = field(default_factory=set)  # recording (and transcription) SIDs whose delete answers 500
    down: bool = False  # every API request answers 503
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path) to the API
    media_requests: list[dict[str, str]] = field(default_factory=list)  # headers the media host saw
    base_url: str = ""  # the API's address
    media_url: str = ""  # the other host the sound is sent from
    # Calls: every call created (its SID and the form sent), and the To numbers Twilio refuses (-> error code).
    calls: list[PlacedCall] = field(default_factory=list)
    refuse_calls_to: dict[str, int] = field(default_factory=dict)
    # Calls updated: (the call's SID, the form sent), in order; SIDs Twilio answers 400 for (the call is over).
    updates: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    over: set[str] = field(default_factory=set)

    def recording(self, sid: str) -> dict:
        """A recording resource as Twilio's API describes it."""
        uri = f"{PREFIX}{sid}.json"
        created = formatdate(usegmt=False).replace("-0000", "+0000")
        return {
            "account_sid": ACCOUNT, "api_version": "2010-04-01", "call_sid": "CA" + "2" * 32,
            "conference_sid": None, "date_created": created, "date_updated": created, "start_time": created,
            "duration": "25", "sid": sid, "price": None, "price_unit": "USD", "status": "completed",
            "channels": 1, "source": "RecordVerb", "error_code": None, "uri": uri, "encryption_details": None,
            "subresource_uris": {"transcriptions": f"{PREFIX}{sid}/Transcriptions.json"},
            "media_url": f"{self.base_url}{PREFIX}{sid}",
        }


Recordings = Account  # the name the first tests used


class Handler(BaseHTTPRequestHandler):
    """Twilio's API by route: (method, path pattern, name of the method that answers)."""

    routes = [
        ("GET", re.compile(rf"^{PREFIX}(?P<sid>\w+)\.json$"), "recording"),
        ("DELETE", re.compile(rf"^{PREFIX}(?P<sid>\w+)\.json$"), "delete_recording"),
        ("GET", re.compile(rf"^{PREFIX}(?P<sid>\w+)\.(?P<ext>mp3|wav)$"), "recording_media"),
        ("GET", re.compile(r"^/media/(?P<sid>\w+)\.(?P<ext>mp3|wav)$"), "media_file"),
        ("POST", re.compile(rf"^{API}/Calls\.json$"), "create_call"),
        ("POST", re.compile(rf"^{API}/Calls/(?P<sid>CA[0-9a-f]{{32}})\.json$"), "update_call"),
        ("DELETE", re.compile(rf"^{API}/Transcriptions/(?P<sid>\w+)\.json$"), "delete_recording"),  # TR SIDs in held
    ]
    public = {"media_file"}  # served to anyone with the link, like Twilio's media host

    def do_GET(self):  # noqa: N802 (http.server's name)
        self._dispatch("GET")

    def do_POST(self):  # noqa: N802
        self._dispatch("POST")

    def do_DELETE(self):  # noqa: N802
        self._dispatch("DELETE")

    @property
    def account(self) -> Account:
        return self.server.account

    def _dispatch(self, method: str) -> None:
        path = self.path.split("?", 1)[0]
        route = next(((name, found) for verb, pattern, name in self.routes
                      if verb == method and (found := pattern.match(path))), None)
        if route is None:
            return self._error(404, 20404, f"The requested resource {path} was not found")
        name, found = route
        if name in self.public:
            return getattr(self, name)(**found.groupdict())
        self.account.requests.append((method, self.path))
        if self.account.down:
            return self._error(503, 20503, "Service unavailable")
        expected = "Basic " + base64.b64encode(f"{ACCOUNT}:{self.account.token}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self._error(401, 20003, "Authenticate")
        return getattr(self, name)(**found.groupdict())

    def recording(self, sid: str) -> None:
        if sid not in self.account.held:
            return self._error(404, 20404, f"The requested resource {self.path} was not found")
        return self._json(200, self.account.recording(sid))

    def delete_recording(self, sid: str) -> None:
        if sid in self.account.failing:
            return self._error(500, 20500, "An internal server error has occurred")
        if sid not in self.account.held:
            return self._error(404, 20404, f"The requested resource {self.path} was not found")
        self.account.held.discard(sid)
        return self._send(204, "application/json", b"")

    def recording_media(self, sid: str, ext: str) -> None:
        if sid not in self.account.held:
            return self._error(404, 20404, f"The requested resource {self.path} was not found")
        self.send_response(302)
        self.send_header("Location", f"{self.account.media_url}/media/{sid}.{ext}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def media_file(self, sid: str, ext: str) -> None:
        self.account.media_requests.append(dict(self.headers))
        return self._send(200, "audio/mpeg" if ext == "mp3" else "audio/x-wav", SOUND)

    def create_call(self) -> None:
        """201 and the call resource, queued; or 400 with Twilio's error JSON.

        https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource: To, From and exactly one of Url,
        Twiml or ApplicationSid; anything else sent must be a parameter that page documents (a test that sent one
        Twilio does not know would pass here and do nothing at Twilio); SendDigits as error 21206 allows.
        """
        form = self._form()
        instructions = [name for name in CREATE_CALL_INSTRUCTIONS if form.get(name)]
        missing = [name for name in ("To", "From") if not form.get(name)] + ([] if instructions else ["Url"])
        unknown = set(form) - {"To", "From", *CREATE_CALL_INSTRUCTIONS, *CREATE_CALL_OPTIONAL}
        refused = self.account.refuse_calls_to.get(form.get("To", ""))
        if len(instructions) > 1 or unknown:
            return self._error(400, 21205, f"Refused by the fake Twilio: {sorted(unknown) or instructions}")
        if "SendDigits" in form and not re.fullmatch(r"[0-9ABCD*#wW]+", form["SendDigits"]):
            return self._error(400, 21206, "Invalid SendDigits")
        if missing or refused:
            return self._error(400, refused or 21205, f"Refused by the fake Twilio ({', '.join(missing) or 'To'})")
        sid = "CA" + secrets.token_hex(16)
        self.account.calls.append(PlacedCall(sid, form))
        created = formatdate(usegmt=False).replace("-0000", "+0000")
        return self._json(201, {
            "sid": sid, "account_sid": ACCOUNT, "to": form["To"], "to_formatted": form["To"], "from": form["From"],
            "from_formatted": form["From"], "status": "queued", "direction": "outbound-api",
            "api_version": "2010-04-01", "date_created": created, "date_updated": created, "start_time": None,
            "end_time": None, "duration": None, "price": None, "parent_call_sid": None,
            "uri": f"{API}/Calls/{sid}.json",
        })

    def update_call(self, sid: str) -> None:
        """200 and the call: any CA SID is live (the caller's own call is the pretend phone's, never placed here)
        unless it is in `over`, which Twilio refuses with 400 and error 21220 (not in progress).

        https://www.twilio.com/docs/voice/api/call-resource#update-a-call-resource: Url (and Method), Twiml, or
        Status canceled or completed.
        """
        form = self._form()
        unknown = set(form) - UPDATE_CALL_PARAMETERS
        if unknown or not form or ("Status" in form and form["Status"] not in UPDATE_CALL_STATUSES):
            return self._error(400, 21205, f"Refused by the fake Twilio: {sorted(unknown) or form}")
        if sid in self.account.over:
            return self._error(400, 21220, "Call is not in-progress. Cannot redirect.")
        self.account.updates.append((sid, form))
        return self._json(200, {"sid": sid, "account_sid": ACCOUNT, "status": form.get("Status", "in-progress"),
                                "api_version": "2010-04-01", "uri": f"{API}/Calls/{sid}.json"})

    def _form(self) -> dict[str, str]:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        return {name: values[0] for name, values in parse_qs(body, keep_blank_values=True).items()}

    def _error(self, status: int, code: int, message: str) -> None:
        """Twilio's error body (https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions)."""
        self._json(status, {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
                            "status": status})

    def _json(self, status: int, body: dict) -> None:
        self._send(status, "application/json; charset=utf-8", json.dumps(body).encode())

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def _serve(account: Account) -> tuple[ThreadingHTTPServer, threading.Thread]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.account = account
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server, thread


@contextmanager
def fake_twilio(app) -> Iterator[Account]:
    """Run the fake (an API host and a media host) with the app pointed at it (TWILIO_API_BASE_URL,
    TWILIO_ACCOUNT_SID); yields the fake account."""
    account = Account(token=app.config["TWILIO_AUTH_TOKEN"])
    running = [_serve(account), _serve(account)]
    (api, _), (media, _) = running
    account.base_url = f"http://127.0.0.1:{api.server_port}"
    account.media_url = f"http://127.0.0.1:{media.server_port}"
    app.config.update(TWILIO_ACCOUNT_SID=ACCOUNT, TWILIO_API_BASE_URL=account.base_url)
    try:
        yield account
    finally:
        for server, thread in running:
            server.shutdown()
            server.server_close()
            thread.join()
