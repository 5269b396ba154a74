"""`flask spool replay`: load what callers gave during a database fault, through the live call path.

Each spooled webhook runs again through take_turn (or call_ended), so its answers land on the
call's referral or enquiry exactly as they would have; the calls are then marked as interrupted so
staff can see them. Replaying twice changes nothing: a replayed file is never read again, and
take_turn answers a repeated seq from what it saved rather than applying it twice.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import exc, select

from ivr.callflow.answers import Event
from ivr.callflow.line import Line
from ivr.extensions import db
from ivr.models import Call, CallStep
from ivr.upkeep import spool
from ivr.voice.form import event_from
from ivr.voice.transcription import transcribed
from ivr.voice.turn import call_ended, mark_unfinished, take_turn
from ivr.voice.urls import answer_url

INTERRUPTED = "interrupted"  # the step log's event for a call cut short by a fault
# The database could not be reached or answered too late: no fault of the entry, so not counted against it.
UNAVAILABLE = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError, exc.DisconnectionError)


def _replay_one(line: Line, entry: dict[str, Any]) -> Call | None:
    """Run one spooled webhook through the live path; returns its call, or None if nothing to do."""
    form, sid = entry["form"], entry["call_sid"]
    if entry["kind"] == "transcription":  # a message's transcript, after the call: the call was not cut short
        transcribed(line.book, form)
        return None
    call = db.session.scalars(select(Call).where(Call.call_sid == sid)).first()
    kind = entry["kind"]
    if kind == "incoming" or (kind == spool.FALLBACK and call is None):  # fallback: at least the call is kept
        take_turn(line, form, Event("start"), None, answer_url)
    elif call is None:  # an answer or hang-up for a call we never heard start
        current_app.logger.warning("spooled %s for unknown call %s skipped", kind, sid)
        return None
    elif kind == "answer":
        take_turn(line, form, event_from(form), entry["seq"], answer_url, from_spool=True)
    elif kind == "status" and call.ended_at is None:
        call_ended(form)
    return db.session.scalars(select(Call).where(Call.call_sid == sid)).first()


def _mark_interrupted(call: Call) -> None:
    """Staff see the call was cut short by a fault: its referral or enquiry is incomplete, not lost."""
    mark_unfinished(call)
    if not any(step.event == INTERRUPTED for step in call.steps):
        call.steps.append(CallStep(step=(call.state or {}).get("step") or "unknown", event=INTERRUPTED))


def replay(line: Line) -> dict[str, int]:
    """Replay every pending spool entry into the database; returns counts for the operator."""
    paths = spool.claim()
    failed: list[dict[str, Any]] = []
    calls: set[str] = set()
    entries = spool.read(paths)
    for entry in entries:
        try:
            call = _replay_one(line, entry)
            if call is not None:
                calls.add(call.call_sid)
            db.session.commit()
        except Exception as error:
            db.session.rollback()
            current_app.logger.exception("could not replay a spooled %s for call %s",
                                         entry.get("kind"), entry.get("call_sid"))
            if not isinstance(error, UNAVAILABLE):
                entry["failed_replays"] = entry.get("failed_replays", 0) + 1
            failed.append(entry)
    for sid in calls:
        _mark_interrupted(db.session.scalars(select(Call).where(Call.call_sid == sid)).one())
    db.session.commit()
    dead = spool.settle(paths, failed)
    return {"entries": len(entries), "calls": len(calls), "failed": len(failed), "dead": dead}
