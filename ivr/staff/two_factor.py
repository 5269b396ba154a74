"""A second factor for staff: an authenticator app's 6-digit codes (TOTP) and one-time recovery codes.

A right password alone logs nobody in. It leaves a half-login in the session (`pending_login`) that
Flask-Login knows nothing of, so every page stays behind the login gate; only the code pages read it.
"""

from __future__ import annotations

import hmac
import secrets
import time

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, redirect, session, url_for
from sqlalchemy import delete, or_, select, update
from werkzeug.wrappers import Response

from ivr import audit
from ivr.extensions import db
from ivr.models import RecoveryCode, SecondFactor, StaffUser, utcnow

ISSUER = "NHS Talking Therapies"  # what the authenticator app shows beside the email
PENDING_SECONDS = 600  # from the password to the code (enrolling includes installing an app)
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
RECOVERY_LENGTH = 10  # about 50 random bits each
# Recovery codes are random, not chosen by people, so argon2's lighter OWASP profile is enough to keep a stolen
# table from giving them up; up to ten are checked per try, which the password profile would make a second's work.
recovery_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def factor_of(staff: StaffUser) -> SecondFactor | None:
    """The account's authenticator, confirmed or still being enrolled."""
    return db.session.get(SecondFactor, staff.id)


def enrolled(staff: StaffUser) -> bool:
    """Whether the account has a confirmed authenticator."""
    factor = factor_of(staff)
    return factor is not None and factor.confirmed_at is not None


def needed(staff: StaffUser) -> bool:
    """A code is asked for when the setting requires it, and always of an account that has enrolled."""
    return bool(current_app.config["STAFF_REQUIRE_2FA"]) or enrolled(staff)


def ask(staff: StaffUser, next_url: str) -> Response:
    """After a right password: remember the half-login and go to the code, or to enrolment. Commits.

    The failure count is not cleared here: wrong codes add to it, and only a whole login clears it, so
    knowing the password does not buy more guesses at the code.
    """
    session.clear()  # nothing from before carries over, as with a whole login
    session["pending_login"] = {"staff": staff.id, "version": staff.session_version, "at": int(time.time()),
                                "next": next_url}
    if enrolled(staff):
        audit.record("staff.password_accepted", "staff_user", staff.id, {"then": "code"}, staff=staff)
        db.session.commit()
        return redirect(url_for("staff.second_factor"))
    # A new secret for each enrolment: one that someone else saw on an earlier, unfinished one is gone.
    db.session.execute(delete(SecondFactor).where(SecondFactor.staff_id == staff.id))
    db.session.add(SecondFactor(staff_id=staff.id, secret=pyotp.random_base32()))
    audit.record("staff.password_accepted", "staff_user", staff.id, {"then": "enrolment"}, staff=staff)
    db.session.commit()
    return redirect(url_for("staff.enrol_second_factor"))


def pending() -> tuple[StaffUser, dict] | None:
    """The half-logged-in account and its state; None if there is none, it ran out, or its sessions ended."""
    state = session.get("pending_login")
    if not isinstance(state, dict) or int(time.time()) - state.get("at", 0) > PENDING_SECONDS:
        return None
    staff = db.session.get(StaffUser, state.get("staff", 0))
    if staff is None or not staff.is_active or staff.session_version != state.get("version"):
        return None
    return staff, state


def qr_code(staff: StaffUser, secret: str) -> str:
    """The otpauth:// address as an inline SVG QR code (no image file, nothing fetched)."""
    address = pyotp.TOTP(secret).provisioning_uri(name=staff.email, issuer_name=ISSUER)
    return segno.make(address, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", svgclass="qr-code", title="QR code for your authenticator app")


def spaced(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def code_matches(factor: SecondFactor, typed: str) -> bool:
    """Whether a 6-digit code is right for now (one step either side), and was never accepted before.

    The step it matched is stored in one conditional UPDATE, so the same code sent twice at once, to
    two workers, is taken once. The caller commits.
    """
    code = "".join(typed.split())
    if len(code) != 6 or not code.isdigit():
        return False
    totp, now = pyotp.TOTP(factor.secret), int(time.time())
    step = now // totp.interval
    matched = [s for s in (step - 1, step, step + 1) if hmac.compare_digest(totp.generate_otp(s), code)]
    if not matched:
        return False
    taken = db.session.execute(
        update(SecondFactor)
        .where(SecondFactor.staff_id == factor.staff_id,
               or_(SecondFactor.last_step.is_(None), SecondFactor.last_step < max(matched)))
        .values(last_step=max(matched))
        .execution_options(synchronize_session=False)
    )
    return taken.rowcount == 1


def confirm(factor: SecondFactor) -> list[str]:
    """Mark the authenticator confirmed and make fresh recovery codes; returns them, to be shown once."""
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
             for _ in range(RECOVERY_CODES)]
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.staff_id == factor.staff_id))
    db.session.add_all(RecoveryCode(staff_id=factor.staff_id, code_hash=recovery_hasher.hash(code)) for code in codes)
    factor.confirmed_at = utcnow()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def recovery_code_matches(staff: StaffUser, typed: str) -> int | None:
    """Use up a recovery code if it is one of the account's unused ones; how many are left, else None.

    Marked used by a conditional UPDATE, so one code cannot open two logins at once. The caller commits.
    """
    code = "".join(typed.lower().replace("-", " ").split())
    if len(code) != RECOVERY_LENGTH or any(c not in RECOVERY_ALPHABET for c in code):
        return None
    unused = db.session.scalars(select(RecoveryCode).where(RecoveryCode.staff_id == staff.id,
                                                           RecoveryCode.used_at.is_(None))).all()
    for stored in unused:
        try:
            recovery_hasher.verify(stored.code_hash, code)
        except (VerificationError, InvalidHashError):
            continue
        used = db.session.execute(
            update(RecoveryCode).where(RecoveryCode.id == stored.id, RecoveryCode.used_at.is_(None))
            .values(used_at=utcnow()).execution_options(synchronize_session=False))
        return len(unused) - 1 if used.rowcount == 1 else None
    return None


def reset(staff: StaffUser) -> None:
    """Forget the account's authenticator and recovery codes: it enrols again at its next login. Caller commits."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.staff_id == staff.id))
    db.session.execute(delete(SecondFactor).where(SecondFactor.staff_id == staff.id))
