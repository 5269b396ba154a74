"""Flagging a caller at risk: the reason, the step and the words said, on the call's referral or enquiry, and a
safety follow-up for staff.

A flag is raised by a disclosure the risk model hears, key 9, or the urgency question. It is kept in the call's
state and put on the call's referral or enquiry as soon as there is one: at once if one is already open, or with
its first answer if the caller starts one later in the call. Every flag also asks, in the same turn, for a safety
follow-up (Effect FOLLOW_UP): a row for staff apart from the referral, which survives the call dropping straight
after and an under-16 or out-of-area caller's details being forgotten.
"""

from __future__ import annotations

from ivr.callflow.actions import Effect, Save
from ivr.callflow.answers import Event
from ivr.callflow.flowbook import FlowBook, Step, Transition
from ivr.callflow.risk import Heard

RECORDS = ("referral", "enquiry")  # the records a flag is saved on, by the same column names on each
FOLLOW_UP = "safety_followup"
WORDS_KEPT = 1000  # characters of what was said kept on a flag (a few disclosures in one call fit)
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


def raise_flag(state: dict, reason: str, step: str, words: str | None = None) -> list[Effect]:
    """Note why and where the caller may need help now (the first reason in a call is kept; every disclosure's
    words are), and ask for a safety follow-up this turn."""
    values = state["values"]
    if not values.get("urgent_reason"):
        values.update(urgent_reason=reason, urgent_step=step)
    if words:
        kept = values.get("urgent_words")
        values["urgent_words"] = (f"{kept} / {words}" if kept else words)[:WORDS_KEPT]
    state["disclosure"] = {"category": reason.removeprefix(RISK_REASON), "step": step, "words": words or "",
                           "number": values.get("caller_number")}  # kept apart: forgetting a caller clears values
    return [Effect(FOLLOW_UP)]


def flag_saves(state: dict, actions: list) -> list[Save]:
    """The saves that put a raised flag (and any words said since) on the call's referral or enquiry, once it
    exists; [] otherwise."""
    saved = state.setdefault("saved_to", [])
    saved += sorted({a.record for a in actions if isinstance(a, Save)} - set(saved))
    values = state["values"]
    if not values.get("urgent_reason"):
        return []
    saves = []
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
