"""What guards every staff page: the login gate, idle timeout, CSRF and calm error pages (headers: ivr.headers)."""

from __future__ import annotations

import time

from flask import Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ivr.extensions import WebhooksWithoutSessions, db
from ivr.headers import served_over_https
from ivr.staff import bp
from ivr.staff.extensions import csrf

# The second factor's pages are open to a half-login only (ivr/staff/two_factor_views.py checks it).
OPEN_ENDPOINTS = {"staff.login", "staff.static", "staff.enrol_second_factor", "staff.second_factor",
                  "staff.recovery_code"}


class SessionInterface(WebhooksWithoutSessions):
    """Flask's signed-cookie session, marked Secure whenever staff reach us over HTTPS."""

    def get_cookie_secure(self, app) -> bool:
        """Secure when configured, when the public address is https://, or when this request is HTTPS."""
        return served_over_https()


@bp.before_request
def guard() -> Response | None:
    """Session lifetime and idle timeout, then the login gate, then the CSRF check on every post."""
    if request.endpoint == "staff.static":
        return None
    now, config = int(time.time()), current_app.config
    if current_user.is_authenticated:
        if now - session.get("since", 0) > config["STAFF_SESSION_HOURS"] * 3600:
            return _logged_out(f"You were logged out after {config['STAFF_SESSION_HOURS']} hours. "
                               "Please log in again.")
        if now - session.get("seen", now) > config["STAFF_IDLE_MINUTES"] * 60:
            return _logged_out(f"You were logged out after {config['STAFF_IDLE_MINUTES']} minutes "
                               "without activity. Please log in again.")
        session["seen"], session.permanent = now, True
    elif request.endpoint not in OPEN_ENDPOINTS:
        return redirect(url_for("staff.login", next=_here()))
    if request.method == "POST":
        csrf.protect()
    return None


def _logged_out(why: str) -> Response:
    logout_user()
    session.clear()
    flash(why, "info")
    return redirect(url_for("staff.login", next=_here()))


def _here() -> str:
    return request.full_path.rstrip("?") if request.method == "GET" else request.path


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError) -> tuple[str, int]:
    """A form without a valid token: stale, or not sent from our own pages."""
    return render_template("staff/error.html", title="This form has expired",
                           message="The form was out of date or did not come from this site. "
                                   "Go back, reload the page and try again."), 400


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[str, int]:
    """Not found, forbidden and the like, as a plain page."""
    titles = {403: "You do not have access to this page", 404: "Page not found"}
    return render_template("staff/error.html", title=titles.get(error.code, error.name),
                           message=error.description if error.code not in titles else ""), error.code


@bp.errorhandler(Exception)
def unexpected(error: Exception) -> tuple[str, int]:
    """Anything unforeseen: roll back, log it for us, and tell staff plainly without a stack trace."""
    db.session.rollback()
    current_app.logger.exception("staff page %s failed", request.path)
    return render_template("staff/error.html", title="Sorry, something went wrong",
                           message="Nothing was changed. Try again in a moment; if it keeps happening, "
                                   "tell the service's system administrator."), 500
