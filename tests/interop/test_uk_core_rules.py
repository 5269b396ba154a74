"""UK Core's rules, which fhir.resources does not check, as our own: the NHS number's system and its verification
status, the GP practice by ODS code, the self-referral code and the source-of-referral extension. The URLs and codes
are written out here as UK Core's StructureDefinitions give them (NHSDigital/FHIR-R4-UKCORE-STAGING-MAIN), not
imported from the code under test, so a typo in either shows."""

import copy
import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from ivr.extensions import db
from ivr.interop import facts
from ivr.interop.bundle import bundle_json
from ivr.interop.facts import Facts
from ivr.models import Referral
from tests.interop.test_fhir_export import phone_referral, resources

NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
VERIFICATION = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus"
VERIFICATION_CODES = "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland"
ODS = "https://fhir.nhs.uk/Id/ods-organization-code"
SOURCE = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-SourceOfServiceRequest"
SNOMED = "http://snomed.info/sct"
SELF_REFERRAL_IAPT = "1036481000000106"
INTERPRETER = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"
TEST_NHS_NUMBER = "9000000009"  # NHS England's sandbox test patient: a valid modulus 11 check digit


def uk_core_problems(bundle: dict) -> list[str]:
    """What breaks UK Core's rules in a referral's Bundle (empty when nothing does)."""
    problems = []
    found = resources(bundle)
    patient_url, patient = found["Patient"]
    nhs = [identifier for identifier in patient.get("identifier", []) if identifier.get("system") == NHS_NUMBER]
    verified = [identifier for identifier in patient.get("identifier", [])
                if any(ext["url"] == VERIFICATION for ext in identifier.get("extension", []))]
    if len(nhs) > 1:
        problems.append("more than one NHS number")
    if verified != nhs:
        problems.append("an NHS number without its verification status, or a status on another identifier")
    for identifier in nhs:
        if not (len(identifier.get("value", "")) == 10 and identifier["value"].isdigit()):
            problems.append("an NHS number that is not ten digits")
        statuses = [ext for ext in identifier.get("extension", []) if ext["url"] == VERIFICATION]
        codings = [coding for ext in statuses for coding in ext.get("valueCodeableConcept", {}).get("coding", [])]
        if len(statuses) != 1 or not any(coding["system"] == VERIFICATION_CODES
                                         and coding["code"] in {f"0{n}" for n in range(1, 9)} for coding in codings):
            problems.append("an NHS number's verification status is not one of England's codes")
    for gp in patient.get("generalPractitioner", []):
        if gp.get("identifier", {}).get("system") != ODS:
            problems.append("a GP practice not identified by its ODS code")
    _, request = found["ServiceRequest"]
    if not all(request.get(field) for field in ("status", "intent", "subject")):
        problems.append("a ServiceRequest without status, intent or subject")
    if request.get("subject", {}).get("reference") != patient_url:
        problems.append("a ServiceRequest about someone else")
    sources = [ext for ext in request.get("extension", []) if ext["url"] == SOURCE]
    if len(sources) != 1 or not any(coding == {"system": SNOMED, "code": SELF_REFERRAL_IAPT, "display": coding.get(
            "display")} for coding in sources[0].get("valueCodeableConcept", {}).get("coding", [])):
        problems.append("no source of referral, or not a self-referral to NHS Talking Therapies")
    if not any(coding.get("system") == SNOMED and coding.get("code") == SELF_REFERRAL_IAPT
               for coding in request.get("code", {}).get("coding", [])):
        problems.append("the request is not coded as a self-referral to NHS Talking Therapies")
    return problems


@pytest.fixture
def sent(app, phone, practices) -> Referral:
    return phone_referral(app, phone)


def test_a_referral_made_by_phone_keeps_uk_core_rules(app, sent):
    with app.app_context():
        assert uk_core_problems(json.loads(bundle_json(db.session.get(Referral, sent.id)))) == []


def test_an_nhs_number_goes_under_its_system_marked_not_yet_traced(app, sent):
    known = Facts(nhs_number=TEST_NHS_NUMBER, interpreter_required=True, interpreter_language="pl")
    with app.app_context():
        text = bundle_json(db.session.get(Referral, sent.id), known)
    Bundle.model_validate_json(text)
    bundle = json.loads(text)
    assert uk_core_problems(bundle) == []
    _, patient = resources(bundle)["Patient"]
    assert patient["identifier"] == [{
        "extension": [{"url": VERIFICATION, "valueCodeableConcept": {"coding": [
            {"system": VERIFICATION_CODES, "code": "02", "display": "Number present but not traced"}]}}],
        "system": NHS_NUMBER, "value": TEST_NHS_NUMBER}]
    assert patient["extension"] == [{"url": INTERPRETER, "valueBoolean": True}]
    assert patient["communication"] == [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "pl"}]},
                                         "preferred": True}]


def test_what_the_model_learns_is_added_in_one_place_for_both_exports(app, sent, runner, monkeypatch, tmp_path):
    monkeypatch.setattr(facts, "of", lambda referral: Facts(nhs_number=TEST_NHS_NUMBER))
    result = runner.invoke(args=["referrals", "fhir", sent.reference])
    _, patient = resources(json.loads(result.stdout))["Patient"]
    assert patient["identifier"][0]["value"] == TEST_NHS_NUMBER
    runner.invoke(args=["referrals", "dataset", "--since", "2000-01-01", "--out", str(tmp_path / "set.csv")])
    assert f'"{TEST_NHS_NUMBER}","02"' in (tmp_path / "set.csv").read_text()


@pytest.mark.parametrize("break_it", [
    lambda p, r: p.update(identifier=[{"system": "https://fhir.nhs.uk/Id/nhs-numbers", "value": TEST_NHS_NUMBER,
                                       "extension": [{"url": VERIFICATION, "valueCodeableConcept": {}}]}]),
    lambda p, r: p.update(identifier=[{"system": NHS_NUMBER, "value": TEST_NHS_NUMBER}]),
    lambda p, r: p["identifier"][0]["extension"][0]["valueCodeableConcept"]["coding"][0].update(code="2"),
    lambda p, r: p["generalPractitioner"][0]["identifier"].update(system="https://fhir.nhs.uk/Id/ods-site-code"),
    lambda p, r: r["extension"][0].update(url=SOURCE.replace("UKCore", "UK-Core")),
    lambda p, r: r["extension"][0]["valueCodeableConcept"]["coding"][0].update(code="183688007"),
    lambda p, r: r["code"]["coding"][0].update(code="306206005"),
    lambda p, r: r.pop("intent"),
], ids=["nhs-system", "no-status", "status-code", "ods-site", "source-url", "source-code", "code", "intent"])
def test_the_rules_catch_what_uk_core_forbids(app, sent, break_it):
    with app.app_context():
        good = json.loads(bundle_json(db.session.get(Referral, sent.id), Facts(nhs_number=TEST_NHS_NUMBER)))
    broken = copy.deepcopy(good)
    found = resources(broken)
    break_it(found["Patient"][1], found["ServiceRequest"][1])
    assert uk_core_problems(good) == [] and uk_core_problems(broken) != []
