"""The shipped English risk model, loaded once, and what it hears in a few words: for the risk model's tests."""

from __future__ import annotations

from ivr.callflow.risk import RiskModel
from tests.support.line import FLOWS

MODEL = RiskModel.from_file(FLOWS / "risk.yaml")


def heard(said: str, yes_no: bool = False) -> str | None:
    """The category heard, or None."""
    found = MODEL.hear(said, yes_no=yes_no)
    return found.category if found else None
