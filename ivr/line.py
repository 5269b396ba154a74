"""The phone line as loaded at start-up: flows, prompts and the practice directory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from ivr.answers import READERS, Context
from ivr.engine import DECISIONS
from ivr.flowbook import FlowBook, load_flows
from ivr.practices import PracticeDirectory
from ivr.prompts import Prompts

LONDON = ZoneInfo("Europe/London")


def london_today() -> date:
    """Today in Derbyshire, which is what a caller's age is counted against."""
    return datetime.now(LONDON).date()


@dataclass
class Line:
    """Everything a call needs besides the database."""

    book: FlowBook
    prompts: Prompts
    practices: PracticeDirectory | None = None

    def context(self) -> Context:
        return Context(today=london_today(), practices=self.practices)


def load_line(flows_dir: str, prompts_dir: str) -> Line:
    """Load and check flows and prompts; raises FlowError naming the file and step if broken."""
    book = load_flows(flows_dir, set(READERS), set(DECISIONS))
    prompts = Prompts(prompts_dir)
    prompts.check(book)
    return Line(book=book, prompts=prompts, practices=PracticeDirectory())


def current_line() -> Line:
    """The line loaded by the app factory."""
    return current_app.extensions["ivr_line"]
