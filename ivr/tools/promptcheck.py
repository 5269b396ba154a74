"""Check the prompts for what a caller would struggle with, and for keys missing or never used."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

from ivr.callflow.flowbook import FlowBook, FlowError, Step, prompt_keys
from ivr.callflow.needs import CARRIED, LANGUAGE_SPOKEN
from ivr.callflow.prompts import Prompts
from ivr.texts import compose
from ivr.tools.timing import TYPICAL_PRACTICES, TYPICAL_VALUES

MAX_SENTENCE_WORDS = 25
MAX_OPTIONS = 4
CODE_DIR = Path(__file__).resolve().parent.parent  # all of ivr/
# Prompts the code itself speaks (apologies, re-prompts, crisis routes, Call now's bridge, the interpreter whisper to
# staff, the menu's offers as a caller's needs change them) live in these sections.
CODE_SECTIONS = ("common", "crisis", "call_now", "staff_whisper", "menu")
# Values the code fills in besides the flows' own answers: the caller's number, the reference,
# and each practice offered at a pick step.
CODE_VALUES = {"caller_number", "caller_number_spoken", "reference", "reference_spoken", "n", "name", "place", *CARRIED,
               LANGUAGE_SPOKEN}
# A prompt's shorter version for a caller through text relay (ivr/voice/needs.py).
RELAY_PROMPTS = "relay."
MONTH_YEAR = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4}\b"
)


@dataclass(frozen=True)
class Problem:
    """Something wrong with one prompt (or with the prompts as a whole)."""

    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


def code_keys(code_dir: Path = CODE_DIR) -> set[str]:
    """Prompt keys named as string literals in the code (common.sorry, crisis.routes...)."""
    sections = "|".join(CODE_SECTIONS)
    pattern = re.compile(rf"[\"']((?:{sections})\.[a-z_0-9.]+)[\"']")
    return {key for path in code_dir.rglob("*.py") for key in pattern.findall(path.read_text("utf-8"))}


def retry_reasons(code_dir: Path = CODE_DIR) -> set[str]:
    """Why an answer can be asked again (Retry("future"), reason="try_again"), as the code says."""
    pattern = re.compile(r"Retry\(\"(\w+)\"\)|reason=\"(\w+)\"")
    found = {"no_match", "no_input"}
    for path in code_dir.rglob("*.py"):
        found.update(a or b for a, b in pattern.findall(path.read_text("utf-8")))
    return found


def used_keys(book: FlowBook, code_dir: Path = CODE_DIR) -> set[str]:
    """Every prompt key the flows or the code may speak."""
    reasons = retry_reasons(code_dir)
    used = code_keys(code_dir) | {f"common.{reason}" for reason in reasons}
    for step in book.steps.values():
        used.update(step.say)
        used.update(c.say for c in step.choices if c.say)
        if step.ask:
            base = step.ask
            used.update(f"{base}.{part}" for part in ("ask", "retry", "help", "option", "more", "none", "go_on"))
            used.update(f"{base}.invalid.{reason}" for reason in reasons)
    return used | {RELAY_PROMPTS + key for key in used}


def _filled_values(book: FlowBook) -> set[str]:
    names = set(CODE_VALUES)
    for step in book.steps.values():
        if step.value:
            names.update({step.value, f"{step.value}_spoken"})
        transitions = [*step.on.values(), *(c.then for c in step.choices)]
        for transition in transitions:
            names.update(transition.set)
            names.update(transition.copy)
    return names


def check_keys(book: FlowBook, prompts: Prompts, code_dir: Path = CODE_DIR) -> list[Problem]:
    """Keys the flows or code need but are missing; keys nothing uses; values nothing fills in."""
    problems = []
    needed = {key: f"step {step.name}" for step in book.steps.values() for key in prompt_keys(step)}
    # A literal that names a step (a pretend caller's answers, ivr/tools/caller.py) is not a prompt key.
    needed.update({key: "the code" for key in code_keys(code_dir) if key not in book.steps})
    for key, user in sorted(needed.items()):
        if not prompts.has(key):
            problems.append(Problem(key, f"missing: {user} speaks it, but prompts/en-GB.yaml has no such key"))
    used = used_keys(book, code_dir)
    for key in sorted(set(prompts.texts) - used):
        problems.append(Problem(key, "unused: no flow or code speaks this key (a typo, or left over?)"))
    known = _filled_values(book) | set(prompts.facts)
    for key, text in sorted(prompts.texts.items()):
        for name in sorted({field for _, field, _, _ in string.Formatter().parse(text) if field} - known):
            problems.append(Problem(key, f"{{{name}}} is neither in settings.yaml nor filled in by a flow"))
    return problems


def sentences(text: str) -> list[str]:
    """The sentences of a prompt, as a listener hears them."""
    return [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]


def check_text(key: str, text: str) -> list[Problem]:
    """Long sentences and long runs of digits in one prompt, as it will be spoken."""
    problems = []
    for sentence in sentences(text):
        count = len(re.findall(r"[\w'’]+", sentence))
        if count > MAX_SENTENCE_WORDS:
            problems.append(Problem(
                key, f"a sentence of {count} words (at most {MAX_SENTENCE_WORDS}): “{sentence}”"
            ))
    for run in re.findall(r"\d{4,}", MONTH_YEAR.sub("", text)):  # "14 March 1988" is read as a year
        problems.append(Problem(key, f"“{run}” is read out as one number: write the digits in groups"))
    return problems


def check_numbers(prompts: Prompts) -> list[Problem]:
    """Phone numbers in settings.yaml must be written in groups of at most four digits."""
    problems = []
    for name, number in (prompts.settings.get("numbers") or {}).items():
        for group in str(number).split():
            if len(re.sub(r"\D", "", group)) > 4:
                problems.append(Problem(
                    f"settings.yaml numbers.{name}",
                    f"“{number}” has a group of more than four digits: split it as it is usually said",
                ))
    return problems


def _options(step: Step, text: str) -> int:
    """The options a caller must hold in mind: the keys the question offers ("press 1", ", 2", "or 3"),
    or, where it names none, its choices (a key kept for later, such as 4 to hear them again, is not one;
    a choice offered only at times, such as "press 8" in office hours, counts where its offer is spoken).
    A key that flags the caller as needing help now (9) is a standing safety route, like 999: not counted."""
    standing = {c.key for c in step.choices if c.then.flag}
    offered = set(re.findall(r"(?:\bpress|,|\bor)\s+(\d)\b", text)) - standing
    return len(offered) or len([c for c in step.choices if not c.when and c.key not in standing])


def check_menus(book: FlowBook, prompts: Prompts) -> list[Problem]:
    """No question offers more than four options, counting its choices and its 'press N's."""
    problems = []
    for step in book.steps.values():
        if not step.ask or step.expect != "choice":
            continue
        key = f"{step.ask}.ask"
        offers = [c.say for c in step.choices if c.say and prompts.has(c.say)]  # e.g. "press 8", in office hours
        text = " ".join(prompts.text((k,), TYPICAL_VALUES) for k in [key, *offers] if prompts.has(k))
        count = _options(step, text)
        if count > MAX_OPTIONS:
            problems.append(Problem(
                key, f"step {step.name} offers {count} options (at most {MAX_OPTIONS} can be held in mind)"
            ))
    return problems


def check_prompts(book: FlowBook, prompts: Prompts, code_dir: Path = CODE_DIR) -> list[Problem]:
    """Every problem with the prompts, in the order a writer would fix them."""
    problems = check_keys(book, prompts, code_dir)
    pick = {**TYPICAL_VALUES, "n": 4, **TYPICAL_PRACTICES[0]}
    for key in sorted(prompts.texts):
        problems += check_text(key, prompts.text((key,), pick))
    return problems + check_numbers(prompts) + check_menus(book, prompts)


def check_text_receipt(prompts_dir: str | Path, line_number: str = "") -> list[Problem]:
    """The text receipt (texts.yaml): nothing personal, GSM-7 only, at most two texts, the crisis numbers in it."""
    try:
        template = compose.load(prompts_dir)
    except FlowError as error:
        return [Problem(compose.FILE, str(error).removeprefix(f"{compose.FILE}: "))]
    if template is None:
        return []  # no wording, no texts: the line does not offer one
    return [Problem(f"{compose.FILE} receipt", problem)
            for problem in compose.check(template, line_number or template.call_from or compose.TYPICAL_LINE)]
