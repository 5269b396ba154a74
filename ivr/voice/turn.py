"""Run one turn of a call against the database: load by CallSid, run the engine, keep what was said.

Turns and the status callback read and write through ivr.voice.store (SQLAlchemy Core: the hot path); the spool
replay and the staff dashboard use the ORM models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from ivr.callflow import urgency
from ivr.callflow.actions import Ask, Effect, Outcome, Save, Visit
from ivr.callflow.answers import Event, say_number, uk_number
from ivr.callflow.engine import DISCARD, advance, new_state
from ivr.callflow.languages import CALL_LANGUAGE
from ivr.callflow.line import Line
from ivr.callflow.line import vocabulary as line_vocabulary
from ivr.callflow.saying import ENGLISH, Saying
from ivr.callflow.vocabulary import Vocabulary
from ivr.models import Call, new_reference
from ivr.texts import outbox
from ivr.voice import duplicates, followups, languages, needs, store
from ivr.voice.form import count, hung_up
from ivr.voice.form import event_from as event_from  # where replay and older callers look for it
from ivr.voice.statements import RECORDS
from ivr.voice.store import RecordRow, Row
from ivr.voice.twiml import apology, goodbye, render

# A question with these hints listens for the practice directory's names and places.
PRACTICE_HINTS = "@practices"
# Twilio's From for a withheld number is one of these, or not a number at all.
WITHHELD = {"anonymous", "restricted", "unknown", "private", "+266696687", "+7378742833", "+2562533"}


def caller_number(raw: str | None) -> str | None:
    """The caller's own number, if it is a UK number we could ring back."""
    if not raw or raw.strip().lower() in WITHHELD:
        return None
    return uk_number(raw)


def _create(call_sid: str, raw_from: str | None) -> Row:
    number = caller_number(raw_from)
    values = {"caller_number": number, "caller_number_spoken": say_number(number) if number else ""}
    return store.create(call_sid, caller_number=number, state=new_state(values), seq=0)


def take_turn(line: Line, form: dict[str, str], event: Event, seq: int | None, answer_url,
              from_spool: bool = False) -> str:
    """Handle one webhook of a call and return the TwiML to answer it with, once what it changed is committed.

    `from_spool`: a replay of what the spool kept through a fault (ivr.upkeep.replay), not a request."""
    with store.transaction():
        return _turn(line, form, event, seq, answer_url, from_spool)


def _turn(line: Line, form: dict[str, str], event: Event, seq: int | None, answer_url, from_spool: bool) -> str:
    call_sid = form["CallSid"]
    call = store.load(call_sid)
    ended = False  # read from the row the turn loaded: no query more
    if call is None:
        call, event = _create(call_sid, form.get("From")), Event("start")
        if call.last_response:  # the same first webhook, answered a moment ago by another server
            return call.first_response or call.last_response
    elif (ended := call.ended_at is not None) and not _last_answer(call, form, seq, from_spool):
        # The status callback said the call is over: a webhook replayed now reads back nothing and changes nothing.
        return goodbye(_words(line, call))
    elif event.kind == "start" and call.last_response:
        # A first webhook again gets the first answer only: the current one may read back a date of birth.
        return call.first_response or apology(_words(line, call))
    elif seq == call.seq - 1 and call.last_response:
        return call.last_response  # Twilio retried a request we already answered
    elif seq != call.seq:
        event = Event("resume")  # an answer to an earlier question: ask the current one again

    state = call.state or new_state()
    ctx = line.context(texts=outbox.possible(), caller_number=state["values"].get("caller_number"),
                       language=state["values"].get(CALL_LANGUAGE))
    before = state["values"]  # advance() changes a copy
    state, actions = advance(line.book_for(before.get(CALL_LANGUAGE)), state, event, ctx)
    if (language := state["values"].get(CALL_LANGUAGE)) != before.get(CALL_LANGUAGE):
        actions = languages.listening(actions, line.book_for(language))
    actions = needs.fitted(_with_practice_hints(actions, line), state["values"])
    actions = languages.offered(actions, line, state["values"])
    had = (call.referral is not None, call.enquiry is not None)
    steps = _apply(call, actions, state)
    needs.carry(call, had, before, state["values"])
    if hung_up(form):  # the caller left during a recording: it is kept, and the rest never comes
        mark_unfinished(call)
    words = line.prompts_for(state["values"].get(CALL_LANGUAGE))
    twiml = render(actions, words, _prompt_values(call, state, words.saying),
                   answer_url(call.seq + 1, state.get("step")), line.every_language())
    if call.seq == 0:  # the call's first answer: a first webhook delivered again gets only this one
        call.first_response = twiml
    call.state, call.seq, call.last_response = state, call.seq + 1, twiml
    store.save(call, steps)
    return goodbye(_words(line, call)) if ended else twiml


