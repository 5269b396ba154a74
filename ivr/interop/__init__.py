"""A referral as the service's patient record system takes it: an HL7 FHIR UK Core Bundle and the NHS Talking
Therapies data set's items, by `flask referrals ...` and the staff dashboard (docs/fhir.md)."""
