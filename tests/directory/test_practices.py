"""The GP practice directory: importing ODS files, matching what callers say, and the practice step of a call."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from ivr.callflow.practice_match import Matcher
from ivr.callflow.practice_names import MAX_HINTS, hints_for, listing, spoken
from ivr.directory.store import PracticeDirectory
from ivr.extensions import db
from ivr.models import Practice
from tests.support.line import PRACTICES, to_practice
from tests.support.records import stored_practice
from tests.support.twilio_docs import MAX_HINT_LENGTH as TWILIO_MAX_HINT_LENGTH
from tests.support.twilio_docs import MAX_HINTS as TWILIO_MAX_HINTS


def rows() -> list[dict[str, str]]:
    with open(PRACTICES, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def write(path: Path, practices: list[dict[str, str]]) -> str:
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(practices[0]))
        writer.writeheader()
        writer.writerows(practices)
    return str(path)


def run_import(runner, path, *options):
    return runner.invoke(args=["practices", "import", str(path), *options])


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher([listing(row) for row in rows()])


# --- Import -------------------------------------------------------------------------------------------


def test_import_adds_every_active_practice_and_says_what_it_did(app, runner):
    result = run_import(runner, PRACTICES)
    assert result.exit_code == 0, result.output
    assert "108 added, 0 updated, 0 made inactive; 108 practices active" in result.output
    with app.app_context():
        arthur = db.session.get(Practice, "C81017")
        assert (arthur.name, arthur.address_line_2, arthur.town) == (
            "ARTHUR MEDICAL CENTRE", "HORSLEY WOODHOUSE", "ILKESTON"
        )
        assert arthur.active


def test_a_newer_file_updates_in_place_and_never_deletes(app, runner, tmp_path):
    run_import(runner, PRACTICES)
    newer = [row for row in rows() if row["ods_code"] != "C81017"]  # Arthur gone from the file
    for row in newer:
        if row["ods_code"] == "C81611":
            row["name"] = "MATLOCK & ASHOVER MEDICAL PRACTICE"
        if row["ods_code"] == "C81072":
            row["status"] = "INACTIVE"
    newer.append({**newer[0], "ods_code": "C81999", "name": "NEW DALE SURGERY", "address_line_2": "HEAGE"})
    result = run_import(runner, write(tmp_path / "newer.csv", newer))
    assert result.exit_code == 0, result.output
    assert "1 added, 1 updated, 2 made inactive; 107 practices active" in result.output
    with app.app_context():
        assert not db.session.get(Practice, "C81017").active  # kept: referrals may name it
        assert not db.session.get(Practice, "C81072").active
        assert db.session.get(Practice, "C81611").name == "MATLOCK & ASHOVER MEDICAL PRACTICE"
        assert db.session.get(Practice, "C81999").active
        assert len(db.session.scalars(select(Practice)).all()) == 109

    again = run_import(runner, PRACTICES)  # Arthur back, the new one gone from the file
    assert "0 added, 3 updated, 1 made inactive; 108 practices active" in again.output


def test_if_empty_imports_only_into_an_empty_directory(app, runner, tmp_path):
    first = run_import(runner, PRACTICES, "--if-empty")
    assert first.exit_code == 0 and "108 added" in first.output
    smaller = write(tmp_path / "smaller.csv", rows()[:10])
    second = run_import(runner, smaller, "--if-empty")
    assert second.exit_code == 0
    assert "already has 108 practices; nothing imported" in second.output
    with app.app_context():
        assert db.session.get(Practice, "C81118").active


@pytest.mark.parametrize("content, says", [
    (None, "cannot read"),
    ("name,town\nARTHUR,ILKESTON\n", "not a practice file: no column ods_code"),
    (b"\xff\xfe\x00\x01binary", "cannot read"),
    ("", "not a practice file"),
])
def test_a_bad_file_gives_a_one_line_error_and_changes_nothing(app, runner, tmp_path, content, says):
    path = tmp_path / "practices.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    result = run_import(runner, path)
    assert result.exit_code != 0
    assert says in result.output and result.output.startswith("Error:")
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    with app.app_context():
        assert db.session.scalars(select(Practice)).first() is None


@pytest.mark.parametrize("change, says", [
    ({"ods_code": ""}, "line 2: no ODS code or name"),
    ({"status": "INACTIVE"}, "no ACTIVE practices"),
    ({"name": "X" * 200}, "line 2: name longer than 120 characters"),
])
def test_a_malformed_row_is_named_and_nothing_changes(app, runner, tmp_path, change, says):
    practices = [{**row, **change} for row in rows()]
    result = run_import(runner, write(tmp_path / "bad.csv", practices))
    assert result.exit_code != 0 and says in result.output and "Traceback" not in result.output


# --- Names and places as they are said ---------------------------------------------------------------------


@pytest.mark.parametrize("ods, name", [
    ("C81046", "West Hallam Medical Centre"),
    ("C81108", "Melbourne and Chellaston Medical Practice"),
    ("C81096", "Crag's Health Care"),
    ("C81075", "Henmore Health, Brailsford Surgery"),
    ("C81010", "The Moir Medical Centre"),
    ("C81012", "The Surgery at Wheatbridge"),
])
def test_names_are_said_in_full_words(ods, name):
    [row] = [r for r in rows() if r["ods_code"] == ods]
    assert listing(row).name == name


@pytest.mark.parametrize("ods, place", [
    ("C81017", "Horsley Woodhouse, Ilkeston"),
    ("C81010", "Long Eaton"),  # post town NOTTINGHAM
    ("C81033", "Shirebrook"),  # post town MANSFIELD
    ("C81091", "Killamarsh"),  # post town SHEFFIELD
    ("C81050", "South Normanton, Alfreton"),
    ("C81649", "Brimington, Chesterfield"),
    ("C81089", "Dronfield Woodhouse"),
    ("C81063", "Chapel-en-le-Frith"),
    ("C81059", "Ripley"),
])
def test_places_are_where_people_say_they_are(ods, place):
    [row] = [r for r in rows() if r["ods_code"] == ods]
    assert listing(row).place == place


def test_abbreviations_are_spelt_out():
    assert spoken("THE GRANGE FAMILY H/CTR") == "The Grange Family Health Centre"
    assert spoken("BRIMINGTON&CALOW MED PRAC") == "Brimington and Calow Medical Practice"
    assert spoken("GREENHILL PRIM CARE CTR") == "Greenhill Primary Care Centre"


# --- Matching what callers say --------------------------------------------------------------------------

ONE = [
    ("Arthur Medical Centre in Horsley Woodhouse", "C81017"),
    ("Author medical centre", "C81017"),  # misheard
    ("the surgery in Horsley Woodhouse", "C81017"),  # the village, not the post town
    ("Arthur's", "C81017"),
    ("ivy grove", "C81004"),
    ("Ivygrove surgery Ripley", "C81004"),
    ("Church Farm Medical Centre", "C81004"),  # the building it is in
    ("the Moir in Long Eaton", "C81010"),
    ("West Park surgery Long Eaton", "C81083"),
    ("Kelvin Grove medical centre", "C81049"),  # split word
    ("summer coats medical centre", "C81027"),  # sound-alike
    ("Emmet car surgery", "C81095"),
    ("Jessup medical practice", "C81005"),
    ("Goit Valley", "C81080"),
    ("Royal Primary Care Clay Cross", "C81008"),
    ("Saint Lawrence Road surgery", "C81647"),
    ("Chellaston surgery", "C81108"),  # part of the name
    ("Brimington and Calow medical practice", "C81649"),  # name the other way round
    ("Inspire Health", "C81084"),
    ("the doctors in Tibshelf", "C81029"),
]


@pytest.mark.parametrize("said, ods", ONE)
def test_one_clear_practice_is_found(matcher, said, ods):
    assert [found.ods_code for found in matcher.match(said)] == [ods]


@pytest.mark.parametrize("said, choices", [
    ("Mickleover", {"C81042", "C81113"}),
    ("Henmore Health", {"C81075", "C81086"}),
    ("Creswell medical centre", {"Y04977", "C81096"}),
])
def test_several_alike_are_offered_to_choose_from(matcher, said, choices):
    assert {found.ods_code for found in matcher.match(said)} == choices


@pytest.mark.parametrize("said", [
    "Dove River Practice Tutbury",  # Staffordshire
    "the doctors in Tutbury",
    "Beeston Village Surgery",  # Nottingham
    "Meir Park surgery",  # Stoke
    "Porter Brook Medical Centre Sheffield",
    "Oakwood Surgery Mansfield",
    "Castle Donington surgery",  # Leicestershire
    "Park Lane surgery Stoke",  # not Park Lane Surgery, Allestree
    "Eastwood",  # spelt like Heartwood, but does not sound like it
    "Imperial Road Surgery Matlock",  # dormant: no longer in the file
    "Howard Street Medical Practice Glossop",  # closed
    "Derby",  # too many to offer
    "I can't remember",
    "",
])
def test_out_of_area_or_unknown_is_never_the_one_clear_match(matcher, said):
    assert len(matcher.match(said)) != 1


def test_hints_list_names_and_places_within_twilios_limits(matcher):
    phrases = hints_for(k.listing for k in matcher.known).split(", ")
    assert {"Arthur Medical Centre", "Horsley Woodhouse", "Long Eaton", "Ivy Grove Surgery"} <= set(phrases)
    assert "Nottingham" not in phrases
    assert len(phrases) == len(set(phrases)) <= MAX_HINTS
    assert all(0 < len(p) < 100 and "," not in p for p in phrases)


def test_directory_matches_only_active_practices_and_sees_a_new_import(app, runner, tmp_path):
    directory = PracticeDirectory(recheck_seconds=0)
    with app.app_context():
        assert directory.match("Arthur Medical Centre") == []  # nothing imported yet
    run_import(runner, PRACTICES)
    with app.app_context():
        assert directory.match("Arthur Medical Centre") == [
            {"ods_code": "C81017", "name": "Arthur Medical Centre", "place": "Horsley Woodhouse, Ilkeston"}
        ]
    run_import(runner, write(tmp_path / "newer.csv", [r for r in rows() if r["ods_code"] != "C81017"]))
    with app.app_context():
        assert directory.match("Arthur Medical Centre") == []
        assert "Arthur Medical Centre" not in directory.hints()


# --- The practice step of a call ---------------------------------------------------------------------------


def test_caller_hears_the_practice_with_its_place_and_confirming_stores_its_code(app, phone, practices):
    call = to_practice(phone)
    assert "Which GP practice" in call.said
    assert "Arthur Medical Centre" in call.waiting_for.get("hints")
    call.say("Arthur Medical Centre")
    assert "Arthur Medical Centre in Horsley Woodhouse, Ilkeston" in call.said
    assert stored_practice(app) is None  # not until the caller confirms
    call.press("1")
    assert "What's your full name" in call.said
    assert stored_practice(app) == "C81017"


def test_a_wrong_read_back_is_refused_and_the_caller_asked_again(app, phone, practices):
    call = to_practice(phone).say("Author medical centre")
    assert "Arthur Medical Centre" in call.said
    call.press("2")
    assert "name of your GP surgery" in call.said
    call.say("Ivy Grove in Ripley")
    assert "Ivy Grove Surgery in Ripley" in call.said
    call.say("yes")
    assert stored_practice(app) == "C81004"


def test_several_alike_are_offered_by_keypad(app, phone, practices):
    call = to_practice(phone).say("Mickleover")
    said = call.said
    assert "Mickleover Medical Centre in Mickleover, Derby, press 1" in said
    assert "Mickleover Surgery in Mickleover, Derby, press 2" in said
    assert "none of these, press 3" in said
    call.press("2")
    assert call.said == "Mickleover Surgery in Mickleover, Derby. Is that right?"  # read back, as any other (H2)
    assert stored_practice(app) is None
    call.press("1")
    assert "What's your full name" in call.said
    assert stored_practice(app) == "C81113"


def test_the_real_directorys_hints_fit_twilios_limits_and_name_every_practice(app, phone, practices):
    hints = to_practice(phone).waiting_for.get("hints").split(", ")
    assert len(hints) <= TWILIO_MAX_HINTS and all(0 < len(hint) <= TWILIO_MAX_HINT_LENGTH for hint in hints)
    with app.app_context():
        active = db.session.scalars(select(Practice).where(Practice.active)).all()
        assert len(active) > 100  # the whole of Derby and Derbyshire, not a sample
        names = {" ".join(listing(practice).name.replace(",", " ").split()) for practice in active}
    assert names <= set(hints)  # none cut off by the limit
