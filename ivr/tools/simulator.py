"""A call in the terminal: the pretend phone rings the real app in-process and prints what it hears."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import inspect, select

from ivr.callflow.flowbook import FlowBook, Step
from ivr.callflow.readers import READERS
from ivr.extensions import db
from ivr.models import Call, CallStep
from ivr.tools.caller import Caller, Lost, step_asked
from ivr.tools.phone import LineError, Phone

WITHHELD = "anonymous"  # what Twilio sends as From for a withheld number
HELP = (
    "Type keys (14031988, *, #), 'say: park surgery heanor' to speak, 'record' to leave a recording,\n"
    "an empty line to stay silent, or 'hangup' to end the call."
)
NEEDS = {
    "yes_no": "1 for yes or 2 for no, or speech",
    "pick": "a key for one of the practices offered",
    **{kind: reader.needs for kind, reader in READERS.items()},
}


class ScriptError(Exception):
    """A scripted call went differently from its script."""


# What a person types while the line puts them through, and the DialCallStatus Twilio would send.
DIAL_ENDINGS = {"answered": "completed", "busy": "busy", "no-answer": "no-answer", "failed": "failed"}


def caller_id(number: str) -> str:
    """What Twilio sends as From: the number, or 'anonymous' for --from withheld."""
    return WITHHELD if number.strip().lower() == "withheld" else number.strip()


def schema_missing() -> bool:
    """True if the database has not been migrated: the line cannot keep a call."""
    tables = set(inspect(db.engine).get_table_names())
    return not {"calls", "call_steps", "referrals"} <= tables


def parse_script(script: str) -> list[str]:
    """A --script string as inputs: comma-separated, an empty item is silence."""
    return [item.strip() for item in script.split(",")]


def waiting_description(phone: Phone, step: Step | None) -> str:
    """What the line is waiting for, in a caller's words."""
    if phone.ended or phone.waiting_for is None:
        return "nothing: the call has ended"
    if phone.waiting_for.tag == "Record":
        return "a recording (type record; record * to end it with star, which records again)"
    if phone.waiting_for.tag == "Dial":
        return f"the call to {phone.dialled} to end: answered, busy, no-answer or failed"
    if step is not None and step.expect == "choice":
        return f"a key ({', '.join(c.key for c in step.choices)}), or speech"
    return NEEDS.get(step.expect if step else "", "keys or speech")


@dataclass
class Speaker:
    """Reads prompts aloud through espeak-ng when asked to and installed; otherwise stays quiet."""

    wanted: bool
    echo: Callable[[str], None]
    program: str | None = None
    working: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        if not self.wanted:
            return
        self.program = shutil.which("espeak-ng")
        if self.program is None:
            self.echo("(espeak-ng isn't installed, so the prompts are only printed: apt-get install espeak-ng)")
        self.working = self.program is not None

    def speak(self, text: str) -> None:
        """Speak text in a British English voice; a failing speaker is switched off, never fatal."""
        if not (self.working and text):
            return
        try:
            subprocess.run([self.program, "-v", "en-gb", text], check=True, timeout=120,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError) as error:
            self.echo(f"(espeak-ng could not speak, carrying on without sound: {error})")
            self.working = False


