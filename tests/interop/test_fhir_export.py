"""A referral made through the phone comes out of `flask referrals fhir` as an R4 Bundle that fhir.resources
validates: the caller as a Patient with their GP practice by ODS code, the self-referral as a ServiceRequest, the
call's other answers as a QuestionnaireResponse to the line's own Questionnaire; every export audited."""

import json
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from ivr.extensions import current_line, db
from ivr.interop.questionnaire import QUESTIONS
from ivr.models import AuditEvent, Referral
from tests.support.line import CALLER, at, walk_referral

ARTHUR = {"referral.practice": "Arthur Medical Centre in Horsley Woodhouse", "referral.name": "Sam Smith"}


def phone_referral(app, phone, urgent: bool = False, **answers) -> Referral:
    """A referral sent by a real signed call from CALLER to the shipped practice directory's Arthur Medical Centre."""
    call = walk_referral(phone(), urgent=urgent, answers={**ARTHUR, **answers})
    call.hang_up(duration=190)
    with app.app_context():
        return db.session.scalars(select(Referral).order_by(Referral.id.desc())).first()


def exported(runner, *args) -> dict:
    result = runner.invoke(args=["referrals", "fhir", *args])
    assert result.exit_code == 0, result.output
    Bundle.model_validate_json(result.stdout)  # FHIR's own rules, by the library: raises if broken
    return json.loads(result.stdout)


def resources(bundle: dict) -> dict[str, tuple[str, dict]]:
    """Each entry's resource by type, with its full URL."""
    return {entry["resource"]["resourceType"]: (entry["fullUrl"], entry["resource"]) for entry in bundle["entry"]}


def answers(response: dict) -> dict:
    return {item["linkId"]: next(iter(item["answer"][0].values())) for item in response["item"]}


def test_a_referral_made_by_phone_is_a_bundle_the_fhir_library_validates(app, phone, practices, runner):
    referral = phone_referral(app, phone, **{"referral.best_time": "2"})
    bundle = exported(runner, referral.reference)
    assert bundle["type"] == "collection"
    found = resources(bundle)
    assert set(found) == {"Patient", "ServiceRequest", "QuestionnaireResponse", "Questionnaire"}
    patient_url, patient = found["Patient"]
    assert patient["name"] == [{"text": "Sam Smith"}] and patient["birthDate"] == "1988-03-14"
    assert patient["telecom"] == [{"system": "phone", "value": CALLER, "use": "mobile", "rank": 1}]
    [gp] = patient["generalPractitioner"]
    assert gp["type"] == "Organization" and gp["display"] == "ARTHUR MEDICAL CENTRE"
    assert gp["identifier"] == {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "C81017"}
    assert "identifier" not in patient  # no NHS number keyed on this call

    request_url, request = found["ServiceRequest"]
    assert (request["status"], request["intent"], request["priority"]) == ("active", "order", "routine")
    assert request["subject"] == {"reference": patient_url} == request["requester"]
    assert request["identifier"][0]["value"] == referral.reference
    assert request["authoredOn"].startswith(referral.created_at.date().isoformat())
    answers_url, response = found["QuestionnaireResponse"]
    assert request["supportingInfo"] == [{"reference": answers_url}]

    _, questionnaire = found["Questionnaire"]
    assert response["questionnaire"].split("|")[0] == questionnaire["url"]
    assert response["status"] == "completed" and response["subject"] == {"reference": patient_url}
    given = answers(response)
    assert given["voicemail_ok"] is True and given["communication_help"] is False and given["urgent"] is False
    assert given["best_time"]["code"] == "afternoon" and "session_preference" not in given  # agreed at assessment
    assert given["practice_said"] == "Arthur Medical Centre in Horsley Woodhouse"
    asked = {item["linkId"]: item for item in questionnaire["item"]}
    assert set(given) <= set(asked)  # every answer is to one of the line's questions
    assert "Can we leave a voicemail that mentions Talking Therapies?" in asked["voicemail_ok"]["text"]


def test_an_urgent_referral_is_urgent_with_what_the_line_heard(app, phone, practices, runner):
    referral = phone_referral(app, phone, urgent=True)
    found = resources(exported(runner, referral.reference.lower()))  # as staff might type it
    assert found["ServiceRequest"][1]["priority"] == "urgent"
    given = answers(found["QuestionnaireResponse"][1])
    assert given["urgent"] is True and given["urgent_step"] == "referral.urgent"
    assert given["urgent_reason"].startswith("urgency_yes")


