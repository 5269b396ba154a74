"""The call engine: (flows, call state, caller's event) -> (new state, actions). Pure: no Flask,
no database, no Twilio. Modelled on VoiceXML's form interpretation: say, collect, process, with a
retry counter per step for escalating re-prompts."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

from ivr.callflow import answers, office_hours
from ivr.callflow.actions import Action, Ask, Dial, Effect, Hangup, Outcome, Save, Say, Visit
from ivr.callflow.answers import Answer, Context, Event, Retry
from ivr.callflow.flowbook import FlowBook, FlowError, Step, Transition
from ivr.clock import age_on

REPEAT_PHRASES = {"repeat", "repeat that", "say that again", "say again", "again", "pardon", "sorry what"}
MENU_PHRASES = {"main menu", "menu", "start again", "back to the menu", "go back"}
REPEAT_KEY, MENU_KEY = "*", "0"
# Twilio's DialCallStatus for a call that was answered (https://www.twilio.com/docs/voice/twiml/dial#action).
CONNECTED = {"completed", "answered"}
# A flow that loops through steps which ask nothing would never answer Twilio.
MAX_STEPS_PER_TURN = 40


def _age_band(values: dict, ctx: Context) -> str:
    born = date.fromisoformat(values["date_of_birth"])
    return "adult" if age_on(born, ctx.today) >= 16 else "under_16"


def _caller_number(values: dict, ctx: Context) -> str:
    return "known" if values.get("caller_number") else "withheld"


def _text_receipt(values: dict, ctx: Context) -> str:
    return "ask" if ctx.texts and answers.is_uk_mobile(values.get("callback_number")) else "skip"


DECISIONS: dict[str, Callable[[dict, Context], str]] = {
    "age_band": _age_band,
    "caller_number": _caller_number,
    "text_receipt": _text_receipt,  # offer a text only to a UK mobile, on a line that can send one
    "office_hours": office_hours.decision,  # open | closed: whether a person can answer now
}


def new_state(values: dict[str, Any] | None = None) -> dict[str, Any]:
    """The state of a call that has not started yet."""
    return {"step": None, "tries": {}, "values": dict(values or {}), "turns": 0}


def advance(book: FlowBook, state: dict, event: Event, ctx: Context) -> tuple[dict, list[Action]]:
    """Run one turn of the call: what the caller did, in the step they are at."""
    state = copy.deepcopy(state)
    actions: list[Action] = []
    if event.kind == "start":
        _enter(book, state, book.start, actions, ctx)
        return state, actions
    state["turns"] += 1
    step = book.steps.get(state.get("step") or "")
    if step is None or (step.ask is None and step.dial is None) or state["turns"] > book.max_turns:
        _enter(book, state, book.give_up, actions, ctx)
        return state, actions
    if step.dial:  # anything but Twilio's word that the call was answered counts as not put through
        connected = event.kind == "dial" and event.text in CONNECTED
        actions.append(Visit(step.name, f"dial_{event.text.replace('-', '_')}" if event.kind == "dial" else "resume"))
        _go(book, state, step, step.on["connected" if connected else "not_connected"], actions, ctx)
        return state, actions

    if event.kind == "resume":  # an out-of-date answer: ask the current question again
        actions += [Visit(step.name, "resume"), _ask(step, state, ctx, attempt=0)]
        return state, actions
    if step.global_keys and _is(event, REPEAT_KEY, REPEAT_PHRASES):
        actions += [Visit(step.name, "repeat"), _ask(step, state, ctx, attempt=0)]
        return state, actions
    if step.global_keys and _is(event, MENU_KEY, MENU_PHRASES):
        actions.append(Visit(step.name, "menu"))
        _enter(book, state, book.menu, actions, ctx)
        return state, actions

    if step.transcript and event.kind == "speech":
        state["values"][step.transcript] = event.text
        if step.record:
            actions.append(Save(step.record, step.transcript, event.text))
    result = _interpret(step, state, event, ctx)
    if isinstance(result, Retry):
        _retry(book, state, step, result.reason, actions, ctx)
        return state, actions
    if step.value:
        state["values"][step.value] = result.value
        if result.spoken:
            state["values"][f"{step.value}_spoken"] = result.spoken
    _go(book, state, step, _transition_for(step, result), actions, ctx)
    return state, actions


def _is(event: Event, key: str, phrases: set[str]) -> bool:
    if event.kind == "digits":
        return event.text == key
    return event.kind == "speech" and " ".join(answers.words(event.text)) in phrases


def _interpret(step: Step, state: dict, event: Event, ctx: Context) -> Answer | Retry:
    if event.kind == "no_input":
        return Retry("no_input")
    if step.expect == "record":
        return Answer(event.recording) if event.kind == "recording" else Retry("no_input")
    if event.kind not in {"digits", "speech"}:
        return Retry()
    if step.expect in {"choice", "yes_no", "pick"}:
        event = _spoken_key(event)
    if step.expect == "choice":
        return _choose(step, event)
    if step.expect == "yes_no":
        return answers.yes_no(event, ctx)
    if step.expect == "pick":
        return _pick(state["values"].get(step.pick_from) or [], event)
    return answers.READERS[step.expect].read(event, ctx)


def _spoken_key(event: Event) -> Event:
    """A caller who says "two" at a menu means the key 2."""
    said = answers.words(event.text) if event.kind == "speech" else []
    if len(said) == 1 and len(digit := answers.digits_in(event)) == 1:
        return Event("digits", digit)
    return event


def _choose(step: Step, event: Event) -> Answer | Retry:
    if event.kind == "digits":
        chosen = [c for c in step.choices if c.key == event.text]
    else:
        said = f" {' '.join(answers.words(event.text))} "
        scores = [(sum(f" {w} " in said for w in c.words), c) for c in step.choices]
        best = max(score for score, _ in scores)
        chosen = [c for score, c in scores if score == best and score > 0]
    return Answer(chosen[0].key, outcome=f"choice:{chosen[0].key}") if len(chosen) == 1 else Retry()


def _pick(candidates: list[dict], event: Event) -> Answer | Retry:
    """Choose one of up to three offered candidates by key; the key after them is 'none of these'."""
    said = answers.digits_in(event)
    if said == str(len(candidates) + 1) or "none" in answers.words(event.text):
        return Answer(None, outcome="none")
    if said.isdigit() and 1 <= int(said) <= len(candidates):
        chosen = candidates[int(said) - 1]
        return Answer(chosen, spoken=f"{chosen['name']} in {chosen['place']}")
    return Retry()


def _transition_for(step: Step, result: Answer) -> Transition:
    if result.outcome.startswith("choice:"):
        key = result.outcome.split(":", 1)[1]
        return next(c.then for c in step.choices if c.key == key)
    return step.on.get(result.outcome) or step.on["ok"]


def _retry(book: FlowBook, state: dict, step: Step, reason: str, actions: list, ctx: Context) -> None:
    tries = state["tries"][step.name] = state["tries"].get(step.name, 0) + 1
    actions.append(Visit(step.name, reason))
    if tries > step.retries:
        actions.append(Visit(step.name, "max_retries"))
        _enter(book, state, _give_up_target(book, step), actions, ctx)
        return
    actions.append(_ask(step, state, ctx, attempt=tries, reason=reason))


def _give_up_target(book: FlowBook, step: Step) -> str:
    return step.on["max_retries"].next if "max_retries" in step.on else book.give_up


def _go(book: FlowBook, state: dict, step: Step, transition: Transition, actions: list, ctx: Context) -> None:
    """Leave a step along a transition: set and save answers, then enter the next step."""
    _keep_answers(state, step, transition, actions)
    target = book.steps[transition.next]
    if not transition.retry:
        _enter(book, state, target.name, actions, ctx)
        return
    tries = state["tries"][target.name] = state["tries"].get(target.name, 0) + 1
    if tries > target.retries:
        actions.append(Visit(target.name, "max_retries"))
        _enter(book, state, _give_up_target(book, target), actions, ctx)
        return
    state["step"] = target.name
    actions += [Visit(target.name, "try_again"), _ask(target, state, ctx, attempt=tries, reason="try_again")]


def _keep_answers(state: dict, step: Step, transition: Transition, actions: list) -> None:
    """Set what the transition sets and save what it saves, on the step's record."""
    values = state["values"]
    values.update(transition.set)
    values.update({name: values.get(source) for name, source in transition.copy.items()})
    if step.record:
        actions += [Save(step.record, n, values.get(n)) for n in (*transition.save, *transition.set)]


