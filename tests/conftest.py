"""Fixtures: a fresh app per test on SQLite, or on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from ivr.app import create_app
from ivr.extensions import db
from ivr.tools.phone import Phone, flask_transport
from tests.support.line import AUTH_TOKEN, CALLER, PRACTICES, StaffDesk, walk_referral
from tests.support.twiml import TwimlCheckingClient

# Every app a test makes (here or with create_app) checks each answer to /voice/ as Twilio would take it.
Flask.test_client_class = TwimlCheckingClient


def _database_url(tmp_path_factory) -> str:
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    # A database of our own on the server, so runs never touch each other's data.
    url = sa.make_url(server).set(drivername="postgresql+psycopg")
    name = f"ivr_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """One migrated database for the run; each test starts from empty tables."""
    url = _database_url(tmp_path_factory)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield url
    if url.startswith("postgresql"):
        target = sa.make_url(url)
        admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123",
        "ALLOW_UNSIGNED_WEBHOOKS": False,
        "PUBLIC_BASE_URL": "",
        "SPOOL_DIR": str(tmp_path / "spool"),
    })
    with app.app_context():
        _empty_tables()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def another_app(app):
    """Make apps like `app` with other settings, another_app(FLOWS_DIR=...); their connections close after the test."""
    made = []

    def make(**config):
        settings = {**app.config, **config}
        if "SQLALCHEMY_DATABASE_URI" in config and "SQLALCHEMY_ENGINE_OPTIONS" not in config:
            del settings["SQLALCHEMY_ENGINE_OPTIONS"]  # worked out for app's database: the factory works out its own
        made.append(create_app(settings))
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def phone(client):
    """Make a new call: phone() rings from a UK mobile, phone(caller_number=...) from elsewhere."""

    def dial(**kwargs) -> Phone:
        return Phone(flask_transport(client), AUTH_TOKEN, **kwargs).dial()

    return dial


@pytest.fixture
def practices(runner) -> None:
    """The shipped Derby and Derbyshire practice directory, imported as an operator would."""
    result = runner.invoke(args=["practices", "import", str(PRACTICES)])
    assert result.exit_code == 0, result.output


@pytest.fixture
def staff(app, client) -> StaffDesk:
    """Make staff accounts and log the `client` in: staff.make(admin=True); staff.login()."""
    return StaffDesk(app, client)


@pytest.fixture
def referral(app, phone):
    """A referral sent by a real signed call; referral(urgent=True) for an urgent one. Returns its id."""
    from ivr.models import Referral

    def make(urgent: bool = False, caller_number: str = CALLER) -> int:
        from ivr.callflow.answers import is_uk_mobile
        from ivr.texts import outbox

        with app.app_context():  # a mobile caller on a line that can text is asked "can we text you?": no
            text = "2" if outbox.possible() and is_uk_mobile(caller_number) else None
        call = walk_referral(phone(caller_number=caller_number), urgent=urgent, text=text)
        call.hang_up(duration=185)
        with app.app_context():
            sent = db.session.scalars(
                sa.select(Referral).join(Referral.call).where(sa.text("calls.call_sid = :sid")),
                {"sid": call.call_sid}).one()
            assert (sent.status, sent.urgent) == ("new", urgent), " / ".join(call.transcript[-3:])
            return sent.id

    return make
