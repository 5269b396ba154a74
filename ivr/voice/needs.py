"""A call's communication needs in each turn: a caller through text relay hears the shorter prompts and is waited
for longer, an interpreter's offer is not made again once taken, and the needs said at the menu are kept on the
referral or enquiry the call makes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ivr.callflow.actions import Action, Ask, Say
from ivr.callflow.needs import CARRIED, INTERPRETER, RELAY, in_another_language

# relay.<key> in prompts/en-GB.yaml: a shorter prompt for a relay caller, whose relay assistant types each one.
RELAY_PROMPTS = "relay."
NEVER_SHORTENED = ("crisis.",)  # the crisis routes, said in full to everyone
# The menu's offer of an interpreter, left out once the caller has asked for one; then key 8's offer of a person (in
# office hours) is to speak to us with an interpreter.
INTERPRETER_OFFER = "menu.interpreter"
SPEAK_OFFER, SPEAK_WITH_INTERPRETER = ("menu.speak",), ("menu.speak_interpreter", "menu.speak")


def fitted(actions: list[Action], values: dict[str, Any]) -> list[Action]:
    """The turn's actions as this caller needs them: for a relay call, long waits and the relay prompts."""
    relay, interpreter = bool(values.get(RELAY)), bool(values.get(INTERPRETER))
    needs_one = interpreter or in_another_language(values)  # a caller on the line in Polish needs one for a person
    if not (relay or needs_one):
        return actions
    return [_fitted(action, relay, interpreter, needs_one) for action in actions]


def _fitted(action: Action, relay: bool, interpreter: bool, needs_one: bool) -> Action:
    if isinstance(action, Say):
        return _for_relay(action) if relay else action
    if isinstance(action, Ask):
        said = [_offer(p, needs_one) for p in action.prompts if not (interpreter and p.keys == (INTERPRETER_OFFER,))]
        return replace(action, prompts=tuple(_for_relay(p) if relay else p for p in said), relay=relay)
    return action


def _offer(say: Say, interpreter: bool) -> Say:
    """Key 8's offer, for a caller who asked for an interpreter: "to speak to us with an interpreter, press 8"."""
    return replace(say, keys=SPEAK_WITH_INTERPRETER) if interpreter and say.keys == SPEAK_OFFER else say


def _for_relay(say: Say) -> Say:
    """A prompt's relay version first, where there is one (the renderer says the first key that exists)."""
    keys = [(RELAY_PROMPTS + key, key) if key and not key.startswith(NEVER_SHORTENED) else (key,) for key in say.keys]
    return replace(say, keys=tuple(key for pair in keys for key in pair))


def carry(call: Any, had: tuple[bool, bool], before: dict[str, Any], values: dict[str, Any]) -> None:
    """Keep the needs the caller has said (at the menu, or anywhere) on the call's referral or enquiry: all of them on
    one made this turn (`had`: whether each was there before it), and those that changed on one made before."""
    changed = {name: values.get(name) for name in CARRIED if values.get(name) != before.get(name)}
    for record, existed in ((call.referral, had[0]), (call.enquiry, had[1])):
        if record is None:
            continue
        kept = changed if existed else {name: values[name] for name in CARRIED if values.get(name) is not None}
        for name, value in kept.items():
            setattr(record, name, value)