def _enter(book: FlowBook, state: dict, name: str, actions: list, ctx: Context) -> None:
    """Enter a step and run on through steps that ask nothing, until one waits for the caller."""
    for _ in range(MAX_STEPS_PER_TURN):
        step = book.steps[name]
        state["step"] = name
        state["tries"].pop(name, None)
        actions.append(Visit(name, "enter"))
        if step.outcome:
            actions.append(Outcome(step.outcome))
        actions += [Effect(effect) for effect in step.effects]
        if "forget_caller" in step.effects:
            state["values"] = {}
        if step.decide:
            transition = step.on[DECISIONS[step.decide](state["values"], ctx)]
        elif step.dial:
            actions += [Say((key,)) for key in step.say]
            actions.append(Dial(step.name, step.dial, step.timeout))
            return
        elif step.ask is None:
            actions += [Say((key,)) for key in step.say]
            if step.hangup:
                actions.append(Hangup())
                return
            transition = step.on["ok"]
        else:
            actions.append(_ask(step, state, ctx, attempt=0))
            return
        _keep_answers(state, step, transition, actions)
        name = transition.next
    raise FlowError(f"step '{name}': more than {MAX_STEPS_PER_TURN} steps without asking anything")


def _holds(when: str | None, state: dict, ctx: Context) -> bool:
    """Whether a condition like "office_hours.open" (a decision and its result) holds now; None always does."""
    if when is None:
        return True
    decision, _, result = when.partition(".")
    return DECISIONS[decision](state["values"], ctx) == result


