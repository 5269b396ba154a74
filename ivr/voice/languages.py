"""The other languages offered at the main menu: each offer said first inside the menu's question, in that language's
own words and voice, to a caller still hearing English ("Po polsku, naciśnij 5.")."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ivr.callflow.actions import Action, Ask, Say
from ivr.callflow.languages import CALL_LANGUAGE, OFFER_KEY
from ivr.callflow.line import Line


def offered(actions: list[Action], line: Line, values: dict[str, Any]) -> list[Action]:
    """The turn's actions with the menu's question opening with each language's offer, while the call is in English.
    Inside the <Gather>, so a key pressed during an offer chooses at once."""
    if values.get(CALL_LANGUAGE) or not line.languages:
        return actions
    offers = tuple(Say((OFFER_KEY,), language=language.code) for language in line.offers())
    return [replace(action, prompts=offers + action.prompts)
            if isinstance(action, Ask) and action.step == line.book.menu else action for action in actions]
