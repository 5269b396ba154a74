"""The call engine: (flows, call state, caller's event) -> (new state, actions). Pure: no Flask,
no database, no Twilio. Modelled on VoiceXML's form interpretation: say, collect, process, with a
retry counter per step for escalating re-prompts."""

from __future__ import annotations

import marshal
from dataclasses import replace
from typing import Any

from ivr.callflow import answers, asides, choosing, needs, urgency
from ivr.callflow.actions import Action, Ask, Dial, Effect, Hangup, Outcome, Save, Say, Visit
from ivr.callflow.answers import Answer, Context, Event, Retry
from ivr.callflow.decisions import DECISIONS
from ivr.callflow.flowbook import FlowBook, FlowError, Step, Transition
from ivr.callflow.readers import READERS

__all__ = ["DECISIONS", "Action", "Ask", "Dial", "Effect", "Hangup", "Outcome", "Save", "Say", "Visit", "advance",
           "new_state"]
# Twilio's DialCallStatus for a call that was answered (https://www.twilio.com/docs/voice/twiml/dial#action).
CONNECTED = {"completed", "answered"}
# A flow that loops through steps which ask nothing would never answer Twilio.
MAX_STEPS_PER_TURN = 40
# The key that ended a recording (Twilio's Digits): * records it again, 9 keeps it and is help now; any other ends it.
HELP_OFFER = "common.help_offer"  # "If you need help right now, press 9."
RECORDING_KEYS = {asides.REPEAT_KEY: "record_again", asides.HELP_KEY: "help_now"}
DISCARD = "discard_recording"  # the effect that queues a recording recorded over for deletion at Twilio




def new_state(values: dict[str, Any] | None = None) -> dict[str, Any]:
    """The state of a call that has not started yet."""
    return {"step": None, "tries": {}, "values": dict(values or {}), "turns": 0}


def advance(book: FlowBook, state: dict, event: Event, ctx: Context) -> tuple[dict, list[Action]]:
    """Run one turn of the call: what the caller did, in the step they are at."""
    state = _copied(state)
    actions: list[Action] = []
    if event.kind == "start":
        _enter(book, state, book.start, actions, ctx)
    else:
        _turn(book, state, event, actions, ctx)
    actions += urgency.flag_saves(state, actions)
    return state, actions


def _copied(value: Any) -> Any:
    """A copy of the state to change, the caller's untouched. It is JSON's dicts, lists, strings, numbers and None,
    which marshal copies exactly, in C: a walk in Python (or deepcopy) cost a turn more."""
    return marshal.loads(marshal.dumps(value))