def _words(line: Line, call: Row):
    """The prompts in the call's language."""
    return line.prompts_for(((call.state or {}).get("values") or {}).get(CALL_LANGUAGE))


def _last_answer(call: Row, form: dict[str, str], seq: int | None, from_spool: bool) -> bool:
    """Whether a webhook for a call that has ended is still the answer to its last question, kept as if it came in
    time: the recording the caller hung up during (Twilio may send it after the status callback), or the answer the
    spool kept through a fault. Only at the call's own seq: no earlier answer, replayed, ever is."""
    return seq == call.seq and (from_spool or hung_up(form))


def _with_practice_hints(actions: list, line: Line) -> list:
    """A question whose hints are "@practices" listens for the directory's practice names and places."""
    if not any(isinstance(a, Ask) and a.hints == PRACTICE_HINTS for a in actions):
        return actions
    hints = line.practices.hints() if line.practices is not None else ""
    return [replace(a, hints=hints) if isinstance(a, Ask) and a.hints == PRACTICE_HINTS else a for a in actions]


def _prompt_values(call: Row, state: dict, saying: Saying) -> dict[str, Any]:
    """The call's values for its prompts, the number it rings from and its reference said in the call's language
    (the number was kept as English says it, before the caller chose a language)."""
    values = dict(state["values"])
    if saying is not ENGLISH and values.get("caller_number"):
        values["caller_number_spoken"] = saying.number(values["caller_number"])
    if call.referral is not None:
        digits = call.referral.reference.split("-")[-1]
        values.update(reference=call.referral.reference, reference_spoken=saying.reference(digits))
    return values


def _apply(call: Row, actions: list, state: dict) -> list[tuple[str, str]]:
    """Keep the turn's answers and effects on the call's rows; returns the steps for the call's step log."""
    steps = []
    for action in actions:
        if isinstance(action, Visit):
            steps.append((action.step, action.event))
        elif isinstance(action, Save):
            _save(_record(call, action.record), action.record, action.field, action.value)
        elif isinstance(action, Outcome):
            call.outcome = action.name
        elif isinstance(action, Effect):
            EFFECTS[action.name](call, state)
    return steps


def _record(call: Row, kind: str) -> RecordRow:
    """The call's referral or enquiry, created with its first answer."""
    if kind == "referral":
        if call.referral is None:
            call.referral = store.add_record(call, "referral", reference=_unused_reference())
        return call.referral
    if call.enquiry is None:
        call.enquiry = store.add_record(call, "enquiry")
    return call.enquiry


def _unused_reference() -> str:
    """A reference no other referral has (six digits: a clash is rare, but it must not fail a call)."""
    while True:
        reference = new_reference()
        if not store.reference_taken(reference):
            return reference


def _save(record: RecordRow, kind: str, field: str, value: Any) -> None:
    keep = KEPT_AS[kind].get(field)
    if keep is None:
        setattr(record, field, value)  # a column of the same name
    else:
        keep(record, value)


def _date_of_birth(record: RecordRow, value: str) -> None:
    record.date_of_birth = date.fromisoformat(value)


def _practice(record: RecordRow, value: dict | None) -> None:
    record.practice_ods_code = value["ods_code"] if value else None


def _name_recording(record: RecordRow, value: dict) -> None:
    _replaced(record.name_recording_sid, value)
    record.name_recording_url, record.name_recording_sid = value["url"], value["sid"]


def _message(record: RecordRow, value: dict) -> None:
    _replaced(record.recording_sid, value)
    record.recording_url, record.recording_sid = value["url"], value["sid"]
    record.recording_seconds = value.get("seconds")


