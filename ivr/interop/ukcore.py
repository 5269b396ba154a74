"""The UK Core (FHIR R4) facts a referral is written with: identifier systems, extensions, codes, each with its source.

Every URL and code here was read in the UK Core StructureDefinitions, ValueSets and CodeSystems published by NHS
England in https://github.com/NHSDigital/FHIR-R4-UKCORE-STAGING-MAIN (at commit 3d2827e3, June 2025; each file
named below is under that repository). fhir.resources checks the FHIR R4 base rules only, so
tests/interop/test_uk_core_rules.py checks these as our own rules.
"""

from __future__ import annotations

UK_CORE = "https://fhir.hl7.org.uk/StructureDefinition/"

# structuredefinitions/UKCore-Patient.xml (2.6.1): slice identifier:nhsNumber has system fixed to this URI.
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
# structuredefinitions/UKCore-Organization.xml (2.5.1): slice identifier:odsOrganisationCode, system fixed to this.
ODS_ORGANISATION_CODE = "https://fhir.nhs.uk/Id/ods-organization-code"

# structuredefinitions/Extension-UKCore-NHSNumberVerificationStatus.xml (2.1.0), on Patient.identifier:nhsNumber;
# its value is bound (required) to ValueSet UKCore-NHSNumberVerificationStatus, which takes codes from
# codesystems/CodeSystem-UKCore-NHSNumberVerificationStatusEngland.xml (1.1.1).
NHS_NUMBER_VERIFICATION = UK_CORE + "Extension-UKCore-NHSNumberVerificationStatus"
NHS_NUMBER_STATUS_ENGLAND = "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland"
# A number the caller gave, not yet traced on the Personal Demographics Service.
NOT_TRACED = ("02", "Number present but not traced")

# structuredefinitions/Extension-UKCore-SourceOfServiceRequest.xml (1.2.0), on ServiceRequest (UKCore-ServiceRequest
# 2.5.1, slice extension:sourceOfServiceRequest); value bound (preferred) to ValueSet UKCore-SourceOfServiceRequest
# (1.2.1: SNOMED CT descendants of 306098008 |Self-referral|), whose expansion lists this code and display.
SOURCE_OF_SERVICE_REQUEST = UK_CORE + "Extension-UKCore-SourceOfServiceRequest"
SNOMED = "http://snomed.info/sct"
SELF_REFERRAL_TALKING_THERAPIES = ("1036481000000106",
                                   "Self-referral to IAPT (Improving Access to Psychological Therapies) programme")

# The HL7 core extension UK Core Patient slices as extension:patientInterpreterRequired (valueBoolean):
# https://hl7.org/fhir/R4/extension-patient-interpreterrequired.html
INTERPRETER_REQUIRED = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"
# UK Core Patient binds communication.language (required) to All Languages, codes of BCP 47:
# https://hl7.org/fhir/R4/valueset-all-languages.html
BCP_47 = "urn:ietf:bcp:47"

# The profiles each resource is written to (meta.profile), by their canonical URLs.
PROFILES = {
    "Patient": UK_CORE + "UKCore-Patient",
    "ServiceRequest": UK_CORE + "UKCore-ServiceRequest",
    "Questionnaire": UK_CORE + "UKCore-Questionnaire",
    "QuestionnaireResponse": UK_CORE + "UKCore-QuestionnaireResponse",
}