def _ask(step: Step, state: dict, ctx: Context, attempt: int, reason: str = "") -> Ask:
    """The prompts for one attempt at a step: the question first, then escalating help."""
    base = step.ask
    prompts: list[Say] = []
    if attempt == 0:
        prompts += [Say((key,)) for key in step.say]
        prompts.append(Say((f"{base}.ask",)))
    else:
        prompts.append(Say((f"{base}.invalid.{reason}", f"common.{reason}", "common.no_match")))
        if attempt >= 2:
            prompts.append(Say((f"{base}.help", "")))
        prompts.append(Say((f"{base}.retry", f"{base}.ask")))
    # A choice offered only sometimes ("when: office_hours.open") is spoken after the question, then.
    prompts += [Say((c.say,)) for c in step.choices if c.say and _holds(c.when, state, ctx)]
    if step.expect == "pick":
        candidates = state["values"].get(step.pick_from) or []
        prompts += [
            Say((f"{base}.option",), {"n": n, **c}) for n, c in enumerate(candidates, start=1)
        ]
        prompts.append(Say((f"{base}.none",), {"n": len(candidates) + 1}))
    if attempt >= 2 and step.global_keys:
        prompts.append(Say(("common.keys_help",)))
    return Ask(
        step=step.name,
        prompts=tuple(prompts),
        record=step.expect == "record",
        hints=step.hints,
        digits=step.digits or (1 if step.expect in {"choice", "yes_no", "pick"} else None),
        timeout=step.timeout,
        max_length=step.max_length,
    )
