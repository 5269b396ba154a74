"""Fixtures: a fresh app per test on SQLite, or on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from ivr import create_app
from ivr.extensions import db
from ivr.phone import Phone, flask_transport

AUTH_TOKEN = "test-auth-token-0123456789abcdef"


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


FLOWS = Path(__file__).resolve().parent.parent / "flows"


# ---- Staff dashboard fixtures ----

STAFF_PASSWORD = "a long enough passphrase"
CALLER = "+447400123456"  # shown to staff as 07400 123456


def walk_referral(call: Phone, urgent: bool = False) -> Phone:
    """Answer every referral question on a call at the main menu (keys and speech, no prompt wording)."""
    call.press("2").press("14031988").press("1")  # refer; date of birth, confirmed
    call.say("somewhere I cannot name").say("still no idea")  # not matched twice: "are you registered here?"
    call.press("1").say("Jane Smith").press("1")  # yes; name, confirmed
    call.press("1").press("1").press("1").press("2")  # caller's number, voicemail OK, mornings, by phone
    call.press("1" if urgent else "2")  # urgent help today?
    call.press("1")  # send it
    return call


class StaffDesk:
    """Staff accounts and logging in through the real form, CSRF token and all."""

    def __init__(self, app, client):
        self.app, self.client = app, client

    def make(self, email: str = "sam.jones@nhs.example", password: str = STAFF_PASSWORD,
             admin: bool = False) -> int:
        """Create an account; returns its id."""
        from ivr.staff.accounts import create

        with self.app.app_context():
            staff = create(email, password, admin=admin)
            db.session.commit()
            return staff.id

    def token(self, url: str, client=None) -> str:
        """The CSRF token from a form on the page at `url`."""
        import re

        html = (client or self.client).get(url).get_data(as_text=True)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                          html)
        assert match, f"no CSRF token on {url}"
        return match.group(1) or match.group(2)

    def login(self, email: str = "sam.jones@nhs.example", password: str = STAFF_PASSWORD, client=None):
        """Log in through the form; returns the response."""
        client = client or self.client
        return client.post("/staff/login", data={
            "email": email, "password": password, "csrf_token": self.token("/staff/login", client)})

    def post(self, url: str, data: dict, page: str | None = None, client=None):
        """Post a form with a token taken from `page` (default: the same URL)."""
        client = client or self.client
        return client.post(url, data={**data, "csrf_token": self.token(page or url, client)})


@pytest.fixture
def staff(app, client) -> StaffDesk:
    """Make staff accounts and log the `client` in: staff.make(admin=True); staff.login()."""
    return StaffDesk(app, client)


@pytest.fixture
def referral(app, phone):
    """A referral sent by a real signed call; referral(urgent=True) for an urgent one. Returns its id."""
    from ivr.models import Referral

    def make(urgent: bool = False, caller_number: str = CALLER) -> int:
        call = walk_referral(phone(caller_number=caller_number), urgent=urgent)
        call.hang_up(duration=185)
        with app.app_context():
            sent = db.session.scalars(
                sa.select(Referral).join(Referral.call).where(sa.text("calls.call_sid = :sid")),
                {"sid": call.call_sid}).one()
            assert (sent.status, sent.urgent) == ("new", urgent), " / ".join(call.transcript[-3:])
            return sent.id

    return make
