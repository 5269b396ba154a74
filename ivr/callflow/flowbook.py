"""Read the call flows in flows/ into steps, refusing a file of the wrong shape in one line naming file and step."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ivr.callflow.risk import RiskModel
from ivr.callflow.vocabulary import unknown
from ivr.callflow.yamlfile import FlowError, label, read_yaml

# What a step can expect that the engine reads itself; any other `expect` must name one of the
# answer readers (readers.READERS): line.vocabulary() knows both.
INPUT_KINDS = frozenset({"choice", "yes_no", "pick", "record"})
FILE_KEYS = frozenset({"flow", "record", "steps"})
STEP_KEYS = frozenset({
    "say", "ask", "expect", "choices", "next", "yes", "no", "on", "value", "effects",
    "hangup", "retries", "hints", "digits", "decide", "outcome", "from", "timeout", "max_length",
    "global_keys", "transcript", "dial", "back", "transcribe", "said", "interpreter",
})
# What a transition may say besides where it goes (Transition's fields), and a menu choice besides that.
TRANSITION_KEYS = frozenset({"next", "save", "set", "copy", "retry", "back_to", "flag"})
CHOICE_KEYS = frozenset({"words", "say", "when"})
# A step that puts the caller through (`dial: <a number in settings.yaml>`) goes on by how that ended.
DIAL_OUTCOMES = ("connected", "not_connected")
# Files beside the flows that are data, not flows: the risk vocabulary, and one per language (risk.pl-PL.yaml).
DATA_FILES = {"risk.yaml"}
DATA_PREFIX = "risk."


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
    said: str | None = None  # every try said or keyed here, in this value, saved only by a transition that names it
    dial: str | None = None  # put the caller through to this number from settings.yaml (`numbers:`)
    interpreter: bool = False  # a dial for a caller who needs an interpreter: the language is whispered to staff
    back: bool = False  # return the caller to where they were before (the last transition's `back_to`)
    transcribe: bool = False  # a recording Twilio also transcribes (the transcript is checked for risk)

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
    # However a caller presses keys, a call ends gracefully after this many answers (a long real call is ~35).
    max_turns: int = 60
    risk: RiskModel | None = None  # flows/risk.yaml
    sources: dict[str, str] = field(default_factory=dict)  # step -> its file, as errors name it ("flows/main.yaml")

    def where(self, name: str) -> str:
        """A step as an error names it: 'flows/referral.yaml: step date_of_birth'."""
        step = name.partition(".")[2]
        return f"{self.sources[name]}: step {step}" if name in self.sources else f"step {name}"


def load_flows(directory: str | Path) -> FlowBook:
    """Read every flows/*.yaml file into one FlowBook (flowcheck.check then checks that it hangs together)."""
    steps: dict[str, Step] = {}
    sources: dict[str, str] = {}
    paths = sorted(p for p in Path(directory).glob("*.yaml")
                   if p.name not in DATA_FILES and not p.name.startswith(DATA_PREFIX))
    if not paths:
        raise FlowError(f"{directory}: no flows here (flows/*.yaml)")
    for path in paths:
        data, file = read_yaml(path), label(path)
        if extra := sorted(set(data) - FILE_KEYS):
            raise FlowError(f"{file}: {unknown('key', extra[0], FILE_KEYS)}")
        flow = str(data.get("flow") or path.stem)
        raw_steps = data.get("steps")
        if not isinstance(raw_steps, dict) or not raw_steps:
            raise FlowError(f"{file}: no steps")
        for name, raw in raw_steps.items():
            qualified, where = f"{flow}.{name}", f"{file}: step {name}"
            if qualified in steps:
                raise FlowError(f"{where}: flow '{flow}' has a step '{name}' already, in {sources[qualified]}")
            steps[qualified] = _parsed(qualified, raw, flow, _word(data, "record", file), where)
            sources[qualified] = file
    return FlowBook(steps=steps, sources=sources)


def _qualify(target: str, flow: str) -> str:
    return target if "." in target else f"{flow}.{target}"


def _word(raw: dict, key: str, where: str) -> str | None:
    """A name (`ask:`, `expect:`, `flag:` ...), or None if not given."""
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise FlowError(f"{where}: '{key}' must be a word, not {value!r}")
    return value


def _words(raw: dict, key: str, where: str) -> tuple[str, ...]:
    """A word or a list of words (`say:`, `save:`, `effects:`)."""
    value = raw.get(key, [])
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(word, str) for word in value):
        return tuple(value)
    raise FlowError(f"{where}: '{key}' must be a word or a list of words, not {value!r}")


def _mapping(raw: dict, key: str, where: str) -> dict:
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        raise FlowError(f"{where}: '{key}' must be a mapping (name: value), not {value!r}")
    return value


def _whole(raw: dict, key: str, default: int | None, where: str) -> int | None:
    value = raw.get(key, default)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise FlowError(f"{where}: '{key}' must be a whole number, not {value!r}")
    return value


def _transition(raw: Any, flow: str, where: str, keys: frozenset[str] = TRANSITION_KEYS) -> Transition:
    if isinstance(raw, str):
        return Transition(next=_qualify(raw, flow))
    if not (isinstance(raw, dict) and isinstance(raw.get("next"), str)):
        raise FlowError(f"{where}: a transition must be a step name or have 'next', not {raw!r}")
    if extra := sorted(set(raw) - keys):  # a misspelt `flag` must not go unheard: the referral would not be urgent
        raise FlowError(f"{where}: {unknown('key', extra[0], keys)}")
    back_to = _word(raw, "back_to", where)
    return Transition(
        next=_qualify(raw["next"], flow),
        save=_words(raw, "save", where),
        set=_mapping(raw, "set", where),
        copy=_mapping(raw, "copy", where),
        retry=bool(raw.get("retry", False)),
        back_to=_qualify(back_to, flow) if back_to else None,
        flag=_word(raw, "flag", where),
    )


def _parsed(name: str, raw: Any, flow: str, record: str | None, where: str) -> Step:
    """One step, or a FlowError in one line for a value of the wrong shape anywhere in it."""
    if not isinstance(raw, dict):
        raise FlowError(f"{where}: expected a mapping, not {raw!r}")
    if extra := sorted(set(raw) - STEP_KEYS):
        raise FlowError(f"{where}: {unknown('key', extra[0], STEP_KEYS)}")
    try:
        return _step(name, raw, flow, record, where)
    except FlowError:
        raise
    except (TypeError, ValueError, AttributeError) as error:  # a shape no check above foresaw: still one line
        raise FlowError(f"{where}: {error}") from None


def _step(name: str, raw: dict, flow: str, record: str | None, where: str) -> Step:
    on = {str(k): _transition(v, flow, where) for k, v in _mapping(raw, "on", where).items()}
    for key in ("next", "yes", "no"):
        if key in raw:
            on["ok" if key == "next" else key] = _transition(raw[key], flow, where)
    choices = []
    for key, spec in _mapping(raw, "choices", where).items():
        if not isinstance(spec, dict):
            raise FlowError(f"{where}: choice {key} needs 'words' and 'next', not {spec!r}")
        at = f"{where}: choice {key}"
        then = _transition(spec, flow, at, TRANSITION_KEYS | CHOICE_KEYS)
        words = str(spec.get("words", "")).split(",")
        choices.append(Choice(key=str(key), words=tuple(w.strip().lower() for w in words if w.strip()), then=then,
                              say=_word(spec, "say", at), when=_word(spec, "when", at)))
    return Step(
        name=name,
        record=record,
        say=_words(raw, "say", where),
        ask=_word(raw, "ask", where),
        expect=_word(raw, "expect", where),
        choices=tuple(choices),
        on=on,
        value=_word(raw, "value", where),
        effects=_words(raw, "effects", where),
        outcome=_word(raw, "outcome", where),
        hangup=bool(raw.get("hangup", False)),
        retries=_whole(raw, "retries", 2, where),
        hints=str(raw.get("hints", "")),
        digits=_whole(raw, "digits", None, where),
        decide=_word(raw, "decide", where),
        pick_from=_word(raw, "from", where),
        timeout=_whole(raw, "timeout", 30 if raw.get("dial") else 8, where),  # a dial rings for longer
        max_length=_whole(raw, "max_length", 120, where),
        global_keys=bool(raw.get("global_keys", True)),
        transcript=_word(raw, "transcript", where),
        said=_word(raw, "said", where),
        dial=_word(raw, "dial", where),
        interpreter=bool(raw.get("interpreter", False)),
        back=bool(raw.get("back", False)),
        transcribe=bool(raw.get("transcribe", False)),
    )


def prompt_keys(step: Step) -> list[str]:
    """The prompt keys a step cannot do without."""
    keys = list(step.say) + [choice.say for choice in step.choices if choice.say]
    if step.ask and not step.decide:
        keys.append(f"{step.ask}.ask")
        if step.expect == "pick":
            keys += [f"{step.ask}.option", f"{step.ask}.none"]
    return keys
