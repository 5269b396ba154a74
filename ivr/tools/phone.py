"""A pretend phone: calls the line as Twilio would, signing every request, and follows its TwiML.

Used by the tests, the terminal simulator (`flask call`) and the load benchmark.
"""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from email.utils import formatdate
from urllib.parse import urljoin

from twilio.request_validator import RequestValidator
from twilio.rest import Client

from ivr.tools.transports import Transport, flask_transport, http_transport

__all__ = ["LineError", "Phone", "Transport", "flask_transport", "http_transport"]
API_VERSION = "2010-04-01"  # the ApiVersion Twilio sends with every voice webhook


class LineError(AssertionError):
    """The line answered something Twilio could not play: not 200, or not TwiML."""


# Twilio's documentation, followed here:
#   every request: https://www.twilio.com/docs/voice/twiml#request-parameters
#   <Gather>: https://www.twilio.com/docs/voice/twiml/gather   <Record>: https://www.twilio.com/docs/voice/twiml/record
#   <Dial>: https://www.twilio.com/docs/voice/twiml/dial#action
#   status callback: https://www.twilio.com/docs/voice/api/call-resource#statuscallback
#   transcribeCallback: https://www.twilio.com/docs/voice/twiml/record#transcribecallback
KEYS = set("0123456789*#")
CALL_ENDINGS = {"completed", "busy", "no-answer", "failed", "canceled"}  # a status callback's CallStatus
DIAL_ENDINGS = {"completed", "answered", "busy", "no-answer", "failed", "canceled"}  # DialCallStatus


