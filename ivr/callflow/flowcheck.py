"""Check that the flows hang together and use only words the line knows, so a broken flow fails at start-up.

Each refusal is one line naming the file, the step and the word, with the nearest known word when one is near:
"flows/referral.yaml: step age_check: unknown save field 'date_of_brith' (did you mean 'date_of_birth'?)".
"""

from __future__ import annotations

from collections.abc import Mapping

from ivr.callflow.flowbook import DIAL_OUTCOMES, FlowBook, Step, Transition
from ivr.callflow.vocabulary import Vocabulary, unknown
from ivr.callflow.yamlfile import FlowError

# Most options a question may offer (the main menu may offer more: callers learn it).
MOST_CHOICES = 4


def check(book: FlowBook, words: Vocabulary) -> None:
    """Refuse, with a FlowError in one line, flows that lead nowhere, are the wrong shape or use an unknown word."""
    for special in (book.start, book.menu, book.give_up):
        if special not in book.steps:
            raise FlowError(f"the flows need a step '{special}'")
    for step in book.steps.values():
        where = book.where(step.name)
        _check_words(book, step, where, words)
        _check_shape(book, step, where, words)
    _check_no_silent_loop(book)


def _transitions(step: Step) -> list[Transition]:
    return [*step.on.values(), *(choice.then for choice in step.choices)]


def _check_words(book: FlowBook, step: Step, where: str, words: Vocabulary) -> None:
    """Every step a transition names exists, and every flag, decision, effect and field is one the line knows."""
    for transition in _transitions(step):
        for target in (transition.next, transition.back_to):
            if target is not None and target not in book.steps:
                raise FlowError(f"{where}: {_unknown_step(book, step, target)}")
        if transition.flag is not None and transition.flag not in words.flags:
            raise FlowError(f"{where}: {unknown('flag', transition.flag, words.flags)}")
    for choice in step.choices:
        if choice.when is not None and ("." not in choice.when or choice.when.split(".")[0] not in words.decisions):
            raise FlowError(f"{where}: choice {choice.key} has 'when: {choice.when}', not '<decision>.<result>'")
    if step.decide is not None and step.decide not in words.decisions:
        raise FlowError(f"{where}: {unknown('decision', step.decide, words.decisions)}")
    if words.effects is not None:
        for effect in step.effects:
            if effect not in words.effects:
                raise FlowError(f"{where}: {unknown('effect', effect, words.effects)}")
    if words.records is not None:
        _check_kept(book, step, where, words.records, words.carried)


def _unknown_step(book: FlowBook, step: Step, target: str) -> str:
    """A step that does not exist, named as the flow wrote it: without its flow's name within the same flow."""
    def written(name: str) -> str:
        flow, _, local = name.partition(".")
        return local if flow == step.flow else name

    return unknown("step", written(target), [written(name) for name in book.steps])


def _check_kept(book: FlowBook, step: Step, where: str, records: Mapping[str, frozenset[str]],
                carried: frozenset[str]) -> None:
    """What a step keeps (`save:`, `set:`, `transcript:`) names fields of its flow's record; a flow without one may
    set only what the call carries to whichever record it makes (an interpreter asked for at the menu)."""
    kept = [("save field", name) for transition in _transitions(step) for name in transition.save]
    kept += [("set field", name) for transition in _transitions(step) for name in transition.set]
    kept += [("transcript field", step.transcript)] if step.transcript else []
    if step.record is None:
        kept = [(kind, name) for kind, name in kept if not (kind == "set field" and name in carried)]
        if kept:
            kind, name = kept[0]
            raise FlowError(f"{where}: {kind.split()[0]} '{name}' keeps nothing: the flow has no 'record:'")
        return
    if step.record not in records:
        raise FlowError(f"{book.sources.get(step.name, where)}: {unknown('record', step.record, records)}")
    for kind, name in kept:
        if name not in records[step.record]:
            raise FlowError(f"{where}: {unknown(kind, name, records[step.record])}")


def _check_shape(book: FlowBook, step: Step, where: str, words: Vocabulary) -> None:
    """A step has what its kind needs: a decision its results, a dial both endings, a question its answers."""
    if step.transcribe and step.expect != "record":
        raise FlowError(f"{where}: only a recording can be transcribed ('transcribe: true' needs 'expect: record')")
    if step.interpreter and not step.dial:
        raise FlowError(f"{where}: only a dial can bring in an interpreter ('interpreter: true' needs 'dial')")
    if step.decide or step.hangup or step.back:
        return
    if step.dial:
        if step.ask or step.expect or not set(DIAL_OUTCOMES) <= set(step.on):
            raise FlowError(f"{where}: a dial step asks nothing and needs 'on: connected' and 'on: not_connected'")
        return
    if step.ask is None:
        if step.expect or "ok" not in step.on:
            raise FlowError(f"{where}: a step that asks nothing needs 'next' and no 'expect'")
        return
    if step.expect is None:
        raise FlowError(f"{where}: a step that asks needs 'expect' (one of {', '.join(sorted(words.expects))})")
    if step.expect not in words.expects:
        raise FlowError(f"{where}: {unknown('expect', step.expect, words.expects)}")
    if step.expect == "choice" and not step.choices:
        raise FlowError(f"{where}: a choice step needs 'choices'")
    if step.expect == "yes_no" and not {"yes", "no"} <= set(step.on):
        raise FlowError(f"{where}: a yes/no step needs 'yes' and 'no'")
    if step.expect not in {"choice", "yes_no"} and not set(step.on) - {"max_retries", "none"}:
        raise FlowError(f"{where}: needs 'next'")
    if step.expect == "pick" and not (step.pick_from and "none" in step.on):
        raise FlowError(f"{where}: a pick step needs 'from' and 'on: none'")
    if len(step.choices) > MOST_CHOICES and step.name != book.menu:
        raise FlowError(f"{where}: more than {MOST_CHOICES} options is too many to hold in mind")


def _check_no_silent_loop(book: FlowBook) -> None:
    """No steps that ask nothing lead round to themselves: the caller would hear nothing until the engine gave up
    (engine.MAX_STEPS_PER_TURN), mid-call."""
    silent = {name: [t.next for t in _transitions(step)] for name, step in book.steps.items()
              if step.ask is None and not (step.dial or step.hangup or step.back)}
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            flow = name.split(".")[0]
            loop = [n.split(".", 1)[1] if n.split(".")[0] == flow else n for n in [*path[path.index(name):], name]]
            raise FlowError(f"{book.where(name)}: goes round {' -> '.join(loop)} without asking anything")
        if name in silent and name not in done:
            for target in silent[name]:
                visit(target, [*path, name])
            done.add(name)

    for name in silent:
        visit(name, [])
