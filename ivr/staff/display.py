"""How the dashboard shows things to people: UK times, ages, phone numbers and answers in words."""

from __future__ import annotations

from datetime import date, datetime

import phonenumbers

from ivr.callflow.languages import ENGLISH
from ivr.callflow.urgency import FLAGS, WORDS_TO_CHECK  # why a referral was flagged, in words; a follow-up's check
from ivr.clock import age_on, london, today_in_london
from ivr.extensions import current_line
from ivr.models import CLOSING_REASONS, STATUS_LABELS

BEST_TIMES = {"morning": "Morning", "afternoon": "Afternoon", "any": "Any time"}
SESSION_PREFERENCES = {"in_person": "In person", "phone": "Phone", "video": "Video", "any": "No preference"}


def age(date_of_birth: date | None) -> int | None:
    """Age today in the UK, or None when the date of birth is not known."""
    return age_on(date_of_birth, today_in_london()) if date_of_birth else None


def when(moment: datetime | None) -> str:
    """A time as people in the service read it, e.g. 'Wed 26 Nov 2025, 14:05'."""
    if moment is None:
        return ""
    local = london(moment)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def phone_number(number: str | None) -> str:
    """An E.164 number written the UK way, e.g. '07700 900123'; anything else as it was."""
    if not number:
        return ""
    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException:
        return number
    if parsed.country_code == 44:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def yes_no(value: bool | None) -> str:
    """Yes, No, or Not known (not asked, or no answer after the tries)."""
    return "Not known" if value is None else ("Yes" if value else "No")


def text_receipt(referral) -> str:
    """Whether the caller was texted their reference and how that went, in words, with Twilio's error code."""
    text = referral.text
    if text is not None:
        return f"{text.status_label}, {when(text.updated_at)}"
    return {None: "Not offered (not a mobile, or the line cannot send texts)", False: "Declined",
            True: "Not sent: the referral was not sent on the call, or the number had a text receipt in the "
                  "last day"}[referral.text_ok]


# What staff must know before they ring back: said at the main menu, or at the referral's communication question.
RELAY_UK = "Call back through Relay UK (18002 then the number)"
LANGUAGE_NOT_KNOWN = "language not known: ask"


def needs_interpreter(record) -> str:
    """The interpreter a caller needs: its language ('Polish'), 'language not known: ask', or '' for none."""
    if record.interpreter_language:
        return record.interpreter_language
    return LANGUAGE_NOT_KNOWN if record.interpreter else ""


def needs(record) -> list[str]:
    """A referral's or enquiry's communication needs as staff see them on the queue and the record:
    'Language: Polish' (the call's, chosen at the menu), 'Interpreter: Polish',
    'Call back through Relay UK (18002 then the number)'."""
    shown = [f"Language: {language_name(record.language)}"] if getattr(record, "language", None) else []
    shown += [f"Interpreter: {language}"] if (language := needs_interpreter(record)) else []
    return shown + ([RELAY_UK] if record.relay_uk else [])


def language_names() -> dict[str, str]:
    """Each language settings.yaml lists (offered or not), by its code: {"en-GB": "English", "pl-PL": "Polish"}."""
    return {ENGLISH: "English", **{language.code: language.name for language in current_line().prompts.offered}}


def language_name(code: str | None) -> str:
    """A call's language as staff read it: 'Polish' for "pl-PL"; English for none."""
    return language_names().get(code or ENGLISH, code or "English")


def chosen_language(code: str | None) -> str | None:
    """The language a queue is filtered by, if it is one settings.yaml lists (or en-GB); None: every language."""
    return code if code in language_names() else None


