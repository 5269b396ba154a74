"""A worker warmed before its first caller keeps nothing from its pretend call, and a failed warm-up stops nothing."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from ivr.app import create_app
from ivr.extensions import current_line, db
from ivr.models import Call, CallStep, Referral
from ivr.voice.warm import _pretend_call, warm


def test_warming_leaves_no_pretend_call_for_staff_to_see(app, phone):
    warm(app)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Call)) == 0
        assert db.session.scalar(select(func.count()).select_from(CallStep)) == 0
        assert db.session.scalar(select(func.count()).select_from(Referral)) == 0
    call = phone().press("2")  # the first real caller after the warm-up is answered as usual
    assert "date of birth" in call.said
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Call)) == 1


def test_a_worker_behind_its_public_address_warms(another_app, caplog):
    """As production runs: PUBLIC_BASE_URL set, so only its host is trusted (the pretend call must use it)."""
    worker = another_app(PUBLIC_BASE_URL="https://ivr.example.nhs.uk")
    with caplog.at_level(logging.INFO):
        warm(worker)
    assert "could not warm this worker" not in caplog.text
    assert "worker warmed in" in caplog.text


def test_a_worker_that_cannot_warm_still_starts_and_says_why(tmp_path, caplog):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/ivr.sqlite3"})
    with caplog.at_level(logging.ERROR):
        warm(app)
    assert "could not warm this worker" in caplog.text


def test_a_web_worker_leaves_out_the_commands(app):
    worker = create_app({**app.config, "WEB_WORKER": True})
    assert {"db", "call", "spool"} <= set(app.cli.commands)
    assert not {"db", "call", "spool"} & set(worker.cli.commands)


def test_the_pretend_call_walks_the_whole_referral_by_step_and_keeps_nothing(app, caplog):
    """On PostgreSQL the warm-up's caller answers every question of a referral, as a caller would, and the line
    sends it; on SQLite only the connection is warmed. Either way the worker says it warmed."""
    with caplog.at_level(logging.INFO), app.test_request_context("/voice/answer", method="POST"):
        pretend = _pretend_call(current_line())
        warm(app)
    assert "worker warmed" in caplog.text and "could not warm" not in caplog.text
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert pretend is None
        return
    assert pretend.ended and "Your reference is" in " ".join(pretend.transcript)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Referral)) == 0
