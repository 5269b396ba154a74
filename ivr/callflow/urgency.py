"""Flagging a caller at risk: the reason, the step and the words said, on the call's referral or enquiry, and a
safety follow-up for staff.

A flag is raised by a disclosure the risk model hears, key 9, or the urgency question. It is kept in the call's
state and put on the call's referral or enquiry as soon as there is one: at once if one is already open, or with
its first answer if the caller starts one later in the call. Every flag also asks, in the same turn, for a safety
follow-up (Effect FOLLOW_UP): a row for staff apart from the referral, which survives the call dropping straight
after and an under-16 or out-of-area caller's details being forgotten.

A sentence the line offered help after, because it could not read it as an answer or it came besides one, is kept on
the record too (`said_besides`), with any words of the vocabulary's `to_check:` list in it (`said_besides_to_check`):
the model heard no risk in it but may have missed some, so staff see the words, and those with words to check first
after the urgent ones. Nothing is flagged and no follow-up is made.
"""

from __future__ import annotations

from ivr.callflow.actions import Effect, Save
from ivr.callflow.answers import Event
from ivr.callflow.flowbook import FlowBook, Step, Transition
from ivr.callflow.risk import Heard

RECORDS = ("referral", "enquiry")  # the records a flag is saved on, by the same column names on each
FOLLOW_UP = "safety_followup"
WORDS_KEPT = 1000  # characters of what was said kept on a flag (a few disclosures in one call fit)
CHECK_WORDS_KEPT = 200  # characters of words to check kept (said_besides_to_check, a message's to_check_words)
BESIDES = ("said_besides", "said_besides_to_check")  # what note_besides keeps, on the record by the same names
# A safety follow-up's category when words to check were said and the call ended before anything kept them.
WORDS_TO_CHECK = "words_to_check"
# The reasons a flow may give with `flag:`, in the words staff read. A disclosure's reason is
# "risk:<category>", a category of the risk model's vocabulary (ivr/callflow/risk).
FLAGS = {
    "help_now_key": "pressed 9 for help right now",
    "urgency_yes": "said yes to the urgency question",
    "urgency_unsure": "was not sure at the urgency question",
    "urgency_no_answer": "gave no clear answer to the urgency question",
}
RISK_REASON = "risk:"
HELP_NOW = "help_now"  # the risk model's category for a caller asking for help now, as key 9 does


def heard(book: FlowBook, step: Step, event: Event) -> Heard | None:
    """What the risk model hears in a spoken answer, or None. At the safety question (a yes/no with a `risk` way
    on) a denial is a no and a hedge is heard; a hedge elsewhere ("sometimes" to a voicemail) is only an answer."""
    if event.kind != "speech" or book.risk is None:
        return None
    return book.risk.hear(event.text, yes_no=step.expect == "yes_no" and "risk" in step.on)


def to_crisis(book: FlowBook, step: Step, category: str = HELP_NOW) -> Transition:
    """To what the line does for this category (the crisis flow's step of its name), and back to this question
    afterwards; within the crisis flow, no way back."""
    crisis = book.steps[book.crisis]
    target = f"{crisis.flow}.{category}"
    return Transition(target if target in book.steps else crisis.name,
                      back_to=None if step.flow == crisis.flow else step.name)


def added(kept: str | None, words: str) -> str:
    """Words said added to those kept before (" / " between them), as much as is kept of them (WORDS_KEPT)."""
    return (f"{kept} / {words}" if kept else words)[:WORDS_KEPT]


def raise_flag(state: dict, reason: str, step: str, words: str | None = None) -> list[Effect]:
    """Note why and where the caller may need help now (the first reason in a call is kept; every disclosure's
    words are), and ask for a safety follow-up this turn."""
    values = state["values"]
    if not values.get("urgent_reason"):
        values.update(urgent_reason=reason, urgent_step=step)
    if words:
        values["urgent_words"] = added(values.get("urgent_words"), words)
    state["disclosure"] = {"category": reason.removeprefix(RISK_REASON), "step": step, "words": words or "",
                           "number": values.get("caller_number")}  # kept apart: forgetting a caller clears values
    return [Effect(FOLLOW_UP)]


def note_besides(book: FlowBook, state: dict, step: str, words: str) -> None:
    """Keep a sentence the line offered help after at `step` (the model heard no risk in it), and the words to check
    in it, with the step the first of those was said at."""
    values = state["values"]
    kept = values.get("said_besides")
    if kept and words in kept.split(" / "):
        return  # said again, word for word (asked again after it)
    values["said_besides"] = added(kept, words)
    found = book.risk.to_check(words) if book.risk is not None else []
    if found:
        values.setdefault("said_besides_step", step)
        kept = values.get("said_besides_to_check")
        values["said_besides_to_check"] = ", ".join(dict.fromkeys([*(kept.split(", ") if kept else []), *found]))[
            :CHECK_WORDS_KEPT]


def flag_saves(state: dict, actions: list) -> list[Save]:
    """The saves that put a raised flag (and any words said since), and the sentences kept besides, on the call's
    referral or enquiry, once it exists; [] otherwise."""
    saved = state.setdefault("saved_to", [])
    saved += sorted({a.record for a in actions if isinstance(a, Save)} - set(saved))
    values = state["values"]
    saves = _besides_saves(state, saved)
    if not values.get("urgent_reason"):
        return saves
    flagged = state.setdefault("flagged_on", {})
    for record in (r for r in RECORDS if r in saved):
        words = values.get("urgent_words")
        if record not in flagged:
            saves += [Save(record, "urgent", True), Save(record, "urgent_reason", values["urgent_reason"]),
                      Save(record, "urgent_step", values["urgent_step"])]
        if record not in flagged or flagged[record] != words:
            saves.append(Save(record, "urgent_words", words))
        flagged[record] = words
    return saves


def _besides_saves(state: dict, saved: list[str]) -> list[Save]:
    """The saves that put what note_besides kept on each record the call has, when it has changed there."""
    values = state["values"]
    if not values.get("said_besides"):
        return []
    noted = state.setdefault("besides_on", {})
    saves = [Save(record, field, values.get(field)) for record in saved for field in BESIDES
             if noted.get(f"{record}.{field}") != values.get(field)]
    noted.update({f"{save.record}.{save.field}": save.value for save in saves})
    return saves


def unkept_words_to_check(state: dict) -> dict | None:
    """At the end of a call: words to check said before any referral or enquiry was begun to keep them, as a safety
    follow-up ({category, step, words, number}: urgency's disclosure), or None. Not when a flag's follow-up exists,
    nor once an under-16 or out-of-area caller is forgotten (their values are cleared)."""
    values = state.get("values") or {}
    if not values.get("said_besides_to_check") or values.get("urgent_reason") or state.get("saved_to"):
        return None
    return {"category": WORDS_TO_CHECK, "step": values.get("said_besides_step") or "", "words": values["said_besides"],
            "number": values.get("caller_number")}