def seconds(total: float | int | None) -> str:
    """A length of time in minutes and seconds, e.g. '3 min 05 s'."""
    if total is None:
        return ""
    total = int(round(total))
    minutes, rest = divmod(total, 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


EVENTS = {
    "enter": "Reached", "hangup": "Caller hung up here", "max_retries": "Gave up asking after retries",
    "no_input": "Heard nothing", "no_match": "Did not understand", "repeat": "Asked to hear it again",
    "resume": "Came back to this question", "menu": "Went back to the menu", "try_again": "Asked again",
    "risk_phrase": "Said words that suggest risk: given the crisis routes", "zero": "Pressed 0 once",
    "more": "Asked for more practices", "unsure": "Was not sure",
    "help_now": "Pressed 9 for help now: given the crisis routes",
    "record_again": "Pressed star to record it again",
}


# What each category of the risk model (ivr/callflow/risk) means, as staff read it on a flag or a follow-up.
RISK_CATEGORIES = {
    "acting_now": "acting on it or in danger now",
    "intent": "intent, a plan or active thoughts",
    "passive": "passive thoughts (wishing to be dead)",
    "harm_from_others": "harm from someone else",
    "harm_to_others": "harm to others, or voices telling them to",
    "help_now": "asked for help now",
}


def urgent_reason(code: str | None) -> str:
    """An urgent flag's reason in words: 'risk:intent' -> 'said words that suggest risk: intent, a plan or ...'."""
    if not code:
        return "asked for help today"
    kind, _, category = code.partition(":")
    if kind in {"risk", "risk_phrase"}:  # "risk:<category>" from the risk model; older referrals say risk_phrase
        return f"said words that suggest risk: {RISK_CATEGORIES.get(category, category.replace('_', ' '))}"
    return FLAGS.get(code, code.replace("_", " "))


def risk_category(category: str) -> str:
    """A safety follow-up's category in words: a risk category, or how help was asked for (key 9, urgency)."""
    if category == WORDS_TO_CHECK:
        return "Words to check"
    return RISK_CATEGORIES.get(category) or FLAGS.get(category, category.replace("_", " "))


def step_label(step: str) -> str:
    """A flow step in words: 'referral.date_of_birth' -> 'Referral: date of birth'."""
    flow, _, name = step.partition(".")
    return f"{flow.capitalize()}: {name.replace('_', ' ')}" if name else step


def event_label(event: str) -> str:
    """What happened at a step, in words."""
    return EVENTS.get(event, event.replace("_", " ").capitalize())


def nhs_number(number: str | None) -> str:
    """An NHS number in the groups of 3, 3 and 4 that the NHS writes it in, e.g. '900 000 0009'."""
    if not number or len(number) != 10:
        return number or ""
    return f"{number[:3]} {number[3:6]} {number[6:]}"


PRIORITY_GROUPS = (("pregnant_or_baby_under_one", "Pregnant or a baby under one"),
                   ("ex_forces", "Served in the armed forces"))


def priorities(record) -> list[str]:
    """The Derbyshire priority groups a caller said they are in, as staff read them (none for an enquiry)."""
    return [f"Priority: {words}" for name, words in PRIORITY_GROUPS if getattr(record, name, None)]


def priority_answer(record) -> str:
    """The priority question's answer on the record: the groups, 'Neither', or not known (not asked or answered)."""
    groups = [words for name, words in PRIORITY_GROUPS if getattr(record, name)]
    if groups:
        return "; ".join(groups)
    said_no = all(getattr(record, name) is False for name, _ in PRIORITY_GROUPS)
    return "Neither" if said_no else "Not known: not answered on the call"


def message_to_check(record) -> str:
    """Why an enquiry's message is to be listened to next after the urgent ones, in words, or '' when it is not
    (records.MESSAGE_TO_CHECK is the same rule for the queue's order): marked so when its transcript came
    (ivr/voice/transcription.py), or not heard yet because no transcript has come."""
    if record.urgent or not record.recording_sid:
        return ""
    if not record.transcription_status:
        return "no transcript has come yet, so nothing has read it (it usually comes a few minutes after the call)."
    if not record.message_to_check:
        return ""
    if record.to_check_words:
        return ("the risk model heard no risk in its transcript, but it has words that may suggest distress: "
                f"“{record.to_check_words}”.")
    if record.language or record.interpreter:
        return "it may not be in English, which is all the transcript reads."
    return "there is no transcript to read."


def said_to_check(record) -> str:
    """The words to check in what a caller said besides their answers, as staff read them, or '' when there are none
    or the record is urgent anyway (records.REFERRAL_WORDS_TO_CHECK and ENQUIRY_TO_CHECK are the same rule)."""
    if record.urgent or not record.said_besides_to_check:
        return ""
    return ("the risk model heard no risk in what they said besides their answers, but it has words that may suggest "
            f"distress: “{record.said_besides_to_check}”.")


FILTERS = {
    "message_to_check": message_to_check,
    "said_to_check": said_to_check,
    "nhs_number": nhs_number,
    "priorities": priorities,
    "priority_answer": priority_answer,
    "age": age,
    "long_date": lambda day: f"{day.day} {day:%B %Y}" if day else "",
    "step_label": step_label,
    "urgent_reason": urgent_reason,
    "risk_category": risk_category,
    "event_label": event_label,
    "when": when,
    "phone_number": phone_number,
    "yes_no": yes_no,
    "text_receipt": text_receipt,
    "needs": needs,
    "seconds": seconds,
    "status_label": lambda status: STATUS_LABELS.get(status, status),
    "best_time": lambda value: BEST_TIMES.get(value or "", value or ""),
    "session_preference": lambda value: SESSION_PREFERENCES.get(value or "", value or ""),
    "closing_reason": lambda value: CLOSING_REASONS.get(value or "", value or ""),
}
