"""The staff dashboard: the queue of referrals and enquiries the line captured, behind a login."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask

from ivr.config import login_limit

bp = Blueprint(
    "staff", __name__, url_prefix="/staff",
    template_folder="templates", static_folder="static", static_url_path="/static",
)

def init_app(app: Flask) -> None:
    """Wire the dashboard's login, CSRF, cookie and CLI settings into the app."""
    from ivr.staff import display
    from ivr.staff.cli import staff_cli
    from ivr.staff.extensions import csrf, login_manager
    from ivr.staff.security import SessionInterface

    # Forms check their own token: only the dashboard's posts need one, never Twilio's webhooks.
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config["WTF_CSRF_TIME_LIMIT"] = None  # the token lives as long as the (idle-limited) session
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=app.config["STAFF_IDLE_MINUTES"])
    app.session_interface = SessionInterface()
    csrf.init_app(app)
    login_limit(app.config["STAFF_LOGIN_IP_LIMIT"])  # a limit written wrongly stops the start, naming it
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    login_manager.login_message = "Please log in to see this page."
    login_manager.session_protection = "strong"
    app.jinja_env.filters.update(display.FILTERS)
    app.cli.add_command(staff_cli)
    app.register_blueprint(bp)


# In this order: security's guard (the login gate) runs before two_factor_views' check of the session.
from ivr.staff import (  # noqa: E402,F401
    admin,
    auth,
    change_password,
    export,
    followups,
    handover,
    my_account,
    overview,
    pages,
    queue,
    security,
    two_factor_cli,
    two_factor_views,
)