def _replaced(old_sid: str | None, value: dict) -> None:
    """A recording a new one replaces (the caller went round to it again) is queued for deletion at Twilio."""
    if old_sid and old_sid != value.get("sid"):
        store.queue_recording_deletion(old_sid)


# The answers each record keeps otherwise than in a column of their own name, as it is.
KEPT_AS: dict[str, dict[str, Callable[[RecordRow, Any], None]]] = {
    "referral": {"date_of_birth": _date_of_birth, "practice": _practice, "name_recording": _name_recording},
    "enquiry": {"message": _message},
}


def _submit(kind: str):
    def submit(call: Row, state: dict) -> None:
        _record(call, kind).submit()
    return submit


def _submit_referral(call: Row, state: dict) -> None:
    """Send the referral and, in the same transaction, its text receipt if the caller asked for one."""
    referral = _record(call, "referral")
    referral.submit()
    outbox.queue_receipt(store.turn_connection(), referral, state["values"].get("caller_number"))
    duplicates.mark(referral)


def _forget_caller(call: Row, state: dict) -> None:
    """An under-16 or out-of-area caller: keep no personal data, only that the call happened.

    A recorded name is queued for the retention purge to delete at Twilio: the webhook never waits on Twilio.
    """
    if call.referral is not None:
        if call.referral.name_recording_sid:
            store.queue_recording_deletion(call.referral.name_recording_sid)
        store.delete_record(call.referral)
        call.referral = None
    call.caller_number = None


def _discard_recording(call: Row, state: dict) -> None:
    """A recording the caller ended with * to record again: never kept, and queued for deletion at Twilio."""
    recording = state.pop("discarded", None) or {}
    if recording.get("sid"):
        store.queue_recording_deletion(recording["sid"])


def _safety_followup(call: Row, state: dict) -> None:
    """A disclosure (or help asked for) this turn: a safety follow-up for staff, whatever the call does next."""
    disclosure = state.pop("disclosure", None)
    if disclosure:
        followups.keep(call.id, disclosure)


EFFECTS = {
    "safety_followup": _safety_followup,
    "submit_referral": _submit_referral,
    "submit_enquiry": _submit("enquiry"),
    "forget_caller": _forget_caller,
    DISCARD: _discard_recording,
}


def vocabulary() -> Vocabulary:
    """The words the flows may use: the engine's, and what a turn keeps and does. A record's fields are its
    table's columns and the answers it keeps otherwise (KEPT_AS); the effects are EFFECTS."""
    fields = {kind: frozenset(table.c.keys()) | frozenset(KEPT_AS[kind]) for kind, table in RECORDS.items()}
    return line_vocabulary(records=fields, effects=frozenset(EFFECTS))


def call_ended(form: dict[str, str]) -> None:
    """Twilio's status callback: how and when the call ended; an unfinished referral is kept as incomplete."""
    with store.transaction():
        _ended(form)


def _ended(form: dict[str, str]) -> None:
    call = store.load(form.get("CallSid", ""))
    if call is None or call.ended_at is not None:
        return  # applied once: a repeat would add a second hang-up and overwrite how the call ended
    call.end_status = form.get("CallStatus", "")[:32]
    call.duration_seconds = count(form.get("CallDuration"))
    call.ended_at = datetime.now(UTC)
    step = (call.state or {}).get("step")
    steps = [(step, "hangup")] if step and call.outcome is None else []
    mark_unfinished(call)
    if (words := urgency.unkept_words_to_check(call.state or {})) is not None:
        followups.keep(call.id, words)  # said, then gone before a referral or enquiry began to keep them
    store.save(call, steps)


def mark_unfinished(call: Call | Row) -> None:
    """A referral or enquiry the caller did not get to send is kept as incomplete, for a callback; a referral with
    a date of birth is checked for duplicates (in a turn or the status callback: ivr.voice.duplicates)."""
    for record in (call.referral, call.enquiry):
        if record is not None and record.mark_incomplete() and isinstance(record, RecordRow) \
                and record.kind == "referral" and record.date_of_birth is not None:
            duplicates.mark(record)
