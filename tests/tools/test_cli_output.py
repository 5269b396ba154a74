"""The `flask` commands print what they are for: no alembic plugin lines before it, and `flask db` still shows its
progress."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.line import FLOWS

ROOT = FLOWS.parent


def flask(*args: str, tmp_path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("IVR_", "TWILIO_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'ivr.sqlite3'}", SECRET_KEY="x" * 64)
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_help_is_only_the_help(tmp_path):
    ran = flask("call", "--help", tmp_path=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("Usage: python -m flask call")
    assert "setup plugin" not in ran.stdout + ran.stderr
    # Nothing but, in development, the start-up notice that a translation no translator has reviewed is offered.
    assert all("NOT reviewed by a translator" in line for line in ran.stderr.splitlines())


def test_flask_db_upgrade_still_says_what_it_ran(tmp_path):
    ran = flask("db", "upgrade", tmp_path=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "Running upgrade  -> 0001" in ran.stderr
    assert "setup plugin" not in ran.stdout + ran.stderr
