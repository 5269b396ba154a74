"""Twilio's request parameters made safe to keep, and read into what the caller did.

What a caller keys or says arrives here unchecked (a signature proves Twilio sent it, not what it
holds), so it is cleaned once at the door rather than in every reader.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from ivr.callflow.answers import Event

CALL_SID = re.compile(r"[A-Za-z0-9]{2,64}")
# The longest value worth keeping of each parameter the line reads; anything longer is cut.
LIMITS = {
    "CallSid": 64, "From": 64, "CallStatus": 32, "Digits": 64, "SpeechResult": 1000,
    "RecordingUrl": 500, "RecordingSid": 64, "DialCallStatus": 32, "DialCallSid": 64,
    # A recorded message's transcript: two minutes at most, some 1,800 characters.
    "TranscriptionSid": 64, "TranscriptionStatus": 32, "TranscriptionText": 4000,
}
COUNTS = {"RecordingDuration", "CallDuration", "DialCallDuration"}  # whole seconds
LONGEST_COUNT = 999_999  # six digits: over eleven days
# A <Record> action's Digits when the caller hung up during the recording
# (https://www.twilio.com/docs/voice/twiml/record#attributes-action).
HUNG_UP = "hangup"


def call_sid(form: Mapping[str, str]) -> str | None:
    """The request's CallSid if it looks like one, else None."""
    sid = form.get("CallSid") or ""
    return sid if CALL_SID.fullmatch(sid) else None


def printable(text: str, limit: int) -> str:
    """Text without control characters (which XML cannot carry) and at most `limit` long."""
    if text.isprintable():  # nearly always: no control, surrogate or unassigned characters to take out
        return " ".join(text[: limit * 2].split())[:limit]
    kept = []
    for char in text[: limit * 2]:
        if unicodedata.category(char) == "Cc":
            kept.append(" " if char in "\t\r\n" else "")
        elif char not in "\ufffe\uffff" and unicodedata.category(char) != "Cs":
            kept.append(char)
    return " ".join("".join(kept).split())[:limit]


def cleaned(form: Mapping[str, str]) -> dict[str, str]:
    """Only the parameters the line reads, each cleaned; a nonsensical number is left out."""
    clean = {name: printable(form[name], limit) for name, limit in LIMITS.items() if name in form}
    for name in COUNTS & set(form):
        value = form[name].strip()
        if value.isascii() and value.isdigit() and len(value) <= len(str(LONGEST_COUNT)):
            clean[name] = str(int(value))
    if not clean.get("RecordingUrl", "").startswith("https://"):
        clean.pop("RecordingUrl", None)
    return clean


def event_from(form: Mapping[str, str]) -> Event:
    """What the caller did, from Twilio's (cleaned) request parameters.

    A recording comes first: Twilio's <Record> action carries Digits too, the key that ended it
    ('#', '*'), 'hangup', or nothing when it timed out (https://www.twilio.com/docs/voice/twiml/record),
    and a recording read as a keypress would be lost. The key is kept as the event's text: * records again.
    """
    if form.get("DialCallStatus"):  # a <Dial> ended (https://www.twilio.com/docs/voice/twiml/dial#action)
        return Event("dial", form["DialCallStatus"].strip().lower())
    if form.get("RecordingUrl") or form.get("RecordingSid"):
        return Event("recording", text=form.get("Digits", "").strip(), recording={
            "url": form.get("RecordingUrl", ""),
            "sid": form.get("RecordingSid", ""),
            "seconds": count(form.get("RecordingDuration")),
        })
    if form.get("Digits"):
        return Event("digits", form["Digits"].strip())
    if form.get("SpeechResult", "").strip():
        return Event("speech", form["SpeechResult"].strip())
    return Event("no_input")


def hung_up(form: Mapping[str, str]) -> bool:
    """Whether the caller hung up during a recording, so this request is the last of the call."""
    return form.get("Digits") == HUNG_UP and bool(form.get("RecordingUrl") or form.get("RecordingSid"))


def count(text: str | None) -> int | None:
    """A whole number of seconds, or None if there is none."""
    try:
        return int(text or "")
    except ValueError:
        return None
