"""Referrals as the NHS Talking Therapies data set (v2.1, formerly the IAPT data set) names and codes what the call
knows: one CSV row per referral, for the service to load into its patient record system and its monthly return.

Field names are the data set's technical names in its tables IDS101Referral, IDS001MPI and IDS002GP, as NHS
England's own data platform reads a v2.1 submission (nhsengland/Reusable-Code-Library,
src/dsp/datasets/models/iapt_v2_1_base.py). In v2.1 the source of referral is SourceOfReferralIAPT (v2.0 called it
SourceOfReferralMH); a self-referral is B1. The data set has no referral-level "interpreter required" item (v2.1
records InterpreterPresentInd per care contact, IDS201), so that and the caller's own words about communication go
in columns named Local_..., which are not data set items. docs/fhir.md has the mapping.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from sqlalchemy import select

from ivr.clock import LONDON, london
from ivr.interop import facts
from ivr.interop.ukcore import NOT_TRACED
from ivr.models import Referral, Status

DATA_SET = "NHS Talking Therapies data set v2.1"
SELF_REFERRAL = "B1"  # SourceOfReferralIAPT: self-referral
COLUMNS = (
    "ServiceRequestId",  # IDS101: our reference, until the patient record system gives its own
    "ReferralRequestReceivedDate",  # IDS101
    "SourceOfReferralIAPT",  # IDS101
    "PersonBirthDate",  # IDS001
    "NHSNumber",  # IDS001
    "NHSNumberStatus",  # IDS001: 02, present but not traced (keyed by the caller, or found on PDS by staff)
    "GMPCodeReg",  # IDS002: the GP practice's ODS code
    "LanguageCodePreferred",  # IDS001
    "ExBAFIndicator",  # IDS001
    "Local_InterpreterRequired",  # not a data set item: Y or N
    "Local_CommunicationNeeds",  # not a data set item: as the caller said it
    "Local_PregnantOrBabyUnderOne",  # not a data set item (it has no perinatal item at referral): Y or N
)
# EX-BRITISH ARMED FORCES INDICATOR: the data set accepts 02, 03, 05, UU and ZZ (NHS England's own data-quality
# check of it, nhsengland's mental health data-quality notebooks, measure 33). By the NHS Data Dictionary, 02 is
# "Yes - ex-Armed Forces" and 05 "No - not ex-Armed Forces"; 03 (a dependant) the call does not ask. TO CONFIRM
# against the Data Dictionary's current page before a return is submitted (docs/fhir.md).
EX_FORCES = {True: "02", False: "05"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def _cell(value: str) -> str:
    """A cell no spreadsheet runs as a formula: one leading apostrophe, by the staff export's rule."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _yes_no(flag: bool | None) -> str:
    return "" if flag is None else ("Y" if flag else "N")


def _language(bcp_47: str | None) -> str:
    """The data set's LANGUAGE CODE (PREFERRED) is ISO 639-1 based, with NHS additions: a two-letter BCP 47 code is
    that same ISO 639-1 code ("pl"); any other ("bfi", British Sign Language) needs the NHS code, so none is guessed."""
    return bcp_47 if bcp_47 and len(bcp_47) == 2 and bcp_47.isalpha() else ""


def row(referral: Referral) -> list[str]:
    """One referral as the data set's cells, in COLUMNS order."""
    known = facts.of(referral)
    cells = {
        "ServiceRequestId": referral.reference,
        "ReferralRequestReceivedDate": london(referral.created_at).date().isoformat(),
        "SourceOfReferralIAPT": SELF_REFERRAL,
        "PersonBirthDate": referral.date_of_birth.isoformat() if referral.date_of_birth else "",
        "NHSNumber": known.nhs_number or "",
        "NHSNumberStatus": NOT_TRACED[0] if known.nhs_number else "",
        "GMPCodeReg": referral.practice_ods_code or "",
        "LanguageCodePreferred": _language(known.interpreter_language),
        "ExBAFIndicator": EX_FORCES.get(known.ex_forces, ""),  # not asked or not answered: empty, not UU
        "Local_InterpreterRequired": _yes_no(known.interpreter_required),
        "Local_CommunicationNeeds": referral.communication_needs or "",
        "Local_PregnantOrBabyUnderOne": _yes_no(known.pregnant_or_baby_under_one),
    }
    return [_cell(cells[column]) for column in COLUMNS]


def csv_text(referrals: Iterable[Referral]) -> str:
    """The CSV, every cell quoted, a header of the data set's field names."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(row(referral) for referral in referrals)
    return out.getvalue()


def received_since(day: date):
    """Referrals received on or after a day (UK time) whose call has ended, oldest first."""
    start = datetime.combine(day, time(), tzinfo=LONDON).astimezone(UTC)  # stored in UTC
    return (select(Referral).where(Referral.created_at >= start, Referral.status != Status.IN_PROGRESS)
            .order_by(Referral.created_at, Referral.id))
