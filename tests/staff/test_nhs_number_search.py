"""Staff's "Find NHS number on PDS" on a referral's page: off unless PDS_BASE_URL is set; behind the login and the
page's token; a number kept only when exactly one person matched, shown as found on PDS and not yet verified, and
carried by the FHIR record; every search in the audit log; PDS failing is a message to staff, never an error page.
PDS is a local fake answering as NHS England's sandbox does (tests/support/fake_pds.py)."""

import json

import pytest
import sqlalchemy as sa

from ivr.app import create_app
from ivr.config import ConfigError
from ivr.extensions import db
from ivr.models import AuditEvent, Referral
from tests.support.fake_nhs_auth import API_KEY, KEY_ID, fake_token_endpoint, key_pair
from tests.support.fake_pds import fake_pds
from tests.support.line import walk_referral
from tests.voice.test_startup import production

LANDLINE = "+441332123456"  # never offered a text: the walk needs no answer for it


@pytest.fixture
def pds(app):
    """The search on, against the fake sandbox; yields the fake."""
    with fake_pds() as (base_url, fake):
        app.config.update(PDS_BASE_URL=base_url, PDS_ACCESS_TOKEN="AbCd1234", PDS_TIMEOUT_SECONDS=2)
        yield fake


@pytest.fixture
def caller(app, phone):
    """A referral sent on the line by someone giving this name and date of birth (DDMMYYYY); returns its id."""

    def refer(name: str = "Martha Massam", born: str = "11081920") -> int:
        call = walk_referral(phone(caller_number=LANDLINE),
                             answers={"referral.name": name, "referral.date_of_birth": born})
        call.hang_up(duration=185)
        with app.app_context():
            return db.session.scalars(sa.select(Referral.id).join(Referral.call)
                                      .where(sa.text("calls.call_sid = :sid")), {"sid": call.call_sid}).one()

    return refer


def _searches(app) -> list[dict]:
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "referral.pds_searched")
                                    .order_by(AuditEvent.id)).all()  # in the order searched, on PostgreSQL too
        return [event.detail | {"actor": event.actor} for event in events]


def _search(staff, client, referral_id: int, **names):
    page = f"/staff/referrals/{referral_id}"
    response = staff.post(f"{page}/nhs-number", names, page=page)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{page}#nhs-number")
    return client.get(page).get_data(as_text=True)


def test_one_person_found_is_kept_shown_as_not_yet_verified_and_exported(app, staff, client, pds, caller):
    referral_id = caller()
    staff.make()
    staff.login()
    page = client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)
    assert "Find NHS number on PDS" in page
    assert 'name="given" type="text" value="Martha"' in page and 'name="family" type="text" value="Massam"' in page
    page = _search(staff, client, referral_id, given="Martha", family="Massam")
    assert "NHS number 969 363 2966 (found on PDS, not yet verified by staff)" in page
    assert "exactly one person matched" in page and "Find NHS number on PDS" not in page
    assert pds.requests[0]["query"]["birthdate"] == ["eq1920-08-11"]
    assert _searches(app) == [{"via": "dashboard", "practice": False, "names_as_guessed": True, "outcome": "one",
                               "taken": True, "actor": "sam.jones@nhs.example"}]
    bundle = staff.post(f"/staff/referrals/{referral_id}/fhir", {}, page=f"/staff/referrals/{referral_id}")
    [patient] = [entry["resource"] for entry in json.loads(bundle.get_data(as_text=True))["entry"]
                 if entry["resource"]["resourceType"] == "Patient"]
    assert patient["identifier"][0]["system"] == "https://fhir.nhs.uk/Id/nhs-number"
    assert patient["identifier"][0]["value"] == "9693632966"


