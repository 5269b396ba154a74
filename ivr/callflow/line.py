"""The phone line as loaded at start-up: checked flows and prompts, and a way to match practices."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from ivr.callflow.answers import READERS, Context, PracticeMatcher
from ivr.callflow.engine import DECISIONS
from ivr.callflow.flowbook import INPUT_KINDS, FlowBook, load_flows
from ivr.callflow.flowcheck import check
from ivr.callflow.needs import CARRIED
from ivr.callflow.prompts import Prompts
from ivr.callflow.risk import RiskFileError, RiskModel
from ivr.callflow.urgency import FLAGS
from ivr.callflow.vocabulary import Vocabulary
from ivr.callflow.yamlfile import FlowError, label
from ivr.clock import today_in_london

RISK_PHRASES = "risk.yaml"
# A question whose hints hold this listens for the interpreter languages in settings.yaml too.
LANGUAGE_HINTS = "@languages"


@dataclass
class Line:
    """Everything a call needs besides its own state: flows, prompts, and the practice matcher."""

    book: FlowBook
    prompts: Prompts
    practices: PracticeMatcher | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # tests fix it to try office hours

    def context(self, texts: bool = False, caller_number: str | None = None) -> Context:
        """What this turn's answers may depend on; `texts` when the app can send a text receipt; the number the
        caller rings from, if it shows (for "call me on the same number")."""
        now = self.clock()
        return Context(today=today_in_london(now), practices=self.practices, texts=texts, now=now,
                       office_hours=self.prompts.office_hours, caller_number=caller_number,
                       languages=self.prompts.languages)


def vocabulary(records: Mapping[str, frozenset[str]] | None = None,
               effects: frozenset[str] | None = None) -> Vocabulary:
    """The words the engine knows (its answer readers, decisions and urgent flags), and those the app gives: the
    fields each record keeps and the effects it runs (ivr.voice.turn.vocabulary())."""
    return Vocabulary(expects=INPUT_KINDS | frozenset(READERS), decisions=frozenset(DECISIONS),
                      flags=frozenset(FLAGS), records=records, effects=effects, carried=CARRIED)


def load_book(flows_dir: str, words: Vocabulary | None = None) -> FlowBook:
    """The flows, checked against the words the line knows (the engine's alone if none are given), with the risk
    phrases."""
    book = load_flows(flows_dir)
    check(book, words or vocabulary())
    path = Path(flows_dir) / RISK_PHRASES
    if not path.exists():
        if book.crisis in book.steps:  # a line that can help a caller at risk must listen for them
            raise FlowError(f"{book.where(book.crisis)}: the flows have '{book.crisis}' but no {RISK_PHRASES} to lead "
                            "callers there")
        return book
    if book.crisis not in book.steps:
        raise FlowError(f"{label(path)}: leads callers to '{book.crisis}', which the flows do not have")
    try:
        return replace(book, risk=RiskModel.from_file(path))
    except RiskFileError as error:
        raise FlowError(f"{label(path)}: {error}") from None


def load_line(flows_dir: str, prompts_dir: str, practices: PracticeMatcher | None = None,
              words: Vocabulary | None = None) -> Line:
    """Load and check flows and prompts; raises FlowError, in one line naming the file and step, if broken."""
    book = load_book(flows_dir, words)
    prompts = Prompts(prompts_dir)
    prompts.check(book)
    return Line(book=with_language_hints(book, prompts.languages), prompts=prompts, practices=practices)


def with_language_hints(book: FlowBook, languages: dict[str, str]) -> FlowBook:
    """The flows with "@languages" in a question's hints written out as the interpreter languages' names."""
    names = ", ".join(dict.fromkeys(languages.values()))
    steps = {name: replace(step, hints=step.hints.replace(LANGUAGE_HINTS, names).strip(", "))
             for name, step in book.steps.items() if LANGUAGE_HINTS in step.hints}
    return replace(book, steps={**book.steps, **steps}) if steps else book