def test_the_same_referral_exported_twice_keeps_its_ids(app, phone, practices, runner):
    referral = phone_referral(app, phone)
    first, again = exported(runner, referral.reference), exported(runner, referral.reference.removeprefix("IPT-"))
    assert [entry["fullUrl"] for entry in first["entry"]] == [entry["fullUrl"] for entry in again["entry"]]


def test_an_unknown_reference_is_one_clear_line_and_exit_1(app, runner):
    result = runner.invoke(args=["referrals", "fhir", "IPT-000000"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: No referral has the reference IPT-000000."


def test_a_referral_still_on_the_phone_is_not_exported(app, phone, practices, runner):
    at(phone(), "referral.name", ARTHUR)
    with app.app_context():
        reference = db.session.scalars(select(Referral.reference)).one()
    result = runner.invoke(args=["referrals", "fhir", reference])
    assert result.exit_code == 1 and "still being made" in result.output


def test_since_writes_one_file_per_referral_and_audits_each(app, phone, practices, runner, tmp_path):
    first, second = phone_referral(app, phone), phone_referral(app, phone, urgent=True)
    at(phone(), "referral.name", ARTHUR)  # a call still going on: not yet a referral to hand over
    result = runner.invoke(args=["referrals", "fhir", "--since", first.created_at.date().isoformat(),
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "out").iterdir())
    assert [path.name for path in files] == sorted(f"{r.reference}.json" for r in (first, second))
    for path in files:
        Bundle.model_validate_json(path.read_text())
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.fhir_exported")).all()
    assert sorted(event.subject_id for event in events) == sorted([first.id, second.id])
    assert {event.actor for event in events} == {"system"} and events[0].detail["via"] == "cli"


@pytest.mark.parametrize("args", [[], ["--since", "2026-01-01"], ["IPT-123456", "--since", "2026-01-01"]])
def test_reference_or_since_with_out(app, runner, args):
    result = runner.invoke(args=["referrals", "fhir", *args])
    assert result.exit_code == 2 and "Usage" in result.output


def test_every_question_is_a_step_the_line_asks(app):
    """A step renamed or removed in flows/ shows here, not as a Questionnaire quietly losing the words asked."""
    with app.app_context():
        line = current_line()
        for question in QUESTIONS:
            if question.step:
                step = line.book.steps.get(question.step)
                assert step is not None and step.ask and line.prompts.has(f"{step.ask}.ask"), question.step


def shape(value, path: str = "") -> set[str]:
    """Every path in a JSON document (lists as []), without the values."""
    if isinstance(value, dict):
        return {path} | {found for key, item in value.items() for found in shape(item, f"{path}.{key}")}
    if isinstance(value, list):
        return {path} | {found for item in value for found in shape(item, f"{path}[]")}
    return {path}


# docs/fhir.md's example referral: an NHS number keyed, a Polish interpreter asked for, served in the armed forces.
EXAMPLE = {"referral.nhs_number": "9434765919", "referral.communication": "1",
           "referral.communication_what": "a Polish interpreter", "referral.priority": "I was in the army"}


def test_the_docs_example_is_what_the_export_makes(app, phone, practices, runner):
    """docs/fhir.md's example validates and has the shape of today's export of a referral like it."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "fhir.md").read_text(encoding="utf-8")
    example = doc.split("```json\n", 1)[1].split("\n```", 1)[0]
    Bundle.model_validate_json(example)
    referral = phone_referral(app, phone, urgent=True, **EXAMPLE)
    app.config["FHIR_BASE_URL"] = "https://ivr.example.nhs.uk/fhir"
    today = exported(runner, referral.reference)
    assert shape(json.loads(example)) == shape(today)
    systems = {"https://fhir.nhs.uk/Id/ods-organization-code", "http://snomed.info/sct", "https://fhir.nhs.uk/Id/nhs-number",
               "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-SourceOfServiceRequest"}
    assert all(system in example for system in systems)


def test_an_interpreter_asked_for_at_the_menu_is_in_the_patient_and_the_data_set(app, phone, practices, runner,
                                                                                  tmp_path):
    call = phone().say("Polish, I need a Polish interpreter")
    walk_referral(call, answers=ARTHUR).hang_up(duration=190)
    with app.app_context():
        referral = db.session.scalars(select(Referral).order_by(Referral.id.desc())).first()
    _, patient = resources(exported(runner, referral.reference))["Patient"]
    assert patient["extension"] == [{"url": "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired",
                                     "valueBoolean": True}]
    assert patient["communication"] == [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "pl"}]},
                                         "preferred": True}]
    out = tmp_path / "dataset.csv"
    result = runner.invoke(args=["referrals", "dataset", "--since", referral.created_at.date().isoformat(),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert ',"pl",' in out.read_text()  # LanguageCodePreferred
