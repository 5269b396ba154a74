"""An existing patient's recorded message as Twilio transcribed it: kept on the enquiry, and heard by the risk
model, so that a message which discloses risk marks the enquiry urgent for staff. When unsure, fail safe: a message
the model hears nothing in but with words of flows/risk.yaml's `to_check:`, or with no transcript to hear, is marked
to check, and staff listen to it next after the urgent ones.

The message's <Record> asks for a transcript (flows/enquiry.yaml, `transcribe: true`). When it is ready, usually
after the call has ended, Twilio posts it to the transcribeCallback with the standard request parameters and
TranscriptionSid, TranscriptionText, TranscriptionStatus ('completed' or 'failed'), TranscriptionUrl, RecordingSid
and RecordingUrl (https://www.twilio.com/docs/voice/twiml/record#transcribecallback). Why Twilio's transcription
and not one of our own: docs/the-line.md.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from sqlalchemy import select

from ivr.callflow.flowbook import FlowBook
from ivr.callflow.urgency import CHECK_WORDS_KEPT, RISK_REASON, added
from ivr.extensions import db
from ivr.models import Call, Enquiry
from ivr.voice.form import call_sid

log = logging.getLogger(__name__)

SID = re.compile(r"[A-Za-z]{2}[0-9a-fA-F]{32}")  # TR… and RE…: two letters and 32 hex digits
STATUSES = {"completed", "failed"}  # a transcribeCallback's TranscriptionStatus
# The step a transcript's flag is raised at (its reason is the engine's, RISK_REASON + category): staff read it as
# "Enquiry: message".
MESSAGE_STEP = "enquiry.message"
# A transcript is heard in stretches of WINDOW words, each overlapping the last by OVERLAP: any phrase of up to
# OVERLAP words is whole in one of them, and each is well inside what the model reads of a text (80 words).
WINDOW, OVERLAP = 50, 15


def heard_in(book: FlowBook, transcript: str) -> tuple[str, str] | None:
    """What the risk model hears in a transcript, as (category, the words staff read); None if nothing.

    The one place the transcript meets the model. It is heard a stretch at a time (WINDOW words, overlapping by
    OVERLAP), as a caller's answer is: the model reads only the start of a long text, and a disclosure a minute into
    a message must be heard too. The words staff read are the stretch it was heard in (at most 300 characters)."""
    if book.risk is None or not transcript:
        return None
    for stretch in stretches(transcript):
        heard = book.risk.hear(stretch)
        if heard is not None:
            return heard.category, excerpt(heard.words)
    return None


def to_check(book: FlowBook, transcript: str) -> list[str]:
    """The words of the vocabulary's `to_check:` list in a transcript the model heard nothing in, each once."""
    if book.risk is None:
        return []
    return list(dict.fromkeys(word for stretch in stretches(transcript) for word in book.risk.to_check(stretch)))


def stretches(transcript: str) -> list[str]:
    """A transcript in stretches of WINDOW words, each overlapping the last by OVERLAP."""
    words = transcript.split()
    return [" ".join(words[start:start + WINDOW]) for start in range(0, max(len(words) - OVERLAP, 1), WINDOW - OVERLAP)]


def excerpt(transcript: str, limit: int = 300) -> str:
    """The start of a transcript, cut at a word, with an ellipsis when there is more."""
    if len(transcript) <= limit:
        return transcript
    return transcript[:limit].rsplit(" ", 1)[0] + "…"


def transcribed(book: FlowBook, form: Mapping[str, str]) -> bool:
    """Keep a transcript on the enquiry whose message it is, and flag the enquiry if the model hears risk in it, or
    mark it to check.

    False, with nothing changed, for a callback delivered again (the first one is kept), one for a recording no
    enquiry holds (another try at the message, a deleted enquiry, or not ours), or one that is not as documented."""
    sid, recording = form.get("TranscriptionSid", ""), form.get("RecordingSid", "")
    status = form.get("TranscriptionStatus", "").strip().lower()
    caller = call_sid(form)
    if not (SID.fullmatch(sid) and SID.fullmatch(recording) and status in STATUSES and caller):
        log.warning("transcription callback without a transcription, a recording, a call or a known status (%r)",
                    status[:20])
        return False
    # Locked, so two deliveries at once keep one transcript; populate_existing reads the row as it is now.
    query = (select(Enquiry).join(Call).where(Enquiry.recording_sid == recording, Call.call_sid == caller)
             .with_for_update(of=Enquiry).execution_options(populate_existing=True))
    enquiry = db.session.scalars(query).first()
    if enquiry is None or enquiry.transcription_sid is not None:
        log.info("transcription %s ignored: %s", sid, "no enquiry holds its recording" if enquiry is None
                 else "a transcript is already kept")
        db.session.rollback()
        return False
    enquiry.transcription_sid, enquiry.transcription_status = sid, status
    transcript = form.get("TranscriptionText", "") if status == "completed" else ""
    enquiry.message_transcript = transcript if status == "completed" else None
    heard = heard_in(book, transcript)
    if heard is not None:
        _flag(enquiry, *heard)
    elif not enquiry.urgent:  # an enquiry the call flagged is at the top of the queue already
        words = to_check(book, transcript)
        # Words to check, or nothing the model could hear: the transcription failed or found no words, or the caller
        # may not have spoken English, which is all Twilio's transcription reads (docs/the-line.md). Staff listen next.
        unread = not transcript.strip() or bool(enquiry.language or enquiry.interpreter)
        enquiry.message_to_check = unread or bool(words)
        enquiry.to_check_words = ", ".join(words)[:CHECK_WORDS_KEPT] or None
    db.session.commit()
    return True


def _flag(enquiry: Enquiry, category: str, words: str) -> None:
    """Mark the enquiry urgent for what its message said; a flag the call raised already keeps its reason."""
    if not enquiry.urgent:
        enquiry.urgent, enquiry.urgent_reason, enquiry.urgent_step = True, f"{RISK_REASON}{category}", MESSAGE_STEP
    enquiry.urgent_words = added(enquiry.urgent_words, words)
