"""The phone line as loaded at start-up: checked flows and prompts, and a way to match practices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from ivr.callflow.answers import READERS, Context, PracticeMatcher
from ivr.callflow.engine import DECISIONS
from ivr.callflow.flowbook import FlowBook, FlowError, load_flows, read_yaml
from ivr.callflow.prompts import Prompts
from ivr.callflow.risk import RiskPhrases, RiskPhrasesError
from ivr.clock import today_in_london

RISK_PHRASES = "risk-phrases.yaml"


@dataclass
class Line:
    """Everything a call needs besides its own state: flows, prompts, and the practice matcher."""

    book: FlowBook
    prompts: Prompts
    practices: PracticeMatcher | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # tests fix it to try office hours

    def context(self, texts: bool = False) -> Context:
        """What this turn's answers may depend on; `texts` when the app can send a text receipt."""
        now = self.clock()
        return Context(today=today_in_london(now), practices=self.practices, texts=texts, now=now,
                       office_hours=self.prompts.office_hours)


def load_book(flows_dir: str) -> FlowBook:
    """The flows, checked against the answer readers and decisions the engine knows, with the risk phrases."""
    book = load_flows(flows_dir, set(READERS), set(DECISIONS))
    path = Path(flows_dir) / RISK_PHRASES
    if not path.exists():
        if book.crisis in book.steps:  # a line that can help a caller at risk must listen for them
            raise FlowError(f"the flows have '{book.crisis}' but no {RISK_PHRASES} to lead callers there")
        return book
    if book.crisis not in book.steps:
        raise FlowError(f"{RISK_PHRASES} leads callers to '{book.crisis}', which the flows do not have")
    try:
        return replace(book, risk=RiskPhrases.from_data(read_yaml(path)))
    except RiskPhrasesError as error:
        raise FlowError(f"{RISK_PHRASES}: {error}") from None


def load_line(flows_dir: str, prompts_dir: str, practices: PracticeMatcher | None = None) -> Line:
    """Load and check flows and prompts; raises FlowError naming the file and step if broken."""
    book = load_book(flows_dir)
    prompts = Prompts(prompts_dir)
    prompts.check(book)
    return Line(book=book, prompts=prompts, practices=practices)
