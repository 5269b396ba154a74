"""Load the call flows in flows/ and check them, so a broken file fails at start-up, not on a call."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ivr.callflow.risk import RiskPhrases
from ivr.callflow.yamlfile import FlowError, read_yaml

# What a step can expect that the engine reads itself; any other `expect` must name one of the
# answer readers (answers.READERS), which load_flows is given as known_expects.
INPUT_KINDS = {"choice", "yes_no", "pick", "record"}
STEP_KEYS = {
    "say", "ask", "expect", "choices", "next", "yes", "no", "on", "value", "effects",
    "hangup", "retries", "hints", "digits", "decide", "outcome", "from", "timeout", "max_length",
    "global_keys", "transcript", "dial", "back",
}
# A step that puts the caller through (`dial: <a number in settings.yaml>`) goes on by how that ended.
DIAL_OUTCOMES = ("connected", "not_connected")
# Files beside the flows that are data, not flows.
DATA_FILES = {"risk-phrases.yaml"}


@dataclass(frozen=True)
class Transition:
    """Where a step goes next, and which answers to save on the way."""

    next: str
    save: tuple[str, ...] = ()
    set: dict[str, Any] = field(default_factory=dict)
    copy: dict[str, str] = field(default_factory=dict)  # value name -> the value to copy it from
    retry: bool = False
    back_to: str | None = None  # where a `back` step returns the caller to (e.g. after the crisis routes)
    flag: str | None = None  # flags the caller's referral urgent, with this reason


@dataclass(frozen=True)
class Choice:
    """One option of a menu: its key, the words that choose it by voice, and where it leads."""

    key: str
    words: tuple[str, ...]
    then: Transition
    say: str | None = None  # a prompt offering this choice, said after the question...
    when: str | None = None  # ...only while a decision has this result ("office_hours.open"); always if None


@dataclass(frozen=True)
class Step:
    """One step of a flow: what it says, what it asks, and where each answer leads."""

    name: str
    record: str | None
    say: tuple[str, ...] = ()
    ask: str | None = None
    expect: str | None = None
    choices: tuple[Choice, ...] = ()
    on: dict[str, Transition] = field(default_factory=dict)
    value: str | None = None
    effects: tuple[str, ...] = ()
    outcome: str | None = None
    hangup: bool = False
    retries: int = 2
    hints: str = ""
    digits: int | None = None
    decide: str | None = None
    pick_from: str | None = None
    timeout: int = 8
    max_length: int = 120
    global_keys: bool = True
    transcript: str | None = None  # keep whatever the caller says here, understood or not
    dial: str | None = None  # put the caller through to this number from settings.yaml (`numbers:`)
    back: bool = False  # return the caller to where they were before (the last transition's `back_to`)

    @property
    def flow(self) -> str:
        return self.name.split(".", 1)[0]


@dataclass(frozen=True)
class FlowBook:
    """Every step of every flow, by qualified name ("referral.date_of_birth")."""

    steps: dict[str, Step]
    start: str = "main.welcome"
    menu: str = "main.menu"
    give_up: str = "main.give_up"
    crisis: str = "crisis.now"  # where a risk phrase said at any question leads
    went_round: str = "main.went_round"  # after three returns to the menu without getting further
    # However a caller presses keys, a call ends gracefully after this many answers (a long real call is ~35).
    max_turns: int = 60
    risk: RiskPhrases | None = None  # flows/risk-phrases.yaml


def load_flows(directory: str | Path, known_expects: set[str], known_decisions: set[str]) -> FlowBook:
    """Read every flows/*.yaml file into one FlowBook and check that it hangs together."""
    steps: dict[str, Step] = {}
    sources: dict[str, str] = {}
    for path in sorted(p for p in Path(directory).glob("*.yaml") if p.name not in DATA_FILES):
        data = read_yaml(path)
        flow = data.get("flow") or path.stem
        raw_steps = data.get("steps")
        if not isinstance(raw_steps, dict) or not raw_steps:
            raise FlowError(f"{path.name}: no steps")
        for name, raw in raw_steps.items():
            qualified = f"{flow}.{name}"
            where = f"{path.name}, step '{name}'"
            steps[qualified] = _step(qualified, raw, flow, data.get("record"), where)
            sources[qualified] = where
    book = FlowBook(steps=steps)
    _check(book, sources, known_expects, known_decisions)
    return book


def _qualify(target: str, flow: str) -> str:
    return target if "." in target else f"{flow}.{target}"


def _transition(raw: Any, flow: str, where: str) -> Transition:
    if isinstance(raw, str):
        return Transition(next=_qualify(raw, flow))
    if isinstance(raw, dict) and isinstance(raw.get("next"), str):
        save = raw.get("save", ())
        return Transition(
            next=_qualify(raw["next"], flow),
            save=tuple([save] if isinstance(save, str) else save),
            set=dict(raw.get("set", {})),
            copy=dict(raw.get("copy", {})),
            retry=bool(raw.get("retry", False)),
            back_to=_qualify(raw["back_to"], flow) if raw.get("back_to") else None,
            flag=raw.get("flag"),
        )
    raise FlowError(f"{where}: a transition must be a step name or have 'next'")


def _step(name: str, raw: Any, flow: str, record: str | None, where: str) -> Step:
    if not isinstance(raw, dict):
        raise FlowError(f"{where}: expected a mapping")
    unknown = set(raw) - STEP_KEYS
    if unknown:
        raise FlowError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    on = {k: _transition(v, flow, where) for k, v in (raw.get("on") or {}).items()}
    for key in ("next", "yes", "no"):
        if key in raw:
            on["ok" if key == "next" else key] = _transition(raw[key], flow, where)
    choices = tuple(
        Choice(
            key=str(key),
            words=tuple(w.strip().lower() for w in str(spec.get("words", "")).split(",") if w.strip()),
            then=_transition(spec, flow, where),
            say=spec.get("say"),
            when=spec.get("when"),
        )
        for key, spec in (raw.get("choices") or {}).items()
    )
    say = raw.get("say", ())
    return Step(
        name=name,
        record=record,
        say=tuple([say] if isinstance(say, str) else say),
        ask=raw.get("ask"),
        expect=raw.get("expect"),
        choices=choices,
        on=on,
        value=raw.get("value"),
        effects=tuple(raw.get("effects", ())),
        outcome=raw.get("outcome"),
        hangup=bool(raw.get("hangup", False)),
        retries=int(raw.get("retries", 2)),
        hints=str(raw.get("hints", "")),
        digits=raw.get("digits"),
        decide=raw.get("decide"),
        pick_from=raw.get("from"),
        timeout=int(raw.get("timeout", 30 if raw.get("dial") else 8)),  # a dial rings for longer
        max_length=int(raw.get("max_length", 120)),
        global_keys=bool(raw.get("global_keys", True)),
        transcript=raw.get("transcript"),
        dial=raw.get("dial"),
        back=bool(raw.get("back", False)),
    )


def _check(book: FlowBook, sources: dict[str, str], expects: set[str], decisions: set[str]) -> None:
    for special in (book.start, book.menu, book.give_up):
        if special not in book.steps:
            raise FlowError(f"the flows need a step '{special}'")
    for step in book.steps.values():
        where = sources[step.name]
        transitions = [*step.on.values(), *(c.then for c in step.choices)]
        targets = [t.next for t in transitions] + [t.back_to for t in transitions if t.back_to]
        for target in targets:
            if target not in book.steps:
                raise FlowError(f"{where}: goes to '{target}', which does not exist")
        for choice in step.choices:
            if choice.when is not None and ("." not in choice.when or choice.when.split(".")[0] not in decisions):
                raise FlowError(f"{where}: choice {choice.key} has 'when: {choice.when}', not '<decision>.<result>'")
        if step.decide:
            if step.decide not in decisions:
                raise FlowError(f"{where}: unknown decision '{step.decide}'")
            continue
        if step.hangup or step.back:
            continue
        if step.dial:
            if step.ask or step.expect or not set(DIAL_OUTCOMES) <= set(step.on):
                raise FlowError(f"{where}: a dial step asks nothing and needs 'on: connected' and 'on: not_connected'")
            continue
        if step.ask is None:
            if step.expect or "ok" not in step.on:
                raise FlowError(f"{where}: a step that asks nothing needs 'next' and no 'expect'")
            continue
        if step.expect not in INPUT_KINDS | expects:
            raise FlowError(f"{where}: unknown 'expect: {step.expect}'")
        if step.expect == "choice" and not step.choices:
            raise FlowError(f"{where}: a choice step needs 'choices'")
        if step.expect == "yes_no" and not {"yes", "no"} <= set(step.on):
            raise FlowError(f"{where}: a yes/no step needs 'yes' and 'no'")
        if step.expect not in {"choice", "yes_no"} and not set(step.on) - {"max_retries", "none"}:
            raise FlowError(f"{where}: needs 'next'")
        if step.expect == "pick" and not (step.pick_from and "none" in step.on):
            raise FlowError(f"{where}: a pick step needs 'from' and 'on: none'")
        if len(step.choices) > 4 and step.name != book.menu:
            raise FlowError(f"{where}: more than four options is too many to hold in mind")


def prompt_keys(step: Step) -> list[str]:
    """The prompt keys a step cannot do without."""
    keys = list(step.say) + [choice.say for choice in step.choices if choice.say]
    if step.ask and not step.decide:
        keys.append(f"{step.ask}.ask")
        if step.expect == "pick":
            keys += [f"{step.ask}.option", f"{step.ask}.none"]
    return keys
