"""Possible duplicates, made through the phone: a second referral with the same date of birth and a similar name, or
the same callback number, within DUPLICATE_WINDOW_DAYS, is marked on both in the queue and on both pages; staff
merge it (closed as a duplicate, noted on the other) or dismiss the mark, each audited."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, Referral
from ivr.upkeep.retention import purge
from ivr.voice.duplicates import similar_names
from tests.support.line import at, walk_referral
from tests.support.records import age, call_for

FIRST, SECOND = "+447400111222", "+447400333444"  # two callers' own mobiles


def sent(phone, number: str, name: str = "Jane Smith", born: str = "14031988") -> str:
    """A referral sent on a call from `number` (the callback number the caller takes), hung up; its CallSid."""
    call = walk_referral(phone(caller_number=number), answers={"referral.name": name,
                                                               "referral.date_of_birth": born})
    call.hang_up()
    return call.call_sid


def referral(app, sid: str) -> tuple[int, str]:
    """The id (for its page's URL) and reference of the referral that call made."""
    with app.app_context():
        found = call_for(sid).referral
        return found.id, found.reference


def marks_in_queue(client) -> set[tuple[str, str]]:
    """(reference, the reference it may duplicate) for each mark the open queue shows."""
    page = client.get("/staff/referrals").get_data(as_text=True)
    shown = set()
    for row in page.split("<tr>")[2:]:
        reference = re.search(r">(IPT-\d+)</a>", row)[1]
        shown |= {(reference, other) for other in re.findall(r"Possible duplicate of (IPT-\d+)", row)}
    return shown


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_same_date_of_birth_and_a_similar_name_marks_both(app, phone, staff, client):
    first = referral(app, sent(phone, FIRST, "Jane Smith"))
    second = referral(app, sent(phone, SECOND, "Jayne Smith"))
    staff.make()
    staff.login()
    assert marks_in_queue(client) == {(first[1], second[1]), (second[1], first[1])}
    page = client.get(f"/staff/referrals/{second[0]}").get_data(as_text=True)
    assert f'href="/staff/referrals/{first[0]}">{first[1]}</a>' in page
    assert "same date of birth and a similar name" in page and "same callback number" not in page
    assert f"Possible duplicate of {second[1]}" in client.get(f"/staff/referrals/{first[0]}").get_data(as_text=True)


def test_the_same_callback_number_marks_both_whoever_they_say_they_are(app, phone, staff, client):
    first = referral(app, sent(phone, FIRST, "Jane Smith", "14031988"))
    second = referral(app, sent(phone, FIRST, "Tom Brown", "02021975"))
    staff.make()
    staff.login()
    assert marks_in_queue(client) == {(first[1], second[1]), (second[1], first[1])}
    assert "same callback number" in client.get(f"/staff/referrals/{first[0]}").get_data(as_text=True)


def test_different_people_are_not_marked(phone, staff, client):
    sent(phone, FIRST, "Jane Smith", "14031988")
    sent(phone, SECOND, "John Smith", "14031988")  # the same birthday, another person
    sent(phone, "+447400555666", "Jane Smith", "15031988")  # the same name, another birthday
    staff.make()
    staff.login()
    assert marks_in_queue(client) == set()


def test_a_referral_older_than_the_window_is_not_marked(app, phone, staff, client):
    first = sent(phone, FIRST)
    with app.app_context():
        age(first, days=app.config["DUPLICATE_WINDOW_DAYS"] + 1)
    sent(phone, FIRST)
    staff.make()
    staff.login()
    assert marks_in_queue(client) == set()


def test_a_call_that_drops_after_its_date_of_birth_is_marked_too(app, phone, staff, client):
    first = referral(app, sent(phone, FIRST, "Jane Smith", "14031988"))
    early = at(phone(caller_number=SECOND), "referral.practice", {"referral.date_of_birth": "14031988"})
    early.hang_up()  # only the date of birth: no name to compare, and no callback number yet
    staff.make()
    staff.login()
    assert marks_in_queue(client) == set()
    later = at(phone(caller_number=SECOND), "referral.voicemail", {"referral.name": "Jane Smith",
                                                                   "referral.date_of_birth": "14031988"})
    later.hang_up()
    second = referral(app, later.call_sid)
    assert marks_in_queue(client) == {(first[1], second[1]), (second[1], first[1])}
    assert "Incomplete (call dropped)" in client.get(f"/staff/referrals/{second[0]}").get_data(as_text=True)


def test_merge_closes_one_as_a_duplicate_notes_it_on_the_other_and_is_audited(app, phone, staff, client):
    first = referral(app, sent(phone, FIRST, "Jane Smith"))
    second = referral(app, sent(phone, SECOND, "Smith, Jane"))
    staff.make()
    staff.login()
    page = client.get(f"/staff/referrals/{second[0]}").get_data(as_text=True)
    merge = re.search(r'action="(/staff/referrals/\d+/duplicates/\d+/merge)"', page)[1]
    response = staff.post(merge, {"version": re.search(r'name="version" type="hidden" value="(\d+)"', page)[1]},
                          page=f"/staff/referrals/{second[0]}")
    assert response.status_code == 302 and response.headers["Location"].startswith(f"/staff/referrals/{first[0]}")
    closed = client.get(f"/staff/referrals/{second[0]}").get_data(as_text=True)
    assert "Duplicate referral" in closed and f"Closed as a duplicate of {first[1]}." in closed
    kept = client.get(f"/staff/referrals/{first[0]}").get_data(as_text=True)
    assert f"{second[1]} was closed as a duplicate of this referral" in kept and "Possible duplicate of" not in kept
    assert marks_in_queue(client) == set()
    (merged,) = events(app, "referral.duplicate_merged")
    assert (merged.subject_id, merged.detail["into"], merged.actor) == (second[0], first[0], "sam.jones@nhs.example")
    with app.app_context():
        assert db.session.get(Referral, second[0]).status == "closed"
        assert db.session.get(Referral, first[0]).status == "new"


def test_dismiss_takes_the_mark_off_both_and_is_audited(app, phone, staff, client):
    first = referral(app, sent(phone, FIRST))
    second = referral(app, sent(phone, FIRST))
    staff.make()
    staff.login()
    assert marks_in_queue(client) == {(first[1], second[1]), (second[1], first[1])}
    page = client.get(f"/staff/referrals/{first[0]}").get_data(as_text=True)
    dismiss = re.search(r'formaction="(/staff/referrals/\d+/duplicates/\d+/dismiss)"', page)[1]
    assert staff.post(dismiss, {}, page=f"/staff/referrals/{first[0]}").status_code == 302
    assert marks_in_queue(client) == set()
    assert "Possible duplicate" not in client.get(f"/staff/referrals/{second[0]}").get_data(as_text=True)
    (dismissed,) = events(app, "referral.duplicate_dismissed")
    assert (dismissed.subject_id, dismissed.detail["other"]) == (first[0], second[0])
    with app.app_context():
        assert {db.session.get(Referral, id_).status for id_ in (first[0], second[0])} == {"new"}


def test_merge_and_dismiss_need_a_login_and_the_page_s_token(app, phone, staff, client):
    first = referral(app, sent(phone, FIRST))
    referral(app, sent(phone, FIRST))
    staff.make()
    staff.login()
    page = client.get(f"/staff/referrals/{first[0]}").get_data(as_text=True)
    dismiss = re.search(r'formaction="(/staff/referrals/\d+/duplicates/\d+/dismiss)"', page)[1]
    assert client.post(dismiss, data={}).status_code == 400  # no CSRF token
    anonymous = app.test_client()
    response = anonymous.post(dismiss, data={})
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert events(app, "referral.duplicate_dismissed") == []
    assert len(marks_in_queue(client)) == 2


def test_the_export_names_what_each_referral_may_duplicate(app, phone, staff):
    first = referral(app, sent(phone, FIRST))
    second = referral(app, sent(phone, FIRST))
    alone = referral(app, sent(phone, SECOND, "Tom Brown", "02021975"))
    staff.make(admin=True)
    staff.login()
    rows = csv.DictReader(io.StringIO(staff.export("open").get_data(as_text=True)))
    assert {row["reference"]: row["possible_duplicate_of"] for row in rows} == {
        first[1]: second[1], second[1]: first[1], alone[1]: ""}


def test_a_referral_deleted_at_retention_takes_its_marks_with_it(app, phone, staff, client):
    first = sent(phone, FIRST)
    second = referral(app, sent(phone, FIRST))
    with app.app_context():
        age(first, days=app.config["RETENTION_INCOMPLETE_DAYS"] + 1, status="incomplete")
        purge()
        db.session.commit()
    staff.make()
    staff.login()
    assert marks_in_queue(client) == set()
    page = client.get(f"/staff/referrals/{second[0]}")
    assert page.status_code == 200 and "Possible duplicate" not in page.get_data(as_text=True)


@pytest.mark.parametrize(("one", "other", "alike"), [
    ("Jane Smith", "Smith Jane", True), ("Jane Smith", "Jayne Smith", True), ("Jane Smith", "Jane Smyth", True),
    ("Zoë O'Brien", "Zoe OBrien", True), ("Jane Smith", "John Smith", False), ("Jane Smith", None, False),
])
def test_names_that_may_be_the_same_person(one, other, alike):
    assert similar_names(one, other) is alike
