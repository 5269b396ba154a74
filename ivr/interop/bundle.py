"""A referral as an HL7 FHIR R4 Bundle for the service's patient record system: Patient, ServiceRequest and the
call's other answers, written to UK Core and checked by fhir.resources (its R4B models, which R4 data validates in).

The Bundle is of type `collection`, not `transaction`: it is a record for the receiving service to review (add a new
patient, match one, or reject), not an instruction to a FHIR server to create or update patients. A transaction's
conditional create on an NHS number the caller keyed, which nobody has traced yet, could attach this referral to
somebody else's record. Entries refer to each other by urn:uuid full URLs made from the referral's reference, so the
same referral exported twice gives the same ids. docs/fhir.md has an example and the mapping.
"""

from __future__ import annotations

import uuid

from fhir.resources.R4B.bundle import Bundle
from flask import current_app

from ivr.callflow.numbers import is_uk_mobile
from ivr.clock import london, utcnow
from ivr.interop import facts, ukcore
from ivr.interop.facts import Facts
from ivr.interop.questionnaire import canonical_url, questionnaire, response
from ivr.models import Referral

DEVELOPMENT_BASE = "https://ipt-line.invalid/fhir"  # .invalid (RFC 2606): plainly not a real address
REFERENCE_SYSTEM = "/Id/referral-reference"


def fhir_base() -> str:
    """Where our identifiers and Questionnaire are named: FHIR_BASE_URL, else PUBLIC_BASE_URL/fhir."""
    config = current_app.config
    if config.get("FHIR_BASE_URL"):
        return config["FHIR_BASE_URL"]
    return f"{config['PUBLIC_BASE_URL']}/fhir" if config.get("PUBLIC_BASE_URL") else DEVELOPMENT_BASE


def reference_system(base: str) -> str:
    """The identifier system of our references ("IPT-482913")."""
    return base + REFERENCE_SYSTEM


def _full_url(base: str, kind: str, reference: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{base}/{kind}/{reference}')}"


def _coding(system: str, code_display: tuple[str, str]) -> dict:
    return {"system": system, "code": code_display[0], "display": code_display[1]}


def patient(referral: Referral, known: Facts) -> dict:
    """The caller as a UK Core Patient: name as heard, date of birth, callback number, NHS number and GP practice."""
    resource: dict = {"resourceType": "Patient", "meta": {"profile": [ukcore.PROFILES["Patient"]]}}
    if known.nhs_number:
        resource["identifier"] = [{
            "extension": [{"url": ukcore.NHS_NUMBER_VERIFICATION, "valueCodeableConcept": {
                "coding": [_coding(ukcore.NHS_NUMBER_STATUS_ENGLAND, ukcore.NOT_TRACED)]}}],
            "system": ukcore.NHS_NUMBER, "value": known.nhs_number}]
    if known.interpreter_required is not None:
        resource["extension"] = [{"url": ukcore.INTERPRETER_REQUIRED, "valueBoolean": known.interpreter_required}]
    if referral.name:
        resource["name"] = [{"text": referral.name}]  # as the caller said it and confirmed; never split by guess
    if referral.callback_number:
        resource["telecom"] = [{"system": "phone", "value": referral.callback_number, "rank": 1,
                                **({"use": "mobile"} if is_uk_mobile(referral.callback_number) else {})}]
    if referral.date_of_birth:
        resource["birthDate"] = referral.date_of_birth.isoformat()
    if referral.practice_ods_code:
        resource["generalPractitioner"] = [{
            "type": "Organization",
            "identifier": {"system": ukcore.ODS_ORGANISATION_CODE, "value": referral.practice_ods_code},
            **({"display": referral.practice.name} if referral.practice else {})}]
    if known.interpreter_language:
        resource["communication"] = [{"language": {"coding": [{"system": ukcore.BCP_47,
                                                                "code": known.interpreter_language}]},
                                      "preferred": True}]
    return resource


def service_request(referral: Referral, base: str, patient_url: str, answers_url: str) -> dict:
    """The self-referral as a UK Core ServiceRequest: active, from the person themselves, urgent when flagged."""
    self_referral = _coding(ukcore.SNOMED, ukcore.SELF_REFERRAL_TALKING_THERAPIES)
    return {
        "resourceType": "ServiceRequest", "meta": {"profile": [ukcore.PROFILES["ServiceRequest"]]},
        "extension": [{"url": ukcore.SOURCE_OF_SERVICE_REQUEST,
                       "valueCodeableConcept": {"coding": [self_referral]}}],
        "identifier": [{"system": reference_system(base), "value": referral.reference}],
        "status": "active",
        # The person's own request for treatment, which the service acts on as it does a GP's referral: the data
        # set counts both as a referral received. UK Core's own ServiceRequest examples are orders too.
        "intent": "order",
        "code": {"coding": [self_referral],
                 "text": "Self-referral to NHS Talking Therapies for Interpersonal Psychotherapy (IPT), by phone"},
        "subject": {"reference": patient_url},
        "requester": {"reference": patient_url},
        "priority": "urgent" if referral.urgent else "routine",
        "authoredOn": london(referral.created_at).isoformat(timespec="seconds"),
        "supportingInfo": [{"reference": answers_url}],
    }


def bundle(referral: Referral, known: Facts | None = None) -> Bundle:
    """The referral as a validated R4 Bundle (fhir.resources raises if any resource breaks FHIR's rules)."""
    known = known if known is not None else facts.of(referral)
    base = fhir_base()
    urls = {kind: _full_url(base, kind, referral.reference)
            for kind in ("Patient", "ServiceRequest", "QuestionnaireResponse")}
    resources = [
        (urls["Patient"], patient(referral, known)),
        (urls["ServiceRequest"], service_request(referral, base, urls["Patient"], urls["QuestionnaireResponse"])),
        (urls["QuestionnaireResponse"], response(referral, base, urls["Patient"])),
        (canonical_url(base), questionnaire(base)),  # the questions, so the answers read on their own
    ]
    return Bundle.model_validate({
        "resourceType": "Bundle", "type": "collection",
        "timestamp": london(utcnow()).isoformat(timespec="seconds"),
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in resources],
    })


def bundle_json(referral: Referral, known: Facts | None = None) -> str:
    """The Bundle as indented JSON, the way files and downloads carry it."""
    return bundle(referral, known).model_dump_json(indent=2, exclude_none=True)
