"""The NHS Talking Therapies data set's CSV: its own field names, B1 for a self-referral, the received date, date of
birth and GP practice code, from `flask referrals dataset` and the admins' button; formulas neutralised; audited."""

import csv
import io

from sqlalchemy import select

from ivr.extensions import db
from ivr.interop.dataset import COLUMNS
from ivr.models import AuditEvent
from tests.interop.test_fhir_export import ARTHUR, phone_referral
from tests.support.line import at


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_cli_writes_the_data_sets_items_for_referrals_since_a_day(app, phone, practices, runner, tmp_path):
    referral = phone_referral(app, phone, **{"referral.communication": "1",
                                             "referral.communication_what": "=an interpreter for Polish"})
    at(phone(), "referral.name", ARTHUR)  # still on the phone: not in the return yet
    out = tmp_path / "talking-therapies.csv"
    day = referral.created_at.date().isoformat()
    result = runner.invoke(args=["referrals", "dataset", "--since", day, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "NHS Talking Therapies data set v2.1" in result.output
    text = out.read_text()
    assert text.splitlines()[0] == ",".join(f'"{column}"' for column in COLUMNS)
    for item in ("ReferralRequestReceivedDate", "SourceOfReferralIAPT", "PersonBirthDate", "GMPCodeReg",
                 "NHSNumber", "LanguageCodePreferred", "ExBAFIndicator"):
        assert item in COLUMNS
    [row] = rows(text)
    assert row["ServiceRequestId"] == referral.reference and row["SourceOfReferralIAPT"] == "B1"
    assert (row["ReferralRequestReceivedDate"], row["PersonBirthDate"], row["GMPCodeReg"]) == (
        day, "1988-03-14", "C81017")
    assert row["NHSNumber"] == row["NHSNumberStatus"] == ""  # none keyed on this call
    assert row["Local_CommunicationNeeds"] == "'=an interpreter for Polish"  # never run as a formula
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.dataset_exported"))
    assert (event.subject_id, event.actor, event.detail["count"]) == (referral.id, "system", 1)


def test_a_later_day_leaves_earlier_referrals_out(app, phone, practices, runner):
    phone_referral(app, phone)
    result = runner.invoke(args=["referrals", "dataset", "--since", "2999-01-01", "--out", "-"])
    assert result.exit_code == 0 and rows(result.stdout) == []


def test_admins_download_the_current_list_for_the_data_set(app, phone, practices, staff, client):
    phone_referral(app, phone)
    urgent = phone_referral(app, phone, urgent=True)
    staff.make(admin=True)
    staff.login()
    page = client.get("/staff/referrals?filter=urgent").get_data(as_text=True)
    assert "Download for the data set (CSV)" in page
    response = staff.post("/staff/referrals-dataset.csv", {"filter": "urgent"}, page="/staff/referrals?filter=urgent")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert [row["ServiceRequestId"] for row in rows(response.get_data(as_text=True))] == [urgent.reference]
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.dataset_exported"))
    assert event.actor == "sam.jones@nhs.example" and event.detail["ids"] == [urgent.id]


def test_staff_who_are_not_admins_cannot_download_the_list(app, phone, practices, staff, client):
    phone_referral(app, phone)
    staff.make()
    staff.login()
    assert "Download for the data set" not in client.get("/staff/referrals").get_data(as_text=True)
    response = staff.post("/staff/referrals-dataset.csv", {"filter": "open"}, page="/staff/enquiries")
    assert response.status_code == 403
