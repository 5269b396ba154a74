"""Staff see why the line flagged a referral urgent, with the words the caller said (the clinical information they
triage on), and the caller's communication needs."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select

from ivr.extensions import db
from ivr.models import Enquiry, Referral
from ivr.tools.caller import Caller
from tests.support.line import at


def referral_at_risk_needing_an_interpreter(app, phone) -> int:
    """A call: risk words at the name question, carry on, then an interpreter asked for."""
    call = at(phone(), "referral.name")
    call.say("honestly I want to kill myself").press("2")  # crisis routes, then carry on
    at(call, "referral.communication", {"referral.name": "Sam Taylor"})
    call.press("1")  # yes, I need help to talk with you
    assert "Please tell me what would help." in call.said
    call.say("a Polish interpreter please")
    Caller(call).to_the_end()  # mornings, by phone, safe
    assert call.ended
    call.hang_up()
    with app.app_context():
        return db.session.scalars(select(Referral)).one().id


def test_the_referral_page_says_why_it_is_urgent_and_what_help_to_talk_is_needed(app, phone, staff, client):
    referral_id = referral_at_risk_needing_an_interpreter(app, phone)
    staff.make()
    staff.login()
    page = client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)
    assert "Urgent: said words that suggest risk: intent, a plan or active thoughts" in page
    assert "at Referral: name" in page and "offered the helpline" in page
    assert "What they said: “honestly I want to kill myself”" in page
    assert "Help to talk with us</dt><dd>Yes: a Polish interpreter please" in page


def test_the_export_has_the_urgent_reason_and_step_and_the_communication_needs(app, phone, staff, client):
    referral_at_risk_needing_an_interpreter(app, phone)
    staff.make(admin=True)  # the export is for admins
    staff.login()
    (row,) = csv.DictReader(io.StringIO(staff.export().get_data(as_text=True)))
    assert (row["urgent"], row["urgent_reason"], row["urgent_step"]) == ("yes", "risk:intent", "referral.name")
    assert (row["communication_help"], row["communication_needs"]) == ("yes", "a Polish interpreter please")
    assert row["callback_said"] == "" and "kill" not in ",".join(row.values())  # the words stay on the dashboard


def test_an_unusable_callback_number_is_shown_for_staff_to_check(app, phone, staff, client):
    call = at(phone(caller_number="anonymous"), "referral.callback_key", {"referral.name": "Sam Taylor"})
    call.press("12345").press("999").press("0740")
    Caller(call).to_the_end()
    with app.app_context():
        referral_id = db.session.scalars(select(Referral)).one().id
    staff.make()
    staff.login()
    page = client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)
    assert "No usable number: the caller gave “0740”. Check it." in page


def test_the_overview_counts_calls_that_ended_after_the_helpline(phone, staff, client):
    call = phone().press("9").press("1").dial_ends("completed").press("2")
    assert call.ended
    call.hang_up()
    staff.make()
    staff.login()
    page = client.get("/staff/overview").get_data(as_text=True)
    row = re.search(r">Ended after the crisis helpline</text>.*?<text[^>]*>(\d+)", page, re.S)
    assert row and row.group(1) == "1"


def test_risk_words_on_the_existing_patient_line_show_in_the_enquirys_call_steps(app, phone, staff, client):
    call = phone().press("3").press("1").say("I don't want to be here anymore")  # passive: the routes, then on
    assert "Please key or say the 6 digits of your reference." in call.said
    call.press("482913").record(seconds=20).press("1").press("1")
    assert call.ended
    with app.app_context():
        enquiry_id = db.session.scalars(select(Enquiry)).one().id
    staff.make()
    staff.login()
    page = client.get(f"/staff/enquiries/{enquiry_id}").get_data(as_text=True)
    assert "Enquiry: reference" in page and "Said words that suggest risk: given the crisis routes" in page