def test_nobody_found_keeps_nothing(app, staff, client, pds, caller):
    referral_id = caller(name="Peter Spiderman", born="31071962")
    staff.make()
    staff.login()
    page = _search(staff, client, referral_id, given="Peter", family="Spiderman")
    assert "PDS found nobody with exactly these names and date of birth" in page
    assert "Not known" in page and "Find NHS number on PDS" in page
    assert [(event["outcome"], event["taken"]) for event in _searches(app)] == [("none", False)]


def test_several_people_found_keeps_nothing(app, staff, client, pds, caller):
    referral_id = caller(name="Luke Youds", born="24011970")
    staff.make()
    staff.login()
    page = _search(staff, client, referral_id, given="Luke", family="Youds")
    assert "PDS found more than one person with these details, so no NHS number was taken" in page
    with app.app_context():
        assert db.session.get(Referral, referral_id).nhs_number is None
    assert [(event["outcome"], event["taken"]) for event in _searches(app)] == [("several", False)]


@pytest.mark.parametrize(("fault", "said", "code"), [
    ("500", "PDS could not answer just now, so no NHS number was taken. Try again later.", "http_500"),
    ("slow", "PDS did not answer in time. Try again in a few minutes.", "timeout"),
])
def test_pds_failing_is_a_message_to_staff(app, staff, client, pds, caller, fault, said, code):
    referral_id = caller()
    staff.make()
    staff.login()
    app.config["PDS_TIMEOUT_SECONDS"] = 0.3
    pds.fault = fault
    page = _search(staff, client, referral_id, given="Martha", family="Massam")
    assert said in page and "Not known" in page
    [event] = _searches(app)
    assert (event["outcome"], event["error"], event["taken"]) == ("error", code, False)


def test_names_staff_corrected_are_searched_and_audited_as_corrected(app, staff, client, pds, caller):
    referral_id = caller(name="Massam Martha")  # family name first: the guess is the wrong way round
    staff.make()
    staff.login()
    page = _search(staff, client, referral_id, given="Martha", family="Massam")
    assert "NHS number 969 363 2966" in page
    assert _searches(app)[0]["names_as_guessed"] is False


def test_a_name_pds_would_not_take_is_not_searched(app, staff, client, pds, caller):
    referral_id = caller()
    staff.make()
    staff.login()
    page = _search(staff, client, referral_id, given="Martha", family="Ma*")
    assert "The family name can only have letters, spaces, hyphens and apostrophes." in page
    assert pds.requests == [] and _searches(app) == []


def test_off_without_pds_base_url_no_button_and_not_found(app, staff, client, caller):
    referral_id = caller()
    staff.make()
    staff.login()
    assert "Find NHS number on PDS" not in client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)
    response = staff.post(f"/staff/referrals/{referral_id}/nhs-number", {"given": "Martha", "family": "Massam"},
                          page=f"/staff/referrals/{referral_id}")
    assert response.status_code == 404 and _searches(app) == []


def test_nobody_logged_out_searches(app, client, pds, caller):
    referral_id = caller()
    response = client.post(f"/staff/referrals/{referral_id}/nhs-number", data={"given": "Martha", "family": "Massam"})
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert pds.requests == [] and _searches(app) == []


def test_a_post_without_the_pages_token_is_refused(app, staff, client, pds, caller):
    referral_id = caller()
    staff.make()
    staff.login()
    response = client.post(f"/staff/referrals/{referral_id}/nhs-number", data={"given": "Martha", "family": "Massam"})
    assert response.status_code == 400 and "This form has expired" in response.get_data(as_text=True)
    assert pds.requests == [] and _searches(app) == []


@pytest.fixture
def signed_jwt(app, pds, tmp_path):
    """The search on with signed JWT authentication, against a fake token endpoint holding the line's public key."""
    private_key, public_key = key_pair(tmp_path)
    with fake_token_endpoint({KEY_ID: public_key}) as endpoint:
        app.config.update(PDS_ACCESS_TOKEN="", PDS_TOKEN_URL=endpoint.url, PDS_API_KEY=API_KEY, PDS_KEY_ID=KEY_ID,
                          PDS_PRIVATE_KEY_PATH=str(private_key))
        yield endpoint