def _turn(book: FlowBook, state: dict, event: Event, actions: list, ctx: Context) -> None:
    state["turns"] += 1
    zero = state.pop("zero", None)
    step = book.steps.get(state.get("step") or "")
    if step is None or (step.ask is None and step.dial is None) or state["turns"] > book.max_turns:
        _enter(book, state, book.give_up, actions, ctx)
        return
    if step.dial:  # anything but Twilio's word that the call was answered counts as not put through
        connected = event.kind == "dial" and event.text in CONNECTED
        actions.append(Visit(step.name, f"dial_{event.text.replace('-', '_')}" if event.kind == "dial" else "resume"))
        _go(book, state, step, step.on["connected" if connected else "not_connected"], actions, ctx)
        return
    if event.kind == "resume" or needs.waits(step, state, event):  # out of date, or a relay caller still typing
        actions += [Visit(step.name, needs.waited(event)), needs.asked(event, _ask(step, state, ctx, attempt=0))]
        return
    # A caller at risk is heard at every question, before the question reads the answer (or keeps it); key 9 (or
    # "nine" said alone) is help now at every question, never part of an answer.
    if (heard := urgency.heard(book, step, event)) is not None:
        actions.append(Visit(step.name, "risk_phrase"))
        actions += urgency.raise_flag(state, urgency.RISK_REASON + heard.category, step.name, event.text)
        _go(book, state, step, step.on.get("risk") or urgency.to_crisis(book, step, heard.category), actions, ctx)
        return
    if step.global_keys and asides.is_help_now(event, ctx.hearing):
        actions.append(Visit(step.name, "help_now"))
        actions += urgency.raise_flag(state, "help_now_key", step.name)
        _go(book, state, step, step.on.get("help_now") or urgency.to_crisis(book, step), actions, ctx)
        return
    if step.global_keys and asides.is_repeat(event, ctx.hearing):
        actions += [Visit(step.name, "repeat"), _ask(step, state, ctx, attempt=0)]
        return
    if step.global_keys and asides.is_menu(event, ctx.hearing):
        if event.kind == "digits" and zero != step.name and step.name != book.menu:
            state["zero"] = step.name  # a single 0 asks first: "press 0 again for the main menu"
            actions += [Visit(step.name, "zero"), _ask(step, state, ctx, 0, lead=(Say(("common.zero_check",)),))]
            return
        actions.append(Visit(step.name, "menu"))
        _enter(book, state, book.menu, actions, ctx)
        return

    if step.transcript and event.kind in {"speech", "digits"}:
        state["values"][step.transcript] = event.text
        if step.record:
            actions.append(Save(step.record, step.transcript, event.text))
    if step.said and event.kind in {"speech", "digits"}:  # every try, kept only if a transition saves it
        state["values"][step.said] = "; ".join(filter(None, (state["values"].get(step.said), event.text)))
    result = needs.noticed(step, event, ctx, _interpret(step, state, event, ctx))
    if isinstance(result, Retry):
        offer_help = asides.unread_sentence(step, event, result.reason, ctx.hearing)
        if offer_help:
            urgency.note_besides(book, state, step.name, event.text)
        _retry(book, state, step, result, actions, ctx, offer_help=offer_help)
        return
    if step.expect == "record" and result.outcome in RECORDING_KEYS.values():
        _recording_key(book, state, step, result, actions, ctx)
        return
    if result.outcome == "more":  # the next three of a long list
        state["page"] = choosing.next_page(state["values"].get(step.pick_from) or [], state.get("page", 0))
        actions += [Visit(step.name, "more"), _ask(step, state, ctx, attempt=0)]
        return
    state["values"].update(result.also)
    if asides.more_than_an_answer(step, event, result.value, ctx.hearing):
        actions.append(Say((HELP_OFFER,)))
        urgency.note_besides(book, state, step.name, event.text)
    if step.value:
        state["values"][step.value] = result.value
        if result.spoken:
            state["values"][f"{step.value}_spoken"] = result.spoken
    _go(book, state, step, _transition_for(step, result), actions, ctx)


def _interpret(step: Step, state: dict, event: Event, ctx: Context) -> Answer | Retry:
    if event.kind == "no_input":  # silence is an answer where the step says where it goes (an offer, not a question)
        return Answer(None, outcome="no_input") if "no_input" in step.on else Retry("no_input")
    if step.expect == "record":  # the key that ended it, if one did: * records again, 9 is help now
        return Answer(event.recording, outcome=RECORDING_KEYS.get(event.text, "ok")) if event.kind == "recording" \
            else Retry("no_input")
    if event.kind not in {"digits", "speech"}:
        return Retry()
    if step.expect in {"choice", "yes_no", "pick"}:
        event = choosing.spoken_key(event, ctx.hearing)
    if step.expect == "choice":
        return choosing.choose(step, event)
    if step.expect == "yes_no":
        result = answers.yes_no(event, ctx)
        unsure = isinstance(result, Answer) and result.outcome == "unsure" and "unsure" not in step.on
        return Retry("unsure") if unsure else result
    if step.expect == "pick":
        return choosing.pick(state["values"].get(step.pick_from) or [], state.get("page", 0), event, ctx.saying)
    return READERS[step.expect].read(event, ctx)


def _recording_key(book: FlowBook, state: dict, step: Step, result: Answer, actions: list, ctx: Context) -> None:
    """A recording ended by *: dropped (queued for deletion at Twilio) and the tone again, without what the step said
    before it (the crisis routes). Ended by 9: kept, then help now, and back to what follows the recording."""
    if result.outcome == "record_again":
        state["discarded"] = result.value
        again = (Say(("common.record_again",)),)
        actions += [Visit(step.name, "record_again"), Effect(DISCARD), _ask(step, state, ctx, attempt=0, lead=again)]
        return
    state["values"][step.value] = result.value
    actions.append(Visit(step.name, "help_now"))
    actions += urgency.raise_flag(state, "help_now_key", step.name)
    kept = step.on["ok"]
    _go(book, state, step, replace(kept, next=urgency.to_crisis(book, step).next, back_to=kept.next), actions, ctx)


def _transition_for(step: Step, result: Answer) -> Transition:
    if result.outcome.startswith("choice:"):
        key = result.outcome.split(":", 1)[1]
        return next(c.then for c in step.choices if c.key == key)
    return step.on.get(result.outcome) or step.on["ok"]


