"""A fake of Twilio's Messages API on 127.0.0.1 (http.server in a thread), and Twilio's status callbacks.

Creating a message, as https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
describes: POST /2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP basic auth with the account SID and
auth token, form fields To, From or MessagingServiceSid, Body and StatusCallback. Twilio answers 201
with the Message resource as JSON: its sid ("SM" and 32 hex digits) and status "queued", or "accepted"
when it is sent through a messaging service (its initial status, for which no callback is sent:
https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks). Errors are
JSON too: {"code": 20500, "message": ..., "more_info": ..., "status": 500}
(https://www.twilio.com/docs/usage/twilios-response).

Status callbacks, as https://www.twilio.com/docs/messaging/guides/track-outbound-message-status and
https://www.twilio.com/docs/usage/webhooks/messaging-webhooks list them: a form POST to the message's
StatusCallback URL, signed with X-Twilio-Signature, carrying MessageSid, SmsSid, MessageStatus,
SmsStatus, AccountSid, From, To and ApiVersion (MessagingServiceSid when one was used), ErrorCode when
the status is failed or undelivered, and RawDlrDoneDate (YYMMDDhhmm) on delivered and undelivered
(https://www.twilio.com/en-us/changelog/addition-of-rawdlrdonedate-to-delivered-and-undelivered-status-webhooks).
Twilio does not promise they arrive in order.

Deleting a message, as https://www.twilio.com/docs/messaging/api/message-resource#delete-a-message-resource
describes: DELETE /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json, basic auth; Twilio answers 204 with
no body, or 404 (error 20404) for a message it does not have. A message Twilio has not finished with cannot
be deleted yet: error 20009, "Cannot delete this resource before it is complete"
(https://www.twilio.com/docs/api/errors/20009). That page gives the code, not the HTTP status; 409 is our
guess, and the app treats every answer but 204 and 404 alike (kept for the next purge).
"""

from __future__ import annotations

import base64
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

from twilio.request_validator import RequestValidator

from tests.support.line import PUBLIC
from tests.support.servers import send_json, serving

ACCOUNT = "AC" + "2" * 32
LINE_NUMBER = "+441332000000"  # the line's own number, as TWILIO_PHONE_NUMBER
MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
ONE_MESSAGE = re.compile(rf"^/2010-04-01/Accounts/{ACCOUNT}/Messages/(?P<sid>(SM|MM)[0-9a-f]{{32}})\.json$")
ERRORS = {  # what Twilio says with each HTTP status the tests ask for
    400: (21211, "The 'To' number is not a valid phone number."),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
}


@dataclass
class Message:
    """A text the fake Twilio took, with the fields it was sent."""

    sid: str
    to: str
    sender: str  # From, or '' when sent through a messaging service
    messaging_service_sid: str
    body: str
    status_callback: str


