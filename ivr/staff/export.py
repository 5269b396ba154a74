"""The referral export (CSV) for the patient record system, safe to open in a spreadsheet.

Every cell is double-quoted. A cell that would begin with =, +, -, @, a tab, a carriage return or an
apostrophe gets one apostrophe in front, so no spreadsheet runs it as a formula; an importer undoes this
by removing one leading apostrophe from any cell that starts with one. The callback_number column is
the exception: a valid E.164 number (a + and digits only, e.g. +447700900123) cannot carry a formula and
is written exactly as stored.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

from flask import Response, request
from sqlalchemy.orm import selectinload

from ivr import audit
from ivr.callflow.languages import ENGLISH
from ivr.clock import LONDON, london
from ivr.extensions import db
from ivr.models import Referral
from ivr.staff import bp
from ivr.staff.admin import admin_only
from ivr.staff.display import age, chosen_language, needs_interpreter
from ivr.staff.duplicates import marked_on_page
from ivr.staff.records import KINDS, chosen_filter, queue_query
from ivr.staff.work import closing_reason

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
COLUMNS = (
    "reference", "status", "received_at", "submitted_at", "name", "name_recorded", "date_of_birth", "age",
    "callback_number", "voicemail_ok", "best_time", "session_preference", "urgent", "practice_ods_code",
    "practice_name", "practice_said", "practice_to_check", "last_callback_at", "last_callback_outcome",
    "closing_reason", "urgent_reason", "urgent_step", "communication_help", "communication_needs", "callback_said",
    "text_status", "text_error_code", "interpreter_language", "relay_uk", "date_of_birth_to_check",
    "date_of_birth_said", "sixteen_or_over", "possible_duplicate_of", "language",
)


def neutralise(value: str) -> str:
    """A cell no spreadsheet will run as a formula; undone by dropping one leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def phone_cell(value: str) -> str:
    """An E.164 number exactly as stored; anything else neutralised like any other cell."""
    return value if E164.match(value) else neutralise(value)


def _time(moment: datetime | None) -> str:
    return london(moment).isoformat(timespec="seconds") if moment else ""


def _flag(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def row(referral: Referral, duplicates: dict[int, list[str]] | None = None) -> list[str]:
    """One referral as CSV cells, in COLUMNS order, already made safe; `duplicates`: marked_on_page's answer."""
    last = referral.callback_attempts[-1] if referral.callback_attempts else None
    cells = {
        "reference": referral.reference,
        "status": referral.status,
        "received_at": _time(referral.created_at),
        "submitted_at": _time(referral.submitted_at),
        "name": referral.name or "",
        "name_recorded": _flag(bool(referral.name_recording_sid)),
        "date_of_birth": referral.date_of_birth.isoformat() if referral.date_of_birth else "",
        "age": str(age(referral.date_of_birth) or ""),
        "voicemail_ok": _flag(referral.voicemail_ok),
        "best_time": referral.best_time or "",
        "session_preference": referral.session_preference or "",
        "urgent": _flag(referral.urgent),
        "practice_ods_code": referral.practice_ods_code or "",
        "practice_name": referral.practice.name if referral.practice else "",
        "practice_said": referral.practice_said or "",
        "practice_to_check": _flag(referral.practice_to_check),
        "last_callback_at": _time(last.attempted_at) if last else "",
        "last_callback_outcome": last.outcome if last else "",
        "closing_reason": closing_reason(referral) or "",
        "urgent_reason": referral.urgent_reason or "",
        "urgent_step": referral.urgent_step or "",
        "communication_help": _flag(referral.communication_help),
        "communication_needs": referral.communication_needs or "",
        "callback_said": referral.callback_said or "",
        "text_status": referral.text.status if referral.text else ("declined" if referral.text_ok is False else ""),
        "text_error_code": (referral.text.error_code or "") if referral.text else "",
        "interpreter_language": needs_interpreter(referral),
        "relay_uk": _flag(referral.relay_uk),
        "date_of_birth_to_check": _flag(referral.date_of_birth_to_check),
        "date_of_birth_said": referral.date_of_birth_said or "",
        "sixteen_or_over": _flag(referral.sixteen_or_over),
        "possible_duplicate_of": " ".join((duplicates or {}).get(referral.id, [])),  # open marks' references
        "language": referral.language or ENGLISH,  # the call's, chosen at the menu: "pl-PL"
    }
    safe = [neutralise(cells[column]) if column != "callback_number" else "" for column in COLUMNS]
    safe[COLUMNS.index("callback_number")] = phone_cell(referral.callback_number or "")
    return safe


# A POST (so the CSRF check every staff post has applies: another site cannot start an export) by an admin
# only: it is every referral's personal details at once, which the queue's work does not need.
@bp.post("/referrals.csv")
@admin_only
def referrals_csv() -> Response:
    """Every referral in the current filter, as CSV; the export and its row count are in the audit log."""
    kind = KINDS["referrals"]
    filter_name = chosen_filter(kind, request.form.get("filter"))
    language = chosen_language(request.form.get("language"))
    query = queue_query(kind, filter_name, language).options(
        selectinload(Referral.callback_attempts), selectinload(Referral.status_changes))
    referrals = db.session.scalars(query).all()
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    duplicates = marked_on_page(referrals)
    writer.writerows(row(referral, duplicates) for referral in referrals)
    audit.record("referral.exported", detail={
        "filter": filter_name, "language": language, "count": len(referrals),
        "ids": [referral.id for referral in referrals]})
    db.session.commit()
    stamp = datetime.now(LONDON).strftime("%Y-%m-%d-%H%M")
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="referrals-{filter_name}-{stamp}.csv"'})
