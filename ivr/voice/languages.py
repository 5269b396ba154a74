"""The other languages offered at the main menu: each offer said first inside the menu's question, in that language's
own words and voice, to a caller still hearing English ("Po polsku, naciśnij 5.")."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ivr.callflow.actions import Action, Ask, Say
from ivr.callflow.engine import HELP_OFFER
from ivr.callflow.flowbook import FlowBook
from ivr.callflow.languages import CALL_LANGUAGE, ENGLISH, OFFER_KEY
from ivr.callflow.line import Line
from ivr.voice.needs import RELAY_PROMPTS


def offered(actions: list[Action], line: Line, values: dict[str, Any]) -> list[Action]:
    """The turn's actions with the menu's question opening with each language's offer while the call is in English,
    or with the way back to English while it is in another; after a miss, straight after the "Sorry" (a caller who
    did not understand English may well have said nothing) and how to get help now, if the line offers it.
    Inside the <Gather>, so a key pressed during an offer chooses at once."""
    if not line.languages:
        return actions
    if code := values.get(CALL_LANGUAGE):  # the way back, for a caller who chose the language by mistake
        offers = tuple(Say((language.english_key,), language=ENGLISH) for language in line.offers()
                       if language.code == code)
    else:
        offers = tuple(Say((OFFER_KEY,), language=language.code) for language in line.offers())
    question = line.book.steps[line.book.menu].ask
    asked = {f"{question}.ask", f"{question}.retry"}
    return [_with(action, offers) if isinstance(action, Ask) and action.step == line.book.menu
            and any(key.removeprefix(RELAY_PROMPTS) in asked for say in action.prompts for key in say.keys)
            else action for action in actions]  # not while a relay caller is waited for ("Take your time")


def listening(actions: list[Action], book: FlowBook) -> list[Action]:
    """The turn's questions listening for the words of `book`'s steps (<Gather hints>). On the turn a caller chooses
    a language, or goes back to English, the engine asked the menu again from the flows the call was in."""
    return [replace(action, hints=book.steps[action.step].hints)
            if isinstance(action, Ask) and action.step in book.steps else action for action in actions]


def _with(ask: Ask, offers: tuple[Say, ...]) -> Ask:
    at = 1 if _a_miss(ask.prompts[0].keys[0]) else 0
    at += at and ask.prompts[1].keys == (HELP_OFFER,)  # after a sentence not read: how to get help now comes first
    return replace(ask, prompts=ask.prompts[:at] + offers + ask.prompts[at:])


def _a_miss(key: str) -> bool:
    """A prompt that says an answer was missed: menu.invalid.no_input, common.no_match (or a relay caller's)."""
    return ".invalid." in key or key.removeprefix(RELAY_PROMPTS).startswith("common.")
