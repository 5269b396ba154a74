"""The one way into Twilio's REST API: `client()` (twilio's own `Client`), and recordings for staff to play.

The browser only ever sees our own URL: Twilio's URL and credentials stay on the server. The
retention purge deletes recordings and texts at Twilio through the same API. Tests point `TWILIO_API_BASE_URL` at a
fake on 127.0.0.1.
"""

from __future__ import annotations

import base64
import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import current_app

if TYPE_CHECKING:  # twilio.rest and requests are imported when a client is made: a voice worker never needs them
    from twilio.rest import Client
    from twilio.rest.api.v2010.account.recording import RecordingContext, RecordingInstance

RECORDING_SID = re.compile(r"^RE[0-9a-fA-F]{32}$")
ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
MESSAGE_SID = re.compile(r"^(SM|MM)[0-9a-fA-F]{32}$")
TRANSCRIPTION_SID = re.compile(r"^TR[0-9a-fA-F]{32}$")
# twilio logs every request at INFO, including the URL (which names numbers and SIDs): warnings only.
QUIET = logging.getLogger("twilio.http_client")
QUIET.setLevel(logging.WARNING)
MAX_BYTES = 20 * 1024 * 1024  # a two-minute message is well under 2 MB
UNREACHABLE = "Twilio could not be reached just now, so the recording cannot be played. Try again later."


class TwilioNotConfigured(Exception):
    """The app has not been given the Twilio account details it needs for this."""


class NoPublicAddress(Exception):
    """PUBLIC_BASE_URL is not set, so there is no address of ours to give Twilio."""


def public_url(endpoint: str, **values) -> str:
    """The absolute URL Twilio is given for one of our webhooks: always under PUBLIC_BASE_URL, which Twilio also
    signs, never built from a request's Host or X-Forwarded-Host, which whoever sends the request chooses."""
    base = current_app.config.get("PUBLIC_BASE_URL", "")
    if not base:
        raise NoPublicAddress("set PUBLIC_BASE_URL to the https:// address Twilio reaches the line at")
    # Built without the request's script root, as the signature check reads only the path after the base.
    return base + current_app.url_map.bind("").build(endpoint, values)


def client(timeout: float | None = None) -> Client:
    """twilio's REST client for the configured account, pointed at TWILIO_API_BASE_URL, every call timed out (after
    RECORDING_TIMEOUT_SECONDS, or `timeout`)."""
    config = current_app.config
    account, token = config.get("TWILIO_ACCOUNT_SID", ""), config.get("TWILIO_AUTH_TOKEN", "")
    if not (account and token):
        raise TwilioNotConfigured("set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to the account's details")
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    http = TwilioHttpClient(timeout=timeout or config["RECORDING_TIMEOUT_SECONDS"], logger=QUIET)
    rest = Client(account, token, http_client=http)
    if config.get("TWILIO_API_BASE_URL"):  # unset: twilio's own address for its API
        rest.api.base_url = config["TWILIO_API_BASE_URL"].rstrip("/")
    return rest


class RecordingUnavailable(Exception):
    """The recording cannot be played; the message says why, in words staff can act on."""

    def __init__(self, message: str, reason: str = "unavailable"):
        super().__init__(message)
        self.reason = reason  # a short code for the audit log


@dataclass(frozen=True)
class Audio:
    """A recording's sound, ready to send to the browser."""

    content: bytes
    content_type: str


def _recording(recording_sid: str) -> tuple[Client, RecordingContext]:
    """The client and the recording's resource at Twilio, or RecordingUnavailable saying what is missing."""
    try:
        rest = client()
    except TwilioNotConfigured:
        raise RecordingUnavailable(
            "Recordings cannot be played: the app has not been given the Twilio account details "
            "(TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN).", "twilio_not_configured") from None
    if not ACCOUNT_SID.match(rest.account_sid) or not RECORDING_SID.match(recording_sid or ""):
        raise RecordingUnavailable("This recording's details are not valid, so it cannot be fetched.", "bad_sid")
    return rest, rest.api.v2010.account.recordings(recording_sid)


