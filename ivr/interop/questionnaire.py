"""The phone line's questions as a FHIR Questionnaire, and a referral's other answers as its QuestionnaireResponse.

The Patient and ServiceRequest carry who the caller is and what they asked for; everything else the call learnt
(preferences, consents, communication needs, the safety answers) is here. Each question's text is what the line
asks at its step, read from the loaded flows and prompts, so the Questionnaire follows the words callers hear.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ivr.callflow.urgency import FLAGS
from ivr.clock import london
from ivr.extensions import current_line
from ivr.interop.ukcore import PROFILES
from ivr.models import Referral, Status

QUESTIONNAIRE_NAME = "ipt-self-referral-phone"
QUESTIONNAIRE_VERSION = "3"  # raise it when an item is added, removed or means something else


@dataclass(frozen=True)
class Question:
    """One item: its linkId, the step whose question it is (its words), its FHIR type and the answer it reads."""

    link_id: str
    step: str | None  # None: something the line noted rather than asked
    label: str  # the item's text when it has no step, or the step's prompt cannot be read
    kind: str  # a FHIR item type: boolean, string or choice
    answer: Callable[[Referral], Any]
    options: dict[str, str] | None = None  # a choice's codes and their words


BEST_TIMES = {"morning": "Morning", "afternoon": "Afternoon", "any": "Any time"}
SESSIONS = {"in_person": "In person", "phone": "Phone", "video": "Video", "any": "No preference"}

QUESTIONS = (
    Question("practice_said", "referral.practice", "What the caller said for their GP practice", "string",
             lambda r: r.practice_said),
    Question("registered_here", "referral.registered_here",
             "Registered with a GP in Derby or Derbyshire (practice not matched: check it)", "boolean",
             lambda r: True if r.practice_to_check else None),
    Question("name_recorded", "referral.name_record", "The caller recorded their name (the staff dashboard plays it)",
             "boolean", lambda r: True if r.name_recording_sid else None),
    Question("nhs_number_keyed", "referral.nhs_number",
             "The caller keyed their NHS number on the call (the Patient has it)", "boolean",
             lambda r: True if r.nhs_number_source == "call" else None),
    Question("callback_said", "referral.callback_key", "What the caller gave for a callback number (not usable)",
             "string", lambda r: None if r.callback_number else r.callback_said),
    Question("text_ok", "referral.text_consent", "May we text the reference and what happens next", "boolean",
             lambda r: r.text_ok),
    Question("own_mobile_confirmed", "referral.text_own", "The callback number is the caller's own mobile",
             "boolean", lambda r: r.own_mobile_confirmed),
    Question("voicemail_ok", "referral.voicemail", "May we leave a voicemail that mentions Talking Therapies",
             "boolean", lambda r: r.voicemail_ok),
    Question("communication_help", "referral.communication", "Needs an interpreter or help to talk with us",
             "boolean", lambda r: r.communication_help),
    Question("communication_needs", "referral.communication_what", "What would help, as the caller said it",
             "string", lambda r: r.communication_needs),
    Question("best_time", "referral.best_time", "Best time to call", "choice", lambda r: r.best_time, BEST_TIMES),
    # No longer asked on the call (agreed at the assessment, docs/the-line.md): kept for referrals that gave it.
    Question("session_preference", None, "Sessions in person, by phone or video (asked on calls until version 3)",
             "choice", lambda r: r.session_preference, SESSIONS),
    Question("pregnant_or_baby_under_one", "referral.priority", "Pregnant or with a baby under one (a local priority)",
             "boolean", lambda r: r.pregnant_or_baby_under_one),
    Question("ex_forces", "referral.priority", "Served in the UK armed forces (a local priority)", "boolean",
             lambda r: r.ex_forces),
    Question("urgent", None, "Flagged urgent by the line (the crisis routes were given)", "boolean",
             lambda r: r.urgent),
    Question("urgent_reason", None, "Why the line flagged it urgent", "string", lambda r: _reason(r.urgent_reason)),
    Question("urgent_step", None, "The question the caller was at when it was flagged", "string",
             lambda r: r.urgent_step),
    Question("urgent_words", None, "What the caller said then, as heard", "string", lambda r: r.urgent_words),
)


def _reason(code: str | None) -> str | None:
    """An urgent flag's reason: its code, and the words staff read for the line's own flags."""
    if not code:
        return None
    return f"{code}: {FLAGS[code]}" if code in FLAGS else code


def canonical_url(base: str) -> str:
    """The Questionnaire's canonical URL under our FHIR base."""
    return f"{base}/Questionnaire/{QUESTIONNAIRE_NAME}"


def _text(question: Question) -> str:
    """What the answer means, and the words the line asks at the question's step: 'Best time to call. Asked: "..."'."""
    line = current_line()
    step = line.book.steps.get(question.step or "")
    if step is None or not step.ask:
        return question.label
    try:
        words = " ".join(line.prompts.text((f"{step.ask}.ask",)).split())
    except KeyError:  # a renamed prompt: the item still says what it means
        return question.label
    return f"{question.label}. Asked: “{words}”"


def _option_system(base: str, question: Question) -> str:
    return f"{base}/CodeSystem/{question.link_id.replace('_', '-')}"


def questionnaire(base: str) -> dict:
    """The phone line's questions as a Questionnaire (a dict ready for fhir.resources)."""
    items = []
    for question in QUESTIONS:
        item: dict[str, Any] = {"linkId": question.link_id, "text": _text(question), "type": question.kind}
        if question.options:
            item["answerOption"] = [{"valueCoding": {"system": _option_system(base, question), "code": code,
                                                     "display": words}} for code, words in question.options.items()]
        items.append(item)
    return {
        "resourceType": "Questionnaire", "meta": {"profile": [PROFILES["Questionnaire"]]},
        "url": canonical_url(base), "version": QUESTIONNAIRE_VERSION, "name": "IPTSelfReferralPhone",
        "title": "IPT self-referral by phone: the line's questions", "status": "active", "subjectType": ["Patient"],
        "item": items,
    }


def _answer(base: str, question: Question, value: Any) -> dict:
    if question.kind == "boolean":
        return {"valueBoolean": bool(value)}
    if question.kind == "choice":
        return {"valueCoding": {"system": _option_system(base, question), "code": value,
                                "display": (question.options or {}).get(value, value)}}
    return {"valueString": str(value)}


# A referral still being made is in progress; one whose call dropped before it was sent stopped there.
RESPONSE_STATUS = {Status.IN_PROGRESS: "in-progress", Status.INCOMPLETE: "stopped"}


def response(referral: Referral, base: str, patient_url: str) -> dict:
    """A referral's other answers as a QuestionnaireResponse to the line's Questionnaire; unanswered items left out."""
    items = []
    for question in QUESTIONS:
        value = question.answer(referral)
        if value is None or value == "":
            continue
        items.append({"linkId": question.link_id, "text": _text(question),
                      "answer": [_answer(base, question, value)]})
    authored = referral.submitted_at or referral.created_at
    return {
        "resourceType": "QuestionnaireResponse", "meta": {"profile": [PROFILES["QuestionnaireResponse"]]},
        "questionnaire": f"{canonical_url(base)}|{QUESTIONNAIRE_VERSION}",
        "status": RESPONSE_STATUS.get(referral.status, "completed"),
        "subject": {"reference": patient_url}, "author": {"reference": patient_url},
        "source": {"reference": patient_url},
        "authored": london(authored).isoformat(timespec="seconds"), "item": items,
    }
