"""The PDS client against a local fake of NHS England's sandbox (tests/support/fake_pds.py): the request as PDS's
specification asks for it, a result taken only when exactly one person matched, and every failure an error with a
sentence for staff, never a match. The names' split and the NHS number's check digit, as tables."""

import json
from datetime import date
from uuid import UUID

import pytest

from ivr.callflow.nhs_number import is_nhs_number
from ivr.interop import names
from ivr.interop.pds import Outcome, PdsClient, PdsError, Search, static_token
from tests.support.fake_pds import BODIES, fake_pds
from tests.support.servers import free_port

MARTHA = Search(given="Martha", family="Massam", birth_date=date(1920, 8, 11))


@pytest.fixture
def pds():
    with fake_pds() as (base_url, fake):
        yield PdsClient(base_url, static_token("AbCd1234"), timeout=2), fake


def test_one_person_is_found_by_an_exact_search_for_one_result(pds):
    client, fake = pds
    result = client.search(MARTHA)
    assert (result.outcome, result.nhs_number) == (Outcome.ONE, "9693632966")
    [request] = fake.requests
    assert request["path"] == "/personal-demographics/FHIR/R4/Patient"
    assert request["query"] == {"family": ["Massam"], "given": ["Martha"], "birthdate": ["eq1920-08-11"],
                                "_exact-match": ["true"], "_max-results": ["1"]}
    headers = request["headers"]
    assert UUID(headers["X-Request-ID"]) and UUID(headers["X-Correlation-ID"])
    assert headers["Authorization"] == "Bearer AbCd1234" and headers["Accept"] == "application/fhir+json"


def test_the_practice_confirmed_on_the_call_narrows_the_search(pds):
    client, fake = pds
    client.search(Search(given="Martha", family="MASSAM", birth_date=date(1920, 8, 11), practice_ods_code="A20047"))
    assert fake.requests[0]["query"]["general-practitioner"] == ["A20047"]


def test_more_than_one_person_is_too_many_matches_and_nothing_is_taken(pds):
    client, _fake = pds
    result = client.search(Search(given="Luke", family="Youds", birth_date=date(1970, 1, 24)))
    assert (result.outcome, result.nhs_number) == (Outcome.SEVERAL, None)


def test_nobody_found_is_none(pds):
    client, _fake = pds
    result = client.search(Search(given="Peter", family="Spiderman", birth_date=date(1962, 7, 31)))
    assert (result.outcome, result.nhs_number) == (Outcome.NONE, None)


def test_an_answer_that_is_neither_a_searchset_nor_too_many_matches_is_an_error(pds):
    client, _fake = pds
    with pytest.raises(PdsError) as raised:
        client.search(Search(given="Jane", family="Smith", birth_date=date(1988, 3, 14)))
    assert raised.value.code == "not_supported" and "no NHS number was taken" in str(raised.value)


def _massam(**changes) -> dict:
    """The sandbox's answer for Martha Massam, with one entry's resource or search changed."""
    body = json.loads((BODIES / "martha_massam_searchset.json").read_text())
    entry = body["entry"][0]
    entry["search"] |= changes.pop("search", {})
    entry["resource"] |= changes
    return body


@pytest.mark.parametrize("body", [
    _massam(search={"score": 0.9}),  # not an exact match
    _massam(birthDate="1920-08-12"),  # not the date of birth searched for
    _massam(id="9693632967"),  # not a valid NHS number
    {"resourceType": "Patient", "id": "9693632966"},  # not a searchset
])
def test_a_match_that_is_not_exactly_what_was_searched_for_is_never_taken(body):
    client = PdsClient("https://pds.invalid/personal-demographics/FHIR/R4", static_token(None))
    client._get = lambda url: (200, body)
    with pytest.raises(PdsError) as raised:
        client.search(MARTHA)
    assert "no NHS number was taken" in str(raised.value)


def test_a_server_error_is_an_error_with_words_for_staff(pds):
    client, fake = pds
    fake.fault = "500"
    with pytest.raises(PdsError) as raised:
        client.search(MARTHA)
    assert raised.value.code == "http_500" and "Try again later" in str(raised.value)


def test_no_answer_in_time_is_a_timeout(pds):
    client, fake = pds
    client.timeout, fake.fault, fake.delay = 0.3, "slow", 2
    with pytest.raises(PdsError) as raised:
        client.search(MARTHA)
    assert raised.value.code == "timeout" and "did not answer in time" in str(raised.value)


def test_a_refused_token_says_so(pds):
    client, _fake = pds
    client.token = static_token("not a token")
    with pytest.raises(PdsError) as raised:
        client.search(MARTHA)
    assert raised.value.code == "http_401" and "access token" in str(raised.value)


def test_nothing_listening_is_unreachable():
    client = PdsClient(f"http://127.0.0.1:{free_port()}/personal-demographics/FHIR/R4", static_token(None), timeout=2)
    with pytest.raises(PdsError) as raised:
        client.search(MARTHA)
    assert raised.value.code == "unreachable"


@pytest.mark.parametrize(("heard", "split"), [
    ("Martha Massam", ("Martha", "Massam")),
    ("Jane Anne Smith", ("Jane", "Smith")),  # middle names left out, as PDS advises
    ("Mrs Jane Smith", ("Jane", "Smith")),
    ("Dr. Jane Smith", ("Jane", "Smith")),
    ("Sam O'Neill-Smith", ("Sam", "O'Neill-Smith")),
    ("Anna Van Der Berg", ("Anna", "Van Der Berg")),
    ("Maria De Souza", ("Maria", "De Souza")),
    ("Ahmed Al Hassan", ("Ahmed", "Al Hassan")),
    ("Jane", ("", "")),  # one word: given or family? not guessed
    ("Mrs Smith", ("", "")),
    ("", ("", "")),
    (None, ("", "")),
])
def test_the_name_as_heard_is_split_into_given_and_family(heard, split):
    assert names.split(heard) == split


@pytest.mark.parametrize(("given", "family", "problem"), [
    ("Martha", "Massam", None),
    ("Mary-Jane", "O'Neill Smith", None),
    ("", "Massam", "Type the given name to search for."),
    ("Martha", "Mas*", "The family name can only have letters, spaces, hyphens and apostrophes."),
    ("Martha", "M" * 36, "The family name is longer than PDS takes (35 letters)."),
])
def test_only_names_pds_takes_are_searched(given, family, problem):
    assert names.problem(given, family) == problem


@pytest.mark.parametrize(("number", "valid"), [
    ("9000000009", True), ("9693632966", True), ("9693633679", True),
    ("9000000001", False), ("969363296", False), ("96936329a6", False),
])
def test_an_nhs_number_has_ten_digits_and_its_check_digit(number, valid):
    assert is_nhs_number(number) is valid