def _explained(status: int) -> RecordingUnavailable:
    """Twilio's HTTP error as words staff can act on."""
    if status == 404:
        return RecordingUnavailable("Twilio no longer has this recording; it may have been deleted.", "http_404")
    if status in (401, 403):
        return RecordingUnavailable("Twilio refused the app's credentials, so the recording cannot be fetched. "
                                    "Tell the system administrator.", f"http_{status}")
    return RecordingUnavailable(f"Twilio answered with an error (HTTP {status}). Try again later.", f"http_{status}")


def _describe(recording_sid: str) -> tuple[Client, RecordingInstance]:
    """Twilio's description of the recording (through twilio's Client), or RecordingUnavailable saying why not."""
    from requests.exceptions import RequestException
    from twilio.base.exceptions import TwilioException, TwilioRestException

    rest, recording = _recording(recording_sid)
    try:
        return rest, recording.fetch()
    except TwilioRestException as error:
        raise _explained(error.status) from None
    except (RequestException, TwilioException, OSError):
        raise RecordingUnavailable(UNREACHABLE, "twilio_unreachable") from None


def check(recording_sid: str) -> None:
    """Make sure Twilio still has the recording (its description); raise RecordingUnavailable if not."""
    _describe(recording_sid)


def fetch(recording_sid: str) -> Audio:
    """The recording as MP3, from Twilio: its address from the description, the sound by a plain GET."""
    rest, recording = _describe(recording_sid)
    media = recording.media_url or (rest.api.base_url + (recording.uri or "").removesuffix(".json"))
    if urlsplit(media)[:2] != urlsplit(rest.api.base_url)[:2]:  # our credentials go to Twilio's API only
        raise RecordingUnavailable("Twilio gave an unexpected address for this recording, so it was not fetched.",
                                   "unexpected_address")
    body, content_type = _get(rest, media + ".mp3")
    if not content_type.startswith("audio/"):
        raise RecordingUnavailable("Twilio did not send a sound file for this recording.", "not_sound")
    return Audio(body, content_type)


def _get(rest: Client, url: str) -> tuple[bytes, str]:
    """GET the sound with the account's basic auth, timed out. Twilio answers with a redirect to another
    host, which is followed without the credentials (an unredirected header)."""
    request = urllib.request.Request(url, method="GET")
    token = base64.b64encode(f"{rest.username}:{rest.password}".encode()).decode()
    request.add_unredirected_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=current_app.config["RECORDING_TIMEOUT_SECONDS"]) as response:
            body = response.read(MAX_BYTES + 1)
            content_type = response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        error.close()
        raise _explained(error.code) from None
    except (urllib.error.URLError, TimeoutError, OSError):
        raise RecordingUnavailable(UNREACHABLE, "twilio_unreachable") from None
    if len(body) > MAX_BYTES:
        raise RecordingUnavailable("This recording is too large to play here.", "too_large")
    return body, content_type


def delete(recording_sid: str) -> bool:
    """Delete a recording at Twilio: True once Twilio no longer has it (a 404 counts), else False (logged)."""
    log = current_app.logger
    if not RECORDING_SID.match(recording_sid or ""):
        log.warning("a recording SID that is not one of Twilio's cannot name a recording: nothing to delete")
        return True
    try:
        _, recording = _recording(recording_sid)
    except RecordingUnavailable:
        log.warning("recording %s not deleted: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to the account's "
                    "details", recording_sid)
        return False
    return _deleted(recording, "recording", recording_sid)


def delete_message(message_sid: str) -> bool:
    """Delete a text (its body and number) at Twilio: True once Twilio no longer has it (a 404 counts), else False
    (logged): one still being sent, which Twilio will not delete yet (error 20009), is left for the next purge."""
    log = current_app.logger
    if not MESSAGE_SID.match(message_sid or ""):
        log.warning("a message SID that is not one of Twilio's cannot name a text: nothing to delete")
        return True
    try:
        rest = client()
    except TwilioNotConfigured:
        log.warning("text %s not deleted: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to the account's details",
                    message_sid)
        return False
    return _deleted(rest.api.v2010.account.messages(message_sid), "text", message_sid)


