"""Fixtures for the voice tests that ring the line at a given moment (office hours)."""

from __future__ import annotations

from datetime import datetime

import pytest

from ivr.tools.phone import Phone


@pytest.fixture
def at(app, phone):
    """Ring the line at a given moment: at(moment) returns the call at the main menu."""

    def ring(moment: datetime, **kwargs) -> Phone:
        app.extensions["ivr_line"].clock = lambda: moment
        return phone(**kwargs)

    return ring
