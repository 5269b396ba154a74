"""Issue 25's two questions on a real signed call: the NHS number, keyed, checked, read back and kept (or skipped with #
at once), and Derbyshire's priority groups, which staff see and which the queue puts after urgent referrals; both
reach the FHIR record and the data set's CSV."""

import csv
import io
import json
import re

from sqlalchemy import select

from ivr.extensions import db
from ivr.models import Referral
from tests.support.line import at, walk_referral
from tests.support.records import the_referral

NHS_NUMBER = "9434765919"  # a number whose check digit is right (the NHS Data Dictionary's example)


def test_a_keyed_nhs_number_is_read_back_in_threes_and_four_and_kept(app, phone):
    call = at(phone(), "referral.nhs_number")
    assert "If you know your NHS number, key it now. If not, press hash." in call.said
    call.press(NHS_NUMBER)
    assert "9 4 3, 4 7 6, 5 9 1 9. Is that right?" in call.said
    call.press("1")
    assert "Can we call you on" in call.said  # on to the callback number
    walk_referral(call)
    referral = the_referral(app)
    assert (referral.nhs_number, referral.nhs_number_source) == (NHS_NUMBER, "call")


def test_a_caller_who_does_not_know_it_presses_hash_and_goes_straight_on(app, phone):
    call = at(phone(), "referral.nhs_number")
    call.press("#")  # Twilio sends no digits for # alone: the line hears silence, and goes on at once
    assert "Can we call you on" in call.said and "NHS number" not in call.transcript[-1]
    walk_referral(call)
    referral = the_referral(app)
    assert (referral.status, referral.nhs_number, referral.nhs_number_source) == ("new", None, None)


def test_a_slipped_digit_is_caught_by_the_check_digit_and_two_slips_go_on_without_it(app, phone):
    call = at(phone(), "referral.nhs_number")
    call.press("9434765918")
    assert "Sorry, that isn't an NHS number. A digit may be wrong." in call.said
    assert "on the NHS App or a letter from your GP" in call.said  # where to find it, on the second ask
    call.press("943476591")
    assert "That's all right. Our team can find it." in call.said and "Can we call you on" in call.said
    walk_referral(call)
    referral = the_referral(app)
    assert referral.status == "new" and referral.nhs_number is None  # never a wrong number kept


def test_a_number_read_back_wrong_is_keyed_again(app, phone):
    call = at(phone(), "referral.nhs_number")
    call.press("9434765919")
    call.press("2")
    assert "Key it now, or press hash if you don't have it." in call.transcript[-1]
    call.press("9000000009")
    assert "9 oh oh, oh oh oh, oh oh oh 9. Is that right?" in call.said
    walk_referral(call)
    assert the_referral(app).nhs_number == "9000000009"


def test_staff_see_whether_the_caller_gave_it(app, phone, staff, client):
    walk_referral(phone(), answers={"referral.nhs_number": NHS_NUMBER})
    walk_referral(phone(), answers={"referral.nhs_number": None})
    staff.make()
    staff.login()
    with app.app_context():
        given, not_given = db.session.scalars(select(Referral.id).order_by(Referral.id)).all()
    page = client.get(f"/staff/referrals/{given}").get_data(as_text=True)
    assert "NHS number 943 476 5919 (keyed by the caller on the call" in page
    page = client.get(f"/staff/referrals/{not_given}").get_data(as_text=True)
    assert "Not known: the caller did not give it on the call" in page


def test_the_keyed_number_and_the_priority_reach_the_fhir_record_and_the_data_set(app, phone, practices, runner):
    walk_referral(phone(), answers={"referral.nhs_number": NHS_NUMBER, "referral.priority": "I was in the RAF"})
    reference = the_referral(app).reference
    result = runner.invoke(args=["referrals", "fhir", reference])
    assert result.exit_code == 0, result.output
    entries = {entry["resource"]["resourceType"]: entry["resource"] for entry in json.loads(result.stdout)["entry"]}
    [identifier] = entries["Patient"]["identifier"]
    assert (identifier["system"], identifier["value"]) == ("https://fhir.nhs.uk/Id/nhs-number", NHS_NUMBER)
    answers = {item["linkId"]: item["answer"][0] for item in entries["QuestionnaireResponse"]["item"]}
    assert answers["ex_forces"] == {"valueBoolean": True} and answers["nhs_number_keyed"] == {"valueBoolean": True}
    assert "pregnant_or_baby_under_one" not in answers  # not said: not known, so not answered

    result = runner.invoke(args=["referrals", "dataset", "--since", "2000-01-01", "--out", "-"])
    assert result.exit_code == 0, result.output
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (row["NHSNumber"], row["NHSNumberStatus"], row["ExBAFIndicator"]) == (NHS_NUMBER, "02", "02")


def test_yes_asks_which_and_no_is_neither(app, phone):
    call = at(phone(), "referral.priority")
    assert "Are you pregnant or have a baby under one, or are you a veteran?" in call.said
    call.press("1")
    assert "If you're pregnant or have a baby under one, press 1." in call.said
    call.press("3")
    assert "thoughts of harming yourself" in call.said  # on to the urgency question
    walk_referral(call)
    referral = the_referral(app)
    assert (referral.pregnant_or_baby_under_one, referral.ex_forces) == (True, True)


def test_no_at_the_priority_question_is_kept_as_neither(app, phone):
    walk_referral(phone(), answers={"referral.priority": "no"})
    referral = the_referral(app)
    assert (referral.pregnant_or_baby_under_one, referral.ex_forces) == (False, False)


def queue_order(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'href="/staff/referrals/(\d+)"', html)]


def test_the_queue_puts_priority_groups_after_urgent_and_before_the_rest(app, phone, staff, client):
    walk_referral(phone(), answers={"referral.priority": "no"})
    walk_referral(phone(), answers={"referral.priority": "I'm pregnant"})
    walk_referral(phone(), urgent=True)
    staff.make()
    staff.login()
    with app.app_context():
        plain, pregnant, urgent = db.session.scalars(select(Referral.id).order_by(Referral.id)).all()
    queue = client.get("/staff/referrals").get_data(as_text=True)
    assert queue_order(queue) == [urgent, pregnant, plain]
    assert queue.count("Priority: Pregnant or a baby under one") == 1
    assert queue_order(client.get("/staff/referrals?filter=priority").get_data(as_text=True)) == [pregnant]
