"""Finding a referral's NHS number after the call: a staff search of NHS England's Personal Demographics Service.

Off unless PDS_BASE_URL is set (the button is not shown and the route is not found). The search is by the given and
family names staff confirm (first guessed from the name as heard: ivr/interop/names.py), the date of birth taken on
the call and, when it was confirmed there, the GP practice; an NHS number is kept only when exactly one person
matched exactly (ivr/interop/pds.py). Every search is audited with its outcome and whether a number was taken,
never the names or the number.
"""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, url_for
from sqlalchemy.orm.exc import StaleDataError

from ivr import audit
from ivr.config import PDS_SIGNED_JWT, pds_signed_jwt
from ivr.extensions import db
from ivr.interop import names
from ivr.interop.nhs_auth import SignedJwtTokens
from ivr.interop.pds import Outcome, PdsClient, PdsError, Search, TokenProvider, static_token
from ivr.models import Referral
from ivr.staff import bp
from ivr.staff.forms import NhsNumberSearchForm

SOURCE = "pds"
SAID = {
    Outcome.ONE: "NHS number found on PDS: exactly one person matched. Check it with the caller when you call.",
    Outcome.NONE: "PDS found nobody with exactly these names and date of birth. No NHS number was taken: check "
                  "the spelling with the caller, or find it another way.",
    Outcome.SEVERAL: "PDS found more than one person with these details, so no NHS number was taken. Ask the "
                     "caller for it, or search with their GP practice confirmed.",
}


def enabled() -> bool:
    """The search is on: PDS_BASE_URL is set."""
    return bool(current_app.config.get("PDS_BASE_URL"))


def client() -> PdsClient:
    """A PDS client from the settings."""
    config = current_app.config
    return PdsClient(config["PDS_BASE_URL"], tokens(), timeout=config.get("PDS_TIMEOUT_SECONDS", 10.0))


def tokens() -> TokenProvider:
    """Signed JWT authentication when its four settings are set, else PDS_ACCESS_TOKEN (by hand; none: the sandbox).

    The signed JWT provider is kept on the app, one per process, so that its token serves every search until it is
    about to expire instead of an exchange with NHS England before each search.
    """
    config = current_app.config
    if not pds_signed_jwt(config):
        return static_token(config.get("PDS_ACCESS_TOKEN"))
    settings = tuple(config[name] for name in PDS_SIGNED_JWT)
    kept = current_app.extensions.setdefault("pds_tokens", {})
    if settings not in kept:
        kept.setdefault(settings, SignedJwtTokens(*settings, timeout=config.get("PDS_TIMEOUT_SECONDS", 10.0)))
    return kept[settings]


def search_form(record) -> NhsNumberSearchForm | None:
    """The search's form, names guessed from the name as heard; None when off, not a referral, or not needed."""
    if not enabled() or not isinstance(record, Referral) or record.nhs_number:
        return None
    given, family = names.split(record.name)
    return NhsNumberSearchForm(formdata=None, given=given, family=family)


@bp.post("/referrals/<int:record_id>/nhs-number")
def find_nhs_number(record_id: int) -> Response:
    """Search PDS for the referral's person; keep the NHS number only when exactly one person matched."""
    if not enabled():
        abort(404)
    referral = db.session.get(Referral, record_id) or abort(404)
    form = NhsNumberSearchForm()
    if not form.validate_on_submit():
        abort(400)  # only a missing or stale CSRF token fails here: the error page says the form expired
    page = url_for("staff.referral", record_id=referral.id) + "#nhs-number"
    given, family = (form.given.data or "").strip(), (form.family.data or "").strip()
    problem = _cannot_search(referral) or names.problem(given, family)
    if problem:
        flash(problem, "error")
        return redirect(page)
    search = Search(given=given, family=family, birth_date=referral.date_of_birth,
                    practice_ods_code=referral.practice_ods_code)
    detail = {"via": "dashboard", "practice": bool(search.practice_ods_code),
              "names_as_guessed": (given, family) == names.split(referral.name)}
    try:
        result = client().search(search)
    except PdsError as error:
        current_app.logger.warning("PDS search for referral %s failed: %s", referral.id, error.code)
        audit.record("referral.pds_searched", "referral", referral.id,
                     detail | {"outcome": "error", "error": error.code, "taken": False})
        db.session.commit()
        flash(f"{error} No NHS number was taken.", "error")
        return redirect(page)
    taken = result.outcome == Outcome.ONE
    if taken:
        referral.nhs_number, referral.nhs_number_source = result.nhs_number, SOURCE
    audit.record("referral.pds_searched", "referral", referral.id,
                 detail | {"outcome": str(result.outcome), "taken": taken})
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash("Someone else changed this referral during the search, so nothing was saved. Look again, then "
              "search again if it still has no NHS number.", "error")
        return redirect(page)
    flash(SAID[result.outcome], "success" if taken else "error")
    return redirect(page)


def _cannot_search(referral: Referral) -> str | None:
    if referral.nhs_number:
        return "This referral already has an NHS number."
    if referral.date_of_birth is None:
        return "PDS needs the date of birth: confirm it with the caller first."
    return None
