"""What a caller says that is not an answer: asking to hear the question again, for the main menu, or for help now;
and a sentence a question could not read, or said besides a short answer, after which the line says how to get help
now."""

from __future__ import annotations

import re

from ivr.callflow.answers import MONTHS, SPOKEN_DIGITS, Event, digits_in, words
from ivr.callflow.flowbook import Step
from ivr.callflow.hearing import ENGLISH_ONLY, Hearing

REPEAT_KEY, MENU_KEY, HELP_KEY = "*", "0", "9"
SENTENCE_WORDS = 6  # an answer this long that a question cannot read is a sentence, not a slip ("the second one")
# ... or a shorter one about the caller ("I want to be dead", "I'm not coping"): the model may have missed it.
ABOUT_ME = {"i", "im", "ive", "id", "ill", "me", "my", "myself", "meself"}
# The reasons a question read nothing it could use.
UNREAD = {"no_match", "eight_digits", "six_digits", "ten_digits", "not_uk_number"}
# Questions answered in a word or two ("yes", "mornings", "I'm a veteran"), and how many words are more than that;
# and questions answered in numbers, where it is that many words besides the numbers and months.
SHORT_ANSWERS, MORE_THAN_AN_ANSWER = {"yes_no", "choice", "priority"}, 8
NUMBER_ANSWERS = {"date_of_birth", "callback_number", "nhs_number"}
# "What?", "pardon?", "sorry?", "say that again", "can you repeat that please": every word is one of
# these, and at least one asks for it again.
ASKS_AGAIN = {"what", "pardon", "sorry", "repeat", "again", "huh", "eh", "catch", "hear", "missed"}
POLITE = {
    "please", "excuse", "me", "can", "could", "would", "will", "you", "i", "didnt", "did", "not", "that",
    "it", "say", "was", "the", "question", "whats", "thats", "come", "one", "more", "time", "once", "oh",
    "sorry", "im", "hmm", "um", "er", "erm", "what", "said", "this",
}
MENU_PHRASES = {"main menu", "menu", "start again", "back to the menu", "go back", "back to the main menu"}


def is_repeat(event: Event, hearing: Hearing = ENGLISH_ONLY) -> bool:
    """The caller wants to hear the question again (* or "what?", or in the call's language "powtórz"); it never
    uses up a try."""
    if event.kind == "digits":
        return event.text == REPEAT_KEY
    said = set(hearing.asked_again(" ".join(words(event.text.replace("'", "")))).split()) \
        if event.kind == "speech" else set()
    return bool(said & ASKS_AGAIN) and said <= ASKS_AGAIN | POLITE | set(hearing.polite)


def is_menu(event: Event, hearing: Hearing = ENGLISH_ONLY) -> bool:
    """The caller asks for the main menu: 0, or "main menu" (or in the call's language, "menu główne")."""
    if event.kind == "digits":
        return event.text == MENU_KEY
    return event.kind == "speech" and " ".join(words(event.text)) in MENU_PHRASES | set(hearing.menu)


def is_help_now(event: Event, hearing: Hearing = ENGLISH_ONLY) -> bool:
    """Key 9 pressed alone (or "nine" said alone, or "dziewięć" in Polish): help right now, at every question; never
    part of an answer."""
    if event.kind == "digits":
        return event.text == HELP_KEY
    said = words(event.text) if event.kind == "speech" else []
    return said in (["nine"], ["9"]) or (len(said) == 1 and hearing.digits.get(said[0]) == HELP_KEY)


def unread_sentence(step: Step, event: Event, reason: str, hearing: Hearing = ENGLISH_ONLY) -> bool:
    """Whether the caller said a sentence that the question could not read (with no number, six words or more, or
    two or more about themselves: "I want to be dead"; at a number question, six words besides the number), at a
    question where key 9 works (the menu too, where it is one of the choices: the offer is then said first, in place
    of the choice's own words). The risk model heard no risk in it, but may have missed some: when unsure, the line
    says how to get help now, and flags nothing (docs/risk-model.md, "When the model hears nothing")."""
    if reason not in UNREAD or event.kind != "speech" or not (_may_offer_help(step) or is_a_choice(step, HELP_KEY)):
        return False
    said = words(event.text.replace("'", "").replace("\u2019", ""))
    if step.expect in NUMBER_ANSWERS and sum(not _in_a_number(w, hearing) for w in said) >= SENTENCE_WORDS:
        return True  # a number not all there, with a sentence besides: "oh seven seven ... I've got the rope here"
    # About themselves, in a few words; not at the safety question, which reads its own answers ("I'd never")
    about_me = len(said) >= 2 and _about_me(said) and "risk" not in step.on
    return (len(said) >= SENTENCE_WORDS or about_me) and len(digits_in(event, hearing)) < 2


def more_than_an_answer(step: Step, event: Event, answer: object = None, hearing: Hearing = ENGLISH_ONLY) -> bool:
    """Whether a short answer, or a number, came with a sentence besides ("yeah that's right, sorry I'm wound up, if
    I see him again ...", "14th of March 1988, not that I'll see 40", "refer please, I'm just tired of being
    alive"): read as the answer, and, the risk model having heard no risk in the rest, followed by how to get help
    now; not at the safety question (it has its own), nor when the answer is 9 itself (help now, at the menu). At
    the menu, only a sentence about the caller ("Hello, this is Relay UK, a call from a textphone user" is not)."""
    if event.kind != "speech" or "risk" in step.on or answer == HELP_KEY or not (
            _may_offer_help(step) or is_a_choice(step, HELP_KEY)):
        return False
    said = words(event.text)
    if is_a_choice(step, HELP_KEY) and not _about_me(said):
        return False
    if step.expect in NUMBER_ANSWERS:
        said = [word for word in said if not _in_a_number(word, hearing)]
    return step.expect in SHORT_ANSWERS | NUMBER_ANSWERS and len(said) >= MORE_THAN_AN_ANSWER


def _about_me(said: list[str]) -> bool:
    """Whether any of the words is the caller speaking of themselves: "I'm", "me", "myself"."""
    return not ABOUT_ME.isdisjoint(word.replace("'", "") for word in said)


def _in_a_number(word: str, hearing: Hearing) -> bool:
    """A word of a number or a date as a transcript has it: 1988, 14th, oh, double, March (or the call's language's)."""
    return (re.fullmatch(r"\d+(st|nd|rd|th)?", word) is not None or word in SPOKEN_DIGITS or word in MONTHS
            or word in {"double", "treble", "triple"} or word in hearing.digits or word in hearing.months)


def is_a_choice(step: Step, key: str) -> bool:
    """Whether a key is one of a step's choices (9 at the menu)."""
    return any(c.key == key for c in step.choices)


def _may_offer_help(step: Step) -> bool:
    """Whether key 9 works at a step and is not already one of its choices (the menu says it with its options)."""
    return step.global_keys and not is_a_choice(step, HELP_KEY)