@dataclass
class TerminalCall:
    """One call from the terminal: feeds the phone the caller's inputs and prints what happens."""

    phone: Phone
    book: FlowBook
    echo: Callable[[str], None]
    speaker: Speaker
    width: int = 88
    _last_step_id: int = 0

    def start(self) -> None:
        """Ring the line and print the welcome."""
        self.phone.dial()
        self.show()

    def act(self, line: str) -> None:
        """Do what the caller typed; raises ValueError for input that means nothing, LineError from the line."""
        text = line.strip()
        command = text.lower()
        if command in {"hangup", "hang up"}:
            self.phone.hang_up()
            self._echo_steps()
            self.echo("(you hung up)")
            return
        if self.phone.dialled and command in DIAL_ENDINGS:
            self.phone.dial_ends(DIAL_ENDINGS[command])
        elif not text or command == "silence" or text == "#":  # '#' alone: Twilio sends nothing
            self.phone.silence()
        elif command.split()[0] == "record":  # "record *": ended by that key (any key ends it; * records again)
            self.phone.record(ended_by=(command.split() + ["#"])[1])
        elif command.startswith("say:"):
            words = text[4:].strip()
            if not words:
                raise ValueError("say: needs some words, e.g. say: park surgery heanor")
            self.phone.say(words)
        elif all(c in "0123456789*#" for c in text.replace(" ", "")):
            self.phone.press(text.replace(" ", ""))  # the phone drops finishOnKey, as Twilio does
        else:
            raise ValueError(f"'{text}' isn't something a caller can do. {HELP}")
        self.show()

    @property
    def step(self) -> Step | None:
        """The step the line is asking, as its answer URL names it (what the step caller goes by too)."""
        return self.book.steps.get(step_asked(self.phone) or "")

    def show(self) -> None:
        for said in self.phone.heard:
            self.echo(self._wrap(said, "Line: "))
            self.speaker.speak(said)
        self._echo_steps()
        if self.phone.ended:
            if self.phone.hang_up() >= 400:  # Twilio's status callback, as after any real call
                self.echo("(the line refused the call-ended callback)")
            self.echo("(the line hung up)")
        else:
            self.echo(f"      waiting for {waiting_description(self.phone, self.step)}")

    def _echo_steps(self) -> None:
        db.session.expire_all()
        steps = db.session.scalars(
            select(CallStep).join(Call).where(
                Call.call_sid == self.phone.call_sid, CallStep.id > self._last_step_id
            ).order_by(CallStep.id)
        ).all()
        if steps:
            self._last_step_id = steps[-1].id
            route = " → ".join(f"{s.step}" + ("" if s.event == "enter" else f" ({s.event})") for s in steps)
            self.echo(self._wrap(route, "      step: "))

    def _wrap(self, text: str, prefix: str) -> str:
        return textwrap.fill(
            text, width=self.width, initial_indent=prefix, subsequent_indent=" " * len(prefix),
            break_on_hyphens=False,
        )


def run_script(call: TerminalCall, inputs: list[str]) -> None:
    """Play every input in turn, printing them as '> input'; raises ScriptError if the call goes astray."""
    call.start()
    for number, item in enumerate(inputs, start=1):
        if call.phone.ended:
            left = ", ".join(inputs[number - 1:])
            raise ScriptError(
                f"input {number} ('{item}') came after the call had ended; not played: {left}"
            )
        call.echo(f"> {item or '(silence)'}")
        try:
            call.act(item)
        except ValueError as error:
            raise ScriptError(f"input {number}: {error}") from None
    if not call.phone.ended:
        waiting = waiting_description(call.phone, call.step)
        call.phone.hang_up()
        raise ScriptError(
            f"the script ended while the line was still waiting for {waiting}; "
            "add the next input, or end the script with hangup"
        )


def parse_answers(answers: tuple[str, ...]) -> dict[str, str]:
    """--answer STEP=INPUT items as the inputs to give each step; raises ScriptError for one without a '='."""
    parsed = {}
    for item in answers:
        step, equals, given = item.partition("=")
        if not equals or not step.strip():
            raise ScriptError(f"'{item}' names no step: write it as STEP=INPUT, e.g. referral.name=say:Sam Taylor")
        parsed[step.strip()] = given.strip()
    return parsed


def run_by_step(call: TerminalCall, answers: dict[str, str]) -> None:
    """Answer each question by the step asking it: the inputs given for named steps, and the step caller's defaults
    for the rest (a whole self-referral), so a script written this way still runs when a question is added."""
    call.start()
    caller = Caller(call.phone, {step: _as_answer(given) for step, given in answers.items()})
    while not call.phone.ended:
        step = caller.step
        given = answers.get(step or "")
        call.echo(f"> {step}: {given if given is not None else '(the usual answer)'}")
        try:
            caller.answer()
        except Lost as error:
            call.phone.hang_up()
            raise ScriptError(f"{error}; give it with --answer STEP=INPUT") from None
        call.show()


def _as_answer(given: str):
    """A simulator input ("say:...", keys, "record", "" for silence) as the step caller's answer."""
    if given.lower().startswith("say:"):
        return given[4:].strip()
    if given.lower() == "record":
        return lambda phone: phone.record(seconds=3)
    if given.lower() in DIAL_ENDINGS:
        return lambda phone: phone.dial_ends(DIAL_ENDINGS[given.lower()])
    return given.replace(" ", "") or None


def run_interactive(call: TerminalCall, read_line: Callable[[], str | None]) -> None:
    """Take the caller's inputs from the terminal until the call ends; end of input hangs up."""
    call.echo(HELP)
    call.start()
    while not call.phone.ended:
        line = read_line()
        if line is None:
            call.act("hangup")
            return
        if line.strip().lower() in {"help", "?"}:
            call.echo(HELP)
            continue
        try:
            call.act(line)
        except ValueError as error:
            call.echo(str(error))


__all__ = ["LineError", "ScriptError", "TerminalCall", "Speaker", "run_script", "run_by_step", "run_interactive"]