def _retry(book: FlowBook, state: dict, step: Step, result: Retry, actions: list, ctx: Context,
           offer_help: bool = False) -> None:
    tries = state["tries"][step.name] = state["tries"].get(step.name, 0) + 1
    actions.append(Visit(step.name, result.reason))
    if tries > step.retries:
        if offer_help:
            actions.append(Say((HELP_OFFER,)))
        _out_of_tries(book, state, step, actions, ctx)
        return
    actions.append(_ask(step, state, ctx, attempt=tries, reason=result.reason, offer_help=offer_help))


def _out_of_tries(book: FlowBook, state: dict, step: Step, actions: list, ctx: Context) -> None:
    """The tries at a step are used up: on along its own way (saying first what that means, `<ask>.go_on`, if the
    prompts have it), or, for a step with none, the kind goodbye."""
    actions.append(Visit(step.name, "max_retries"))
    if "max_retries" not in step.on:
        _go(book, state, step, Transition(book.give_up), actions, ctx)
        return
    if step.ask:
        actions.append(Say((f"{step.ask}.go_on", "")))
    _go(book, state, step, step.on["max_retries"], actions, ctx)


def _go(book: FlowBook, state: dict, step: Step, transition: Transition, actions: list, ctx: Context) -> None:
    """Leave a step along a transition: set and save answers, then enter the next step."""
    _keep_answers(state, step, transition, actions)
    target = book.steps[transition.next]
    if not transition.retry:
        _enter(book, state, target.name, actions, ctx)
        return
    tries = state["tries"][target.name] = state["tries"].get(target.name, 0) + 1
    if tries > target.retries:
        _out_of_tries(book, state, target, actions, ctx)
        return
    state["step"], state["page"] = target.name, 0
    actions += [Visit(target.name, "try_again"), _ask(target, state, ctx, attempt=tries, reason="try_again")]


def _keep_answers(state: dict, step: Step, transition: Transition, actions: list) -> None:
    """Set what the transition sets and save what it saves, on the step's record; note a flag and a way back."""
    values = state["values"]
    values.update(transition.set)
    values.update({name: values.get(source) for name, source in transition.copy.items()})
    if step.record:
        actions += [Save(step.record, n, values.get(n)) for n in (*transition.save, *transition.set)]
    if transition.flag:
        actions += urgency.raise_flag(state, transition.flag, step.name)
    if transition.back_to:
        state["back_to"] = transition.back_to


def _enter(book: FlowBook, state: dict, name: str, actions: list, ctx: Context) -> None:
    """Enter a step and run on through steps that ask nothing, until one waits for the caller."""
    for _ in range(MAX_STEPS_PER_TURN):
        step = book.steps[name]
        state["step"], state["page"] = name, 0
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
            actions.append(Dial(step.name, step.dial, step.timeout, step.interpreter))
            return
        elif step.ask is None:
            actions += [Say((key,)) for key in step.say]
            if step.hangup:
                actions.append(Hangup())
                return
            if step.back:  # back to where the caller was (or the menu), asked afresh
                transition = Transition(state.pop("back_to", None) or book.menu)
            else:
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


def _ask(step: Step, state: dict, ctx: Context, attempt: int, reason: str = "",
         lead: tuple[Say, ...] | None = None, offer_help: bool = False) -> Ask:
    """The prompts for one attempt at a step: the question first, then escalating help (and how to get help now,
    after a sentence it could not read)."""
    base = step.ask
    prompts: list[Say] = []
    if attempt == 0:
        prompts += lead if lead is not None else [Say((key,)) for key in step.say]
        prompts.append(Say((f"{base}.ask",)))
    else:
        prompts.append(Say((f"{base}.invalid.{reason}", f"common.{reason}", "common.no_match")))
        if offer_help:
            prompts.append(Say((HELP_OFFER,)))
        if attempt >= 2:
            prompts.append(Say((f"{base}.help", "")))
        prompts.append(Say((f"{base}.retry", f"{base}.ask")))
    # A choice offered only sometimes ("when: office_hours.open") is spoken after the question, then; 9's ("For
    # help now, press 9") is not said after the help offer.
    prompts += [Say((c.say,)) for c in step.choices
                if c.say and _holds(c.when, state, ctx) and not (offer_help and c.key == asides.HELP_KEY)]
    if step.expect == "pick":
        prompts += choosing.offer(base, state["values"].get(step.pick_from) or [], state.get("page", 0))
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
        transcribe=step.transcribe,
    )