@dataclass
class Phone:
    """One caller on one call. Read `heard` for what the line said since the caller last acted."""

    transport: Transport
    auth_token: str
    base_url: str = "https://ivr.example.nhs.uk"
    caller_number: str = "+447400123456"
    call_sid: str = field(default_factory=lambda: "CA" + secrets.token_hex(16))
    account_sid: str = "AC" + "0" * 32
    line_number: str = "+441332000000"  # the number the caller rang
    heard: list[str] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)
    responses: list[ET.Element] = field(default_factory=list)
    ended: bool = False
    waiting_for: ET.Element | None = None  # the <Gather>, <Record> or <Dial> the line is waiting on
    _rest: list[ET.Element] = field(default_factory=list)
    _url: str = ""
    _callbacks: int = 0
    _to_transcribe: tuple[str, str] | None = None  # the transcribeCallback and RecordingSid of the last message

    def dial(self) -> Phone:
        """Ring the line's Voice URL (the first request's CallStatus is 'ringing')."""
        return self._request("/voice/incoming", {"CallStatus": "ringing"})

    def press(self, keys: str) -> Phone:
        """Key into the question being asked. As Twilio does, only the first numDigits keys are sent,
        and finishOnKey ends the input without being sent: with numDigits=1 a second key is lost."""
        gather = self._expect("Gather")
        if set(keys) - KEYS:
            raise LineError(f"a phone has no key for {sorted(set(keys) - KEYS)}")
        if "dtmf" not in gather.get("input", "dtmf").split():
            return self.silence()  # not listening for keys: the <Gather> times out
        finish, limit = gather.get("finishOnKey", "#"), int(gather.get("numDigits") or 0)
        sent = ""
        for key in keys:
            if key in finish:
                if sent:  # finishOnKey only ends input that came before it
                    break
                continue
            sent += key
            if len(sent) == limit:
                break
        return self._answer({"Digits": sent}) if sent else self.silence()

    def say(self, words: str, confidence: float = 0.9) -> Phone:
        """Say something to the question being asked: SpeechResult with the recogniser's Confidence."""
        gather = self._expect("Gather")
        if "speech" not in gather.get("input", "dtmf").split() or not words.strip():
            return self.silence()
        return self._answer({"SpeechResult": words, "Confidence": f"{confidence:.8f}"})

    def record(self, seconds: int = 20, sid: str | None = None, ended_by: str = "#") -> Phone:
        """Leave a recording: ended by a key ('#', as the line asks), 'hangup', or 'timeout' (silence after
        speaking); one as long as maxLength ends at the time limit. The action gets RecordingUrl,
        RecordingSid, RecordingDuration and Digits: the key, 'hangup', or empty. A recording with no
        audio (seconds=0) is not sent at all: the caller falls through to the next verb."""
        record = self._expect("Record")
        if seconds <= 0:
            return self.silence()
        longest = int(record.get("maxLength") or 3600)
        if seconds >= longest:
            seconds, digits = longest, ""
        elif ended_by == "hangup":
            digits = "hangup"
        elif ended_by == "timeout":
            digits = ""
        elif ended_by in record.get("finishOnKey", "1234567890*#"):
            digits = ended_by
        else:
            raise LineError(f"{ended_by!r} does not end this recording (finishOnKey)")
        sid = sid or "RE" + secrets.token_hex(16)
        if record.get("transcribe") == "true" and record.get("transcribeCallback"):
            self._to_transcribe = (record.get("transcribeCallback"), sid)
        params = {"RecordingUrl": _recording_url(self.account_sid, sid), "RecordingSid": sid,
                  "RecordingDuration": str(seconds), "Digits": digits}
        if digits != "hangup":
            return self._answer(params)
        # The caller has gone: Twilio still requests the action URL (the call now completed), ignores
        # what it answers, and then sends the status callback.
        code, body = self._post(record.get("action") or self._url, {**params, "CallStatus": "completed"})
        if code != 200:
            raise LineError(f"the recording's action URL answered HTTP {code}: {body[:200]}")
        self.waiting_for = None
        self.hang_up()
        return self

    def dial_ends(self, status: str = "completed", duration: int = 45) -> Phone:
        """The number the line put the caller through to stops: answered then hung up ('completed'), or
        'busy', 'no-answer', 'failed', 'canceled'. Twilio then requests the <Dial>'s action URL with
        DialCallStatus, DialCallSid, DialBridged (whether the two calls were joined), and DialCallDuration
        when it was answered (https://www.twilio.com/docs/voice/twiml/dial#action)."""
        self._expect("Dial")
        if status not in DIAL_ENDINGS:
            raise LineError(f"Twilio has no DialCallStatus {status!r}")
        answered = status in {"completed", "answered"}
        params = {"DialCallStatus": status, "DialCallSid": "CA" + secrets.token_hex(16),
                  "DialBridged": "true" if answered else "false"}
        if answered:
            params["DialCallDuration"] = str(duration)
        return self._answer(params)

    def moved_to(self, url: str) -> Phone:
        """The line moved this live call with the REST API (Update a Call's Url, Method POST): Twilio drops what the
        call was doing and requests `url` with the call's standard parameters
        (https://www.twilio.com/docs/voice/api/call-resource#update-a-call-resource)."""
        if self.ended:
            raise LineError("a call that has ended cannot be moved")
        return self._request(url, {})

    def transcription_ready(self, text: str = "", status: str = "completed", deliveries: int = 1) -> int:
        """Twilio's transcript of the last recording made with transcribe="true" reaches its transcribeCallback
        (`deliveries` times), usually after the call; returns the last HTTP status. The parameters are those the
        transcribeCallback section of the <Record> page lists, with the standard ones."""
        if self._to_transcribe is None or status not in {"completed", "failed"}:
            raise LineError(f"no recording to transcribe, or no TranscriptionStatus {status!r}")
        (callback, recording), sid = self._to_transcribe, "TR" + secrets.token_hex(16)
        params = {"TranscriptionSid": sid, "TranscriptionText": text if status == "completed" else "",
                  "TranscriptionStatus": status, "TranscriptionUrl": _api_url(self.account_sid, "Transcriptions", sid),
                  "RecordingSid": recording, "RecordingUrl": _recording_url(self.account_sid, recording),
                  "CallStatus": "completed" if self.ended else "in-progress"}
        return [self._post(callback, params)[0] for _ in range(deliveries)][-1]

    @property
    def dialled(self) -> str | None:
        """The number the line is putting the caller through to, if it is."""
        verb = self.waiting_for
        if verb is None or verb.tag != "Dial":
            return None
        number = verb.find("Number")
        return ((number.text if number is not None else verb.text) or "").strip()

    def silence(self) -> Phone:
        """Give no answer. Twilio requests a <Gather>'s action URL only when actionOnEmptyResult is true;
        otherwise, as after a <Record> with no audio, the caller falls through to the next verb."""
        self._expect_waiting()
        verb = self.waiting_for
        if verb.tag == "Dial":
            raise LineError("a <Dial> does not time out like a question: use dial_ends()")
        if verb.tag == "Gather" and verb.get("actionOnEmptyResult") == "true":
            return self._request(verb.get("action") or self._url, {})
        self.heard, self.waiting_for = [], None
        return self._run(self._rest)

    def hang_up(self, status: str = "completed", duration: int = 60, deliveries: int = 1) -> int:
        """End the call and send Twilio's status callback (`deliveries` times: Twilio may send one twice);
        returns the last HTTP status. CallDuration comes with a completed call."""
        if status not in CALL_ENDINGS:
            raise LineError(f"Twilio's status callback has no CallStatus {status!r}")
        self.ended, self.waiting_for = True, None
        params = {"CallStatus": status, "CallbackSource": "call-progress-events",
                  "SequenceNumber": str(self._callbacks),
                  "Timestamp": formatdate().replace("-0000", "+0000")}
        if status == "completed":
            params["CallDuration"] = str(duration)
        self._callbacks += 1
        codes = [self._post("/voice/status", params)[0] for _ in range(deliveries)]
        return codes[-1]

    @property
    def said(self) -> str:
        """What the line said since the caller last acted, as one string."""
        return " ".join(self.heard)

    def _answer(self, params: dict[str, str]) -> Phone:
        return self._request(self.waiting_for.get("action") or self._url, params)

    def _expect(self, tag: str) -> ET.Element:
        self._expect_waiting()
        if self.waiting_for.tag != tag:
            raise LineError(f"the line is waiting on a <{self.waiting_for.tag}>, not a <{tag}>")
        return self.waiting_for

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
            "CallSid": self.call_sid, "AccountSid": self.account_sid,
            "From": self.caller_number, "To": self.line_number,
            "Caller": self.caller_number, "Called": self.line_number,  # older names Twilio still sends
            "CallStatus": "in-progress", "Direction": "inbound", "ApiVersion": API_VERSION,
            **params,
        }
        signature = RequestValidator(self.auth_token).compute_signature(absolute, form)
        return self.transport(absolute, form, {"X-Twilio-Signature": signature})


def _recording_url(account_sid: str, recording_sid: str) -> str:
    """The RecordingUrl Twilio sends: the recording's address in its REST API, from twilio's own client."""
    return _api_url(account_sid, "Recordings", recording_sid)


def _api_url(account_sid: str, kind: str, sid: str) -> str:
    return Client(account_sid, "not-used").api.v2010.absolute_url(f"Accounts/{account_sid}/{kind}/{sid}")