def test_with_signed_jwt_settings_searches_carry_one_token_from_nhs_england(app, staff, client, pds, signed_jwt,
                                                                           caller):
    found, other = caller(), caller(name="Peter Spiderman", born="31071962")
    staff.make()
    staff.login()
    assert "NHS number 969 363 2966" in _search(staff, client, found, given="Martha", family="Massam")
    assert "PDS found nobody" in _search(staff, client, other, given="Peter", family="Spiderman")
    assert [request["headers"]["Authorization"] for request in pds.requests] == [f"Bearer {signed_jwt.issued[0]}"] * 2
    assert [(event["outcome"], event["taken"]) for event in _searches(app)] == [("one", True), ("none", False)]


@pytest.mark.parametrize(("fault", "said", "code"), [
    ("500", "sign-in for PDS could not answer just now, so nothing was searched. Try again later. No NHS number was "
            "taken.", "token_http_500"),
    ("refused", "ask whoever runs the line to check its PDS onboarding", "token_http_401"),
])
def test_the_token_endpoint_failing_is_a_message_to_staff(app, staff, client, pds, signed_jwt, caller, fault, said,
                                                          code):
    referral_id = caller()
    staff.make()
    staff.login()
    if fault == "500":
        signed_jwt.fault = "500"
    else:
        signed_jwt.api_key = "another-apps-key"
    page = _search(staff, client, referral_id, given="Martha", family="Massam")
    assert said in page and "Not known" in page and pds.requests == []
    [event] = _searches(app)
    assert (event["outcome"], event["error"], event["taken"]) == ("error", code, False)


HTTPS_PDS = "https://int.api.service.nhs.uk/personal-demographics/FHIR/R4"


@pytest.mark.parametrize(("settings", "message"), [
    ({"PDS_BASE_URL": HTTPS_PDS, "PDS_ACCESS_TOKEN": ""},
     "PDS_BASE_URL is set: set PDS_TOKEN_URL, PDS_API_KEY, PDS_KEY_ID and PDS_PRIVATE_KEY_PATH"),
    ({"PDS_BASE_URL": "http://int.api.service.nhs.uk/personal-demographics/FHIR/R4", "PDS_ACCESS_TOKEN": "AbCd1234"},
     "make it NHS England's https:// address, or unset it"),
    ({"PDS_BASE_URL": HTTPS_PDS, "PDS_API_KEY": API_KEY, "PDS_KEY_ID": KEY_ID},
     "needs all four settings: set PDS_TOKEN_URL and PDS_PRIVATE_KEY_PATH too"),
    ({"PDS_BASE_URL": HTTPS_PDS, "PDS_TOKEN_URL": "https://int.api.service.nhs.uk/oauth2/token", "PDS_API_KEY": API_KEY,
      "PDS_KEY_ID": KEY_ID, "PDS_PRIVATE_KEY_PATH": "/nowhere/pds.pem"},
     "PDS_PRIVATE_KEY_PATH is '/nowhere/pds.pem', where there is no file"),
])
def test_production_refuses_a_pds_search_it_could_not_make(database_url, settings, message):
    with pytest.raises(ConfigError) as refused:
        create_app(production(database_url, **settings))
    assert message in str(refused.value)


def test_production_starts_with_signed_jwt_settings(database_url, tmp_path):
    private_key, _public_key = key_pair(tmp_path)
    app = create_app(production(database_url, PDS_BASE_URL=HTTPS_PDS, PDS_API_KEY=API_KEY, PDS_KEY_ID=KEY_ID,
                                PDS_TOKEN_URL="https://int.api.service.nhs.uk/oauth2/token",
                                PDS_PRIVATE_KEY_PATH=str(private_key)))
    assert app.config["PDS_PRIVATE_KEY_PATH"] == str(private_key)
