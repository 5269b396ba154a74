"""A pretend phone: calls the line as Twilio would, signing every request, and follows its TwiML.

Used by the tests, the terminal simulator (`flask call`) and the load benchmark.
"""

from __future__ import annotations

import http.client
import itertools
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

from twilio.request_validator import RequestValidator

# (absolute url, form params, headers) -> (HTTP status, body)
Transport = Callable[[str, dict[str, str], dict[str, str]], tuple[int, str]]


class LineError(AssertionError):
    """The line answered something Twilio could not play: not 200, or not TwiML."""


@dataclass
class Phone:
    """One caller on one call. Read `heard` for what the line said since the caller last acted."""

    transport: Transport
    auth_token: str
    base_url: str = "https://ivr.example.nhs.uk"
    caller_number: str = "+447400123456"
    call_sid: str = field(default_factory=lambda: "CA" + secrets.token_hex(16))
    heard: list[str] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)
    responses: list[ET.Element] = field(default_factory=list)
    ended: bool = False
    waiting_for: ET.Element | None = None  # the <Gather>, <Record> or <Dial> the line is waiting on
    _rest: list[ET.Element] = field(default_factory=list)
    _url: str = ""

    def dial(self) -> Phone:
        """Ring the line's Voice URL."""
        return self._request("/voice/incoming", {})

    def press(self, digits: str) -> Phone:
        """Key digits into the question being asked."""
        return self._answer({"Digits": digits})

    def say(self, words: str, confidence: float = 0.9) -> Phone:
        """Say something to the question being asked."""
        return self._answer({"SpeechResult": words, "Confidence": str(confidence)})

    def record(self, seconds: int = 20, sid: str | None = None) -> Phone:
        """Leave a recording where the line asks for one."""
        sid = sid or "RE" + secrets.token_hex(16)
        url = f"https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/{sid}"
        return self._answer({"RecordingUrl": url, "RecordingSid": sid, "RecordingDuration": str(seconds)})

    def dial_ends(self, status: str = "completed", duration: int = 45) -> Phone:
        """The number the line put the caller through to stops: answered then hung up ('completed'), or
        'busy', 'no-answer', 'failed', 'canceled'. Twilio then requests the <Dial>'s action URL with
        DialCallStatus, DialCallSid, and DialCallDuration when it was answered
        (https://www.twilio.com/docs/voice/twiml/dial#action)."""
        if self.waiting_for is None or self.waiting_for.tag != "Dial":
            raise LineError("the line is not putting the caller through to anyone")
        params = {"DialCallStatus": status, "DialCallSid": "CA" + secrets.token_hex(16)}
        if status == "completed":
            params["DialCallDuration"] = str(duration)
        return self._answer(params)

    @property
    def dialled(self) -> str | None:
        """The number the line is putting the caller through to, if it is."""
        verb = self.waiting_for
        if verb is None or verb.tag != "Dial":
            return None
        number = verb.find("Number")
        return ((number.text if number is not None else verb.text) or "").strip()

    def silence(self) -> Phone:
        """Give no answer: Twilio falls through to the verbs after the <Gather> or <Record>."""
        self._expect_waiting()
        if self.waiting_for.tag == "Dial":
            raise LineError("a <Dial> does not time out like a question: use dial_ends()")
        self.heard, self.waiting_for = [], None
        return self._run(self._rest)

    def hang_up(self, status: str = "completed", duration: int = 60) -> int:
        """End the call and send Twilio's status callback; returns its HTTP status."""
        self.ended = True
        code, _ = self._post("/voice/status", {"CallStatus": status, "CallDuration": str(duration)})
        return code

    @property
    def said(self) -> str:
        """What the line said since the caller last acted, as one string."""
        return " ".join(self.heard)

    def _answer(self, params: dict[str, str]) -> Phone:
        self._expect_waiting()
        if (self.waiting_for.tag == "Dial") != ("DialCallStatus" in params):
            raise LineError(f"the line is waiting on a <{self.waiting_for.tag}>: that is not how it ends")
        action = self.waiting_for.get("action") or self._url
        return self._request(action, params)

    def _expect_waiting(self) -> None:
        if self.ended or self.waiting_for is None:
            raise LineError(f"the line is not waiting for an answer (ended={self.ended})")

    def _request(self, url: str, params: dict[str, str]) -> Phone:
        self.heard, self.waiting_for = [], None
        code, body = self._post(url, params)
        if code != 200:
            raise LineError(f"{url} answered HTTP {code}: {body[:200]}")
        try:
            root = ET.fromstring(body)
        except ET.ParseError as error:
            raise LineError(f"{url} answered something that is not TwiML: {error}") from None
        if root.tag != "Response":
            raise LineError(f"{url} answered <{root.tag}>, not <Response>")
        self.responses.append(root)
        return self._run(list(root))

    def _run(self, verbs: list[ET.Element]) -> Phone:
        for index, verb in enumerate(verbs):
            if verb.tag == "Say":
                self._hear(verb)
            elif verb.tag in {"Gather", "Record", "Dial"}:
                for say in verb.iter("Say"):
                    self._hear(say)
                self.waiting_for, self._rest = verb, verbs[index + 1:]
                return self
            elif verb.tag == "Redirect":
                return self._request(verb.text or self._url, {})
            elif verb.tag == "Hangup":
                break
        self.ended = True
        return self

    def _hear(self, say: ET.Element) -> None:
        text = (say.text or "").strip()
        self.heard.append(text)
        self.transcript.append(text)

    def _post(self, url: str, params: dict[str, str]) -> tuple[int, str]:
        absolute = urljoin(self._url or self.base_url + "/", url)
        self._url = absolute
        form = {
            "CallSid": self.call_sid,
            "AccountSid": "AC" + "0" * 32,
            "From": self.caller_number,
            "To": "+441332000000",
            "CallStatus": "in-progress",
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
            **params,
        }
        signature = RequestValidator(self.auth_token).compute_signature(absolute, form)
        return self.transport(absolute, form, {"X-Twilio-Signature": signature})


def flask_transport(client) -> Transport:
    """Send the phone's requests through a Flask test client."""

    def send(url: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        response = client.post(url, data=form, headers=headers)
        return response.status_code, response.get_data(as_text=True)

    return send


def http_transport(*servers: str, timeout: float = 20.0) -> Transport:
    """Send the phone's requests to real servers ("http://127.0.0.1:8001", ...), taking turns.

    The phone still signs its public URL (its base_url), so start each server with PUBLIC_BASE_URL
    set to that; only the path and query travel to the server actually asked.
    """
    turns = itertools.cycle([urlsplit(server) for server in servers])

    def send(url: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        server, target = next(turns), urlsplit(url)
        path = target.path + (f"?{target.query}" if target.query else "")
        headers = {**headers, "Content-Type": "application/x-www-form-urlencoded", "Connection": "close"}
        connection = http.client.HTTPConnection(server.hostname, server.port, timeout=timeout)
        try:
            connection.request("POST", path, urlencode(form), headers)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    return send
