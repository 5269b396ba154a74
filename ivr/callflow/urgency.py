"""Flagging a caller's referral urgent, with the reason and the step (never the caller's words).

A flag is raised by a risk phrase, key 9, or the urgency question. It is kept in the call's state and put
on the referral as soon as there is one: at once if the referral is already open, or with its first
answer if the caller carries on and starts one later in the call.
"""

from __future__ import annotations

from ivr.callflow.actions import Save

RECORD = "referral"
# The reasons a flow may give with `flag:`, in the words staff read on the referral. A risk phrase's reason is
# "risk:<category>", one of ivr.callflow.risk.CATEGORIES.
FLAGS = {
    "help_now_key": "pressed 9 for help right now",
    "urgency_yes": "said yes to the urgency question",
    "urgency_unsure": "was not sure at the urgency question",
    "urgency_no_answer": "gave no clear answer to the urgency question",
}


def raise_flag(state: dict, reason: str, step: str) -> None:
    """Note why and where the caller may need help now; the first reason in a call is the one kept."""
    values = state["values"]
    if not values.get("urgent_reason"):
        values.update(urgent_reason=reason, urgent_step=step)


def flag_saves(state: dict, actions: list) -> list[Save]:
    """The saves that put a raised flag on the referral, once the referral exists; [] otherwise."""
    saved = state.setdefault("saved_to", [])
    saved += sorted({a.record for a in actions if isinstance(a, Save)} - set(saved))
    values = state["values"]
    if RECORD not in saved or not values.get("urgent_reason") or state.get("flagged"):
        return []
    state["flagged"] = True
    return [Save(RECORD, "urgent", True), Save(RECORD, "urgent_reason", values["urgent_reason"]),
            Save(RECORD, "urgent_step", values["urgent_step"])]
