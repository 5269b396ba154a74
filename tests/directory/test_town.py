"""A town said on its own: its practices three at a time (8 for more: 9 is help now), judged by the directory, not
the post town."""

from __future__ import annotations

import csv

import pytest

from ivr.callflow.practice_match import Matcher
from ivr.callflow.practice_names import listing
from tests.support.line import FLOWS, to_practice
from tests.support.records import stored_practice

PRACTICES = FLOWS.parent / "data" / "gp-practices-derby-derbyshire.csv"
LONG_EATON = ["College Street Medical Practice", "The Aitune Medical Practice", "The Moir Medical Centre",
              "West Park Surgery"]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    with open(PRACTICES, newline="", encoding="utf-8") as file:
        return Matcher([listing(row) for row in csv.DictReader(file) if row["status"] == "ACTIVE"])


@pytest.mark.parametrize(("said", "place", "names"), [
    ("Long Eaton", "Long Eaton", LONG_EATON),
    ("the one in Long Eaton, Nottingham", "Long Eaton", LONG_EATON),  # its post town is over the county line
    ("long eton", "Long Eaton", LONG_EATON),
    ("Belper", "Belper", ["Appletree Medical Practice", "Riversdale Surgery", "Whitemoor Medical Centre"]),
])
def test_a_place_alone_is_its_practices_in_the_directory(matcher, said, place, names):
    found_place, found = matcher.town(said)
    assert (found_place, [x.name for x in found]) == (place, names)


@pytest.mark.parametrize("said", ["Arthur Medical Centre", "Park Surgery Heanor", "Sam Taylor", "Tutbury"])
def test_a_practice_name_or_a_place_outside_the_directory_is_not_a_town(matcher, said):
    assert matcher.town(said) == ("", [])


def test_long_eaton_is_offered_three_at_a_time_with_8_for_more(app, phone, practices):
    call = to_practice(phone).say("Long Eaton")
    said = call.said
    assert said.startswith("Here are the practices in Long Eaton.")
    for n, name in enumerate(LONG_EATON[:3], start=1):
        assert f"For {name}, press {n}." in said
    assert "For more practices, press 8. If it's not one of these, press 4." in said
    call.press("8")
    assert "For West Park Surgery, press 1. If it's not one of these, press 2." in call.said
    call.press("1")
    assert call.said == "West Park Surgery in Long Eaton. Is that right?"
    call.press("1")
    assert "What's your full name?" in call.said
    assert stored_practice(app) == "C81083"


def test_a_practice_on_the_list_can_be_chosen_by_saying_its_name(app, phone, practices):
    call = to_practice(phone).say("Long Eaton").say("the Moir")
    assert call.said == "The Moir Medical Centre in Long Eaton. Is that right?"
    assert "What's your full name?" in call.say("yes").said
    assert stored_practice(app) == "C81010"


def test_none_of_these_asks_for_the_practice_name(phone, practices):
    call = to_practice(phone).say("Long Eaton").press("8").press("2")
    assert "Please say the name of your GP surgery" in call.said


def test_belper_offers_each_of_its_practices(app, phone, practices):
    said = to_practice(phone).say("Belper").said
    for name in ("Appletree Medical Practice", "Riversdale Surgery", "Whitemoor Medical Centre"):
        assert name in said


def test_a_town_with_too_many_practices_to_read_out_asks_for_the_name(phone, practices):
    call = to_practice(phone).say("Derby")
    assert "There are a lot of practices there. Please say your practice's name, and its town." in call.said
    call.say("Friar Gate Surgery in Derby")
    assert "Friar Gate Surgery" in call.said and "Is that right?" in call.said
