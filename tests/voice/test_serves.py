"""A process serves the line's webhooks, the staff dashboard, or both (IVR_SERVE); a voice worker never loads
the dashboard's code and libraries, nor the `holidays` package."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ivr.app import create_app
from ivr.config import ConfigError
from ivr.tools.phone import Phone, flask_transport
from tests.support.line import AUTH_TOKEN

ROOT = Path(__file__).resolve().parents[2]
# What a voice worker has loaded once the app is built, in a fresh interpreter as gunicorn starts one.
PROBE = """
import sys
import wsgi
print("\\n".join(sorted(sys.modules)))
"""
DASHBOARD_ONLY = {"ivr.staff", "flask_login", "flask_wtf", "wtforms", "argon2", "graphviz"}


def loaded_by_a_worker(tmp_path, serves: str) -> set[str]:
    env = {**os.environ, "IVR_SERVE": serves, "IVR_WEB_WORKER": "1",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'ivr.sqlite3'}"}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return {name.split(".")[0] if not name.startswith("ivr.") else ".".join(name.split(".")[:2])
            for name in result.stdout.split()}


def test_a_voice_worker_loads_neither_the_dashboard_nor_every_countrys_calendar(tmp_path):
    loaded = loaded_by_a_worker(tmp_path, "voice")
    assert {"ivr.voice", "ivr.callflow", "sqlalchemy", "rapidfuzz", "twilio"} <= loaded
    assert not (DASHBOARD_ONLY | {"holidays"}) & loaded, (DASHBOARD_ONLY | {"holidays"}) & loaded


def test_a_worker_serving_both_loads_the_dashboard(tmp_path):
    assert DASHBOARD_ONLY - {"graphviz"} <= loaded_by_a_worker(tmp_path, "all")


@pytest.fixture
def serving(another_app):
    return lambda serves: another_app(SERVE=serves).test_client()


def test_the_voice_service_answers_calls_and_not_staff(serving):
    client = serving("voice")
    call = Phone(flask_transport(client), AUTH_TOKEN).dial().press("2")
    assert "date of birth" in call.said
    assert client.get("/staff/login").status_code == 404


def test_the_staff_service_shows_the_dashboard_and_takes_no_calls(serving):
    client = serving("staff")
    assert b"Log in" in client.get("/staff/login").data
    assert client.post("/voice/incoming", data={"CallSid": "CA" + "1" * 32}).status_code == 404


def test_a_misspelt_part_stops_the_start_and_says_what_to_set(app):
    with pytest.raises(ConfigError, match="IVR_SERVE is 'vocie': set it to one of all, voice, staff"):
        create_app({**app.config, "SERVE": "vocie"})
