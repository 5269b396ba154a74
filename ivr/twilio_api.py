"""The one way into Twilio's REST API: `client()` (twilio's own `Client`), and recordings for staff to play.

The browser only ever sees our own URL: Twilio's URL and credentials stay on the server. The
retention purge deletes recordings at Twilio through the same API. Tests point `TWILIO_API_BASE_URL` at a
fake on 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:  # twilio.rest (with requests) is imported when a client is made: a voice worker never needs it
    from twilio.rest import Client

RECORDING_SID = re.compile(r"^RE[0-9a-fA-F]{32}$")
ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
# twilio logs every request at INFO, including the URL (which names numbers and SIDs): warnings only.
QUIET = logging.getLogger("twilio.http_client")
QUIET.setLevel(logging.WARNING)
MAX_BYTES = 20 * 1024 * 1024  # a two-minute message is well under 2 MB


class TwilioNotConfigured(Exception):
    """The app has not been given the Twilio account details it needs for this."""


def client() -> Client:
    """twilio's REST client for the configured account, pointed at TWILIO_API_BASE_URL, every call timed out."""
    config = current_app.config
    account, token = config.get("TWILIO_ACCOUNT_SID", ""), config.get("TWILIO_AUTH_TOKEN", "")
    if not (account and token):
        raise TwilioNotConfigured("set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to the account's details")
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    http = TwilioHttpClient(timeout=config["RECORDING_TIMEOUT_SECONDS"], logger=QUIET)
    rest = Client(account, token, http_client=http)
    rest.api.base_url = config["TWILIO_API_BASE_URL"].rstrip("/")
    return rest


class RecordingUnavailable(Exception):
    """The recording cannot be played; the message says why, in words staff can act on."""


@dataclass(frozen=True)
class Audio:
    """A recording's sound, ready to send to the browser."""

    content: bytes
    content_type: str


def _url(recording_sid: str, extension: str) -> str:
    config = current_app.config
    account = config.get("TWILIO_ACCOUNT_SID", "")
    if not (account and config.get("TWILIO_AUTH_TOKEN")):
        raise RecordingUnavailable(
            "Recordings cannot be played: the app has not been given the Twilio account details "
            "(TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN).")
    if not ACCOUNT_SID.match(account) or not RECORDING_SID.match(recording_sid or ""):
        raise RecordingUnavailable("This recording's details are not valid, so it cannot be fetched.")
    base = config["TWILIO_API_BASE_URL"].rstrip("/")
    return f"{base}/2010-04-01/Accounts/{account}/Recordings/{recording_sid}.{extension}"


def _request(url: str, method: str) -> urllib.request.Request:
    """A request to Twilio's API with the account's basic auth."""
    config = current_app.config
    request = urllib.request.Request(url, method=method)
    token = base64.b64encode(f"{config['TWILIO_ACCOUNT_SID']}:{config['TWILIO_AUTH_TOKEN']}".encode()).decode()
    # Unredirected: Twilio sends the sound itself from another host, which must not get our credentials.
    request.add_unredirected_header("Authorization", f"Basic {token}")
    return request


def _get(url: str) -> tuple[bytes, str]:
    config = current_app.config
    request = _request(url, "GET")
    try:
        with urllib.request.urlopen(request, timeout=config["RECORDING_TIMEOUT_SECONDS"]) as response:
            body = response.read(MAX_BYTES + 1)
            content_type = response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        error.close()
        if error.code == 404:
            raise RecordingUnavailable("Twilio no longer has this recording; it may have been deleted.") from None
        if error.code in (401, 403):
            raise RecordingUnavailable(
                "Twilio refused the app's credentials, so the recording cannot be fetched. "
                "Tell the system administrator.") from None
        raise RecordingUnavailable(
            f"Twilio answered with an error (HTTP {error.code}). Try again later.") from None
    except (urllib.error.URLError, TimeoutError, OSError):
        raise RecordingUnavailable("Twilio could not be reached just now, so the recording cannot be "
                                   "played. Try again later.") from None
    if len(body) > MAX_BYTES:
        raise RecordingUnavailable("This recording is too large to play here.")
    return body, content_type


def check(recording_sid: str) -> None:
    """Make sure Twilio still has the recording (its small JSON description); raise RecordingUnavailable if not."""
    body, _ = _get(_url(recording_sid, "json"))
    try:
        json.loads(body)
    except ValueError:
        raise RecordingUnavailable("Twilio's answer about this recording could not be read.") from None


def fetch(recording_sid: str) -> Audio:
    """The recording as MP3, from Twilio."""
    body, content_type = _get(_url(recording_sid, "mp3"))
    if not content_type.startswith("audio/"):
        raise RecordingUnavailable("Twilio did not send a sound file for this recording.")
    return Audio(body, content_type)


def delete(recording_sid: str) -> bool:
    """Delete a recording at Twilio: True once Twilio no longer has it (a 404 counts), else False (logged)."""
    log = current_app.logger
    if not RECORDING_SID.match(recording_sid or ""):
        log.warning("a recording SID that is not one of Twilio's cannot name a recording: nothing to delete")
        return True
    try:
        request = _request(_url(recording_sid, "json"), "DELETE")
    except RecordingUnavailable:
        log.warning("recording %s not deleted: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to the account's "
                    "details", recording_sid)
        return False
    try:
        with urllib.request.urlopen(request, timeout=current_app.config["RECORDING_TIMEOUT_SECONDS"]):
            return True  # 204 No Content
    except urllib.error.HTTPError as error:
        error.close()
        if error.code == 404:
            return True
        log.warning("recording %s not deleted: Twilio answered HTTP %s", recording_sid, error.code)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        log.warning("recording %s not deleted: Twilio could not be reached (%s)", recording_sid, error)
    return False
