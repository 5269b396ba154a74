"""The phone line as loaded at start-up: checked flows and prompts, and a way to match practices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from ivr.callflow.answers import READERS, Context, PracticeMatcher
from ivr.callflow.engine import DECISIONS
from ivr.callflow.flowbook import FlowBook, load_flows
from ivr.callflow.prompts import Prompts
from ivr.clock import today_in_london


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
    """The flows, checked against the answer readers and decisions the engine knows."""
    return load_flows(flows_dir, set(READERS), set(DECISIONS))


def load_line(flows_dir: str, prompts_dir: str, practices: PracticeMatcher | None = None) -> Line:
    """Load and check flows and prompts; raises FlowError naming the file and step if broken."""
    book = load_book(flows_dir)
    prompts = Prompts(prompts_dir)
    prompts.check(book)
    return Line(book=book, prompts=prompts, practices=practices)