@dataclass
class Messaging:
    """The fake account: the texts it took, how it answers the next requests, every request it got."""

    token: str
    messages: list[Message] = field(default_factory=list)
    requests: int = 0
    errors: list[int] = field(default_factory=list)  # HTTP statuses to answer the next requests with
    hold: threading.Event | None = None  # while not set, each request waits before it is answered
    slow: float = 0.0  # seconds to wait before answering (past the client's timeout, say)
    deletes: list[str] = field(default_factory=list)  # the SID of every DELETE that came, in order
    deleted: set[str] = field(default_factory=set)  # SIDs of texts (still in `messages`) Twilio no longer has
    still_sending: set[str] = field(default_factory=set)  # SIDs Twilio will not delete yet (error 20009)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> bool:
        """Block until at least `count` requests have arrived."""
        with self.arrived:
            return self.arrived.wait_for(lambda: self.requests >= count, timeout)

    def wait_for_messages(self, count: int, timeout: float = 10.0) -> bool:
        """Block until the fake has taken at least `count` texts."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)

    def report(self, client, message: Message, status: str, error_code: str = "", token: str = "") -> int:
        """Send Twilio's status callback for a message through the app's test client; its HTTP status."""
        form = {
            "MessageSid": message.sid, "SmsSid": message.sid, "MessageStatus": status, "SmsStatus": status,
            "AccountSid": ACCOUNT, "From": message.sender or LINE_NUMBER, "To": message.to,
            "ApiVersion": "2010-04-01",
        }
        if message.messaging_service_sid:
            form["MessagingServiceSid"] = message.messaging_service_sid
        if status in ("failed", "undelivered"):
            form["ErrorCode"] = error_code or "30003"
        if status in ("delivered", "undelivered"):
            form["RawDlrDoneDate"] = datetime.now(UTC).strftime("%y%m%d%H%M")
        signature = RequestValidator(token or self.token).compute_signature(message.status_callback, form)
        return client.post(message.status_callback, data=form, headers={"X-Twilio-Signature": signature}).status_code


class _Handler(BaseHTTPRequestHandler):
    def do_DELETE(self):  # noqa: N802 (http.server's name)
        account: Messaging = self.server.messaging
        found = ONE_MESSAGE.match(self.path)
        if found is None:
            return self._error(404, 20404, "The requested resource was not found")
        expected = "Basic " + base64.b64encode(f"{ACCOUNT}:{account.token}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self._error(401, 20003, "Authenticate")
        sid = found["sid"]
        with account.arrived:
            account.deletes.append(sid)
        if sid in account.still_sending:
            return self._error(409, 20009, "Cannot delete this resource before it is complete")
        if sid in account.deleted or sid not in {message.sid for message in account.messages}:
            return self._error(404, 20404, "The requested resource was not found")
        account.deleted.add(sid)
        self.send_response(204)
        self.end_headers()

    def do_POST(self):  # noqa: N802 (http.server's name)
        account: Messaging = self.server.messaging
        sent = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        form = {name: values[0] for name, values in parse_qs(sent).items()}
        with account.arrived:
            account.requests += 1
            account.arrived.notify_all()
        if account.hold is not None:
            account.hold.wait(timeout=10)
        if account.slow:
            threading.Event().wait(account.slow)
        expected = "Basic " + base64.b64encode(f"{ACCOUNT}:{account.token}".encode()).decode()
        if self.path != MESSAGES:
            return self._error(404, 20404, "The requested resource was not found")
        if self.headers.get("Authorization") != expected:
            return self._error(401, 20003, "Authenticate")
        if account.errors:
            status = account.errors.pop(0)
            return self._error(status, *ERRORS[status])
        if not form.get("Body"):
            return self._error(400, 21602, "Message body is required.")
        if not (form.get("From") or form.get("MessagingServiceSid")):
            return self._error(400, 21603, "A 'From' phone number is required.")
        message = Message("SM" + secrets.token_hex(16), form.get("To", ""), form.get("From", ""),
                          form.get("MessagingServiceSid", ""), form["Body"], form.get("StatusCallback", ""))
        with account.arrived:
            account.messages.append(message)
            account.arrived.notify_all()
        return self._send(201, self._resource(message))

    @staticmethod
    def _resource(message: Message) -> dict:
        now = format_datetime(datetime.now(UTC), usegmt=True)
        uri = f"/2010-04-01/Accounts/{ACCOUNT}/Messages/{message.sid}"
        return {
            "account_sid": ACCOUNT, "api_version": "2010-04-01", "body": message.body, "date_created": now,
            "date_sent": None, "date_updated": now, "direction": "outbound-api", "error_code": None,
            "error_message": None, "from": message.sender or None,
            "messaging_service_sid": message.messaging_service_sid or None, "num_media": "0",
            "num_segments": "0" if message.messaging_service_sid else "2", "price": None, "price_unit": "USD",
            "sid": message.sid, "status": "accepted" if message.messaging_service_sid else "queued",
            "subresource_uris": {"media": f"{uri}/Media.json"}, "to": message.to, "uri": f"{uri}.json",
        }

    def _error(self, status: int, code: int, message: str) -> None:
        self._send(status, {"code": code, "message": message, "status": status,
                            "more_info": f"https://www.twilio.com/docs/errors/{code}"})

    def _send(self, status: int, payload: dict) -> None:
        send_json(self, status, payload)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def fake_messaging(*apps) -> Iterator[Messaging]:
    """Run the fake, with each app pointed at it as a line that can send texts."""
    with serving(_Handler) as server:
        server.messaging = Messaging(token=apps[0].config["TWILIO_AUTH_TOKEN"])
        for app in apps:
            app.config.update(TWILIO_ACCOUNT_SID=ACCOUNT, TWILIO_PHONE_NUMBER=LINE_NUMBER, PUBLIC_BASE_URL=PUBLIC,
                              TWILIO_API_BASE_URL=f"http://127.0.0.1:{server.server_port}")
        try:
            yield server.messaging
        finally:
            if server.messaging.hold is not None:
                server.messaging.hold.set()  # a request held open is let go before the server stops


def closing_transport(client):
    """The pretend phone's transport, closing each response as a WSGI server does (PEP 3333), which
    runs what the app left to do once the caller's webhook has been answered."""

    def send(url: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        response = client.post(url, data=form, headers=headers)
        try:
            return response.status_code, response.get_data(as_text=True)
        finally:
            response.close()

    return send


def wait_for_texts(timeout: float = 20.0) -> None:
    """Wait for the app's background sends (threads named text-receipt) to finish."""
    for thread in threading.enumerate():
        if thread.name == "text-receipt":
            thread.join(timeout)
            assert not thread.is_alive(), "a text receipt was still being sent"