def delete_transcription(transcription_sid: str) -> bool:
    """Delete a message's transcript at Twilio, a resource of its own beside the recording
    (https://www.twilio.com/docs/voice/api/recording-transcription): True once Twilio no longer has it."""
    if not TRANSCRIPTION_SID.match(transcription_sid or ""):
        current_app.logger.warning("a transcription SID that is not one of Twilio's names nothing to delete")
        return True
    try:
        rest = client()
    except TwilioNotConfigured:
        current_app.logger.warning("transcription %s not deleted: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
                                   transcription_sid)
        return False
    return _deleted(rest.api.v2010.account.transcriptions(transcription_sid), "transcription", transcription_sid)


def _deleted(resource, what: str, sid: str) -> bool:
    """DELETE one resource through twilio's client: True once Twilio no longer has it, else False (logged)."""
    from requests.exceptions import RequestException
    from twilio.base.exceptions import TwilioException, TwilioRestException

    log = current_app.logger
    try:
        return resource.delete()
    except TwilioRestException as error:
        if error.status == 404:
            return True
        log.warning("%s %s not deleted: Twilio answered HTTP %s, error %s", what, sid, error.status, error.code)
    except (RequestException, TwilioException, OSError) as error:
        log.warning("%s %s not deleted: Twilio could not be reached (%s)", what, sid, type(error).__name__)
    return False


# --- Calls for an interpreter on the line (ivr.voice.interpreting) -----------------------------------------------
# Placed while Twilio waits for a webhook's answer (15 s at most): each request is given a few seconds only.
CALL_TIMEOUT_SECONDS = 4
CALL_SID = re.compile(r"^CA[0-9a-fA-F]{32}$")


def place_call(to: str, from_: str, twiml: str, send_digits: str | None = None, status_callback: str | None = None,
               ring_seconds: int = 30) -> str:
    """Ring a number and run `twiml` when it answers; returns the new call's SID. Twilio's Create a Call takes To,
    From and one of Url, Twiml or ApplicationSid; SendDigits is keyed once the call is answered, Timeout is how long
    it rings, StatusCallback is told how it ended (https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource).
    Raises TwilioNotConfigured, or twilio's and requests' own errors for Twilio refusing or not answering."""
    optional = {"send_digits": send_digits, "status_callback": status_callback}
    call = client(CALL_TIMEOUT_SECONDS).calls.create(
        to=to, from_=from_, twiml=twiml, timeout=ring_seconds, **{k: v for k, v in optional.items() if v})
    return call.sid


def redirect_call(call_sid: str, url: str) -> None:
    """Send a live call to one of our webhooks: Twilio stops its current TwiML and requests `url` (Update a Call's Url
    and Method, https://www.twilio.com/docs/voice/api/call-resource#update-a-call-resource)."""
    if CALL_SID.match(call_sid or ""):
        client(CALL_TIMEOUT_SECONDS).calls(call_sid).update(url=url, method="POST")


def end_call(call_sid: str) -> None:
    """Hang up a call we placed: Status canceled ends one still queued or ringing, completed one in progress
    (https://www.twilio.com/docs/voice/api/call-resource#update-a-call-resource): both are asked, as it may be either.
    Twilio refusing (the call is already over) is logged."""
    from twilio.base.exceptions import TwilioRestException

    if not CALL_SID.match(call_sid or ""):
        return
    rest = client(CALL_TIMEOUT_SECONDS)
    for status in ("canceled", "completed"):
        try:
            rest.calls(call_sid).update(status=status)
        except TwilioRestException as error:
            current_app.logger.warning("call %s not set %s: Twilio answered HTTP %s, error %s", call_sid, status,
                                       error.status, error.code)
