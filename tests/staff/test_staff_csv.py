"""The referral export: admins only, by a POST with its form's token; the current filter applies, formulas are
neutralised, phone numbers stay exact, and the audit log has its row count."""

import csv
import io

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, Referral
from ivr.staff.export import COLUMNS, neutralise, phone_cell
from tests.support.line import CALLER


def _rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def _exports(app) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.exported")
                                  .order_by(AuditEvent.id)).all()  # in the order made, on PostgreSQL too


def _hostile(app, referral_id: int, **values) -> None:
    with app.app_context():
        referral = db.session.get(Referral, referral_id)
        for field, value in values.items():
            setattr(referral, field, value)
        db.session.commit()


@pytest.mark.parametrize("cell, safe", [
    ("=HYPERLINK(\"http://evil.example\",\"click\")", "'=HYPERLINK(\"http://evil.example\",\"click\")"),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("'already quoted", "''already quoted"),  # so that dropping one apostrophe always restores the value
    ("Jane Smith", "Jane Smith"),
    ("", ""),
])
def test_cells_that_could_run_as_formulas_get_one_leading_apostrophe(cell, safe):
    assert neutralise(cell) == safe
    assert (safe[1:] if safe.startswith("'") else safe) == cell  # what an importer does to undo it


def test_e164_numbers_are_kept_exactly_and_anything_else_in_that_column_is_neutralised():
    assert phone_cell("+447400123456") == "+447400123456"
    assert phone_cell("+44=1+1") == "'+44=1+1"
    assert phone_cell("=1+1") == "'=1+1"


def test_the_export_is_audited_escapes_formulas_and_keeps_the_phone_number(app, staff, client, referral):
    referral_id = referral()
    _hostile(app, referral_id, name="=HYPERLINK(\"http://evil.example\")", practice_said="@SUM(1+1)")
    staff.make(admin=True)
    staff.login()
    response = staff.export()
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.splitlines()[0] == ",".join(f'"{column}"' for column in COLUMNS)
    assert f'"{CALLER}"' in text  # quoted, not mangled
    (row,) = _rows(response)
    assert row["callback_number"] == CALLER
    assert row["name"] == "'=HYPERLINK(\"http://evil.example\")"
    assert row["practice_said"] == "'@SUM(1+1)"
    assert row["date_of_birth"] == "1988-03-14" and row["voicemail_ok"] == "yes" and row["best_time"] == "morning"
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.exported")).one()
    assert event.actor == "sam.jones@nhs.example" and event.detail["ids"] == [referral_id]
    assert event.detail["count"] == 1 and event.address == "127.0.0.1"


def test_the_current_filter_applies_to_the_export(app, staff, client, referral):
    plain, urgent = referral(), referral(urgent=True)
    staff.make(admin=True)
    staff.login()
    with app.app_context():
        references = dict(db.session.execute(select(Referral.id, Referral.reference)).all())
    exported = [row["reference"] for row in _rows(staff.export("urgent"))]
    assert exported == [references[urgent]]
    everything = [row["reference"] for row in _rows(staff.export())]
    assert everything == [references[urgent], references[plain]]  # the queue's order: urgent first
    assert [event.detail["count"] for event in _exports(app)] == [1, 2]
    page = client.get("/staff/referrals?filter=urgent").get_data(as_text=True)
    assert 'action="/staff/referrals.csv"' in page and 'name="filter" value="urgent"' in page


def test_staff_who_are_not_admins_cannot_export_nor_see_the_button(app, staff, client, referral):
    referral()
    staff.make()
    staff.login()
    assert "Download this list (CSV)" not in client.get("/staff/referrals").get_data(as_text=True)
    refused = staff.post("/staff/referrals.csv", {"filter": "all"}, page="/staff/account")
    assert refused.status_code == 403 and "IPT-" not in refused.get_data(as_text=True) and _exports(app) == []


def test_a_get_no_longer_exports(app, staff, client, referral):
    referral()
    staff.make(admin=True)
    staff.login()
    response = client.get("/staff/referrals.csv?filter=all")  # a link or <img> on another site
    assert response.status_code == 405 and "IPT-" not in response.get_data(as_text=True)
    assert _exports(app) == []


def test_an_export_without_the_forms_token_is_refused(app, staff, client, referral):
    referral()
    staff.make(admin=True)
    staff.login()
    assert app.config["WTF_CSRF_ENABLED"]  # the tests run with CSRF on, as in production
    for data in ({"filter": "all"}, {"filter": "all", "csrf_token": "forged"}):  # a form on another site
        response = client.post("/staff/referrals.csv", data=data)
        assert response.status_code == 400 and "IPT-" not in response.get_data(as_text=True)
    assert _exports(app) == []
