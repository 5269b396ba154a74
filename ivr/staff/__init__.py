"""The staff dashboard: the queue of referrals and enquiries the line captured, behind a login."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask

bp = Blueprint(
    "staff", __name__, url_prefix="/staff",
    template_folder="templates", static_folder="static", static_url_path="/static",
)

# Settings the dashboard needs; the environment or a test's config may set any of them first.
DEFAULTS = {
    "STAFF_IDLE_MINUTES": 20,  # logged out after this long without a request
    "STAFF_SLOW_AFTER": 3,  # failed logins in a row before each further try must wait...
    "STAFF_SLOW_SECONDS": 30,  # ...this long
    "STAFF_LOCK_AFTER": 6,  # failed logins in a row that lock the account...
    "STAFF_LOCK_MINUTES": 30,  # ...for this long (or until `flask staff unlock`)
    "STAFF_PAGE_SIZE": 50,
    "TWILIO_API_BASE_URL": "https://api.twilio.com",
    "RECORDING_TIMEOUT_SECONDS": 5,
}


def init_app(app: Flask) -> None:
    """Wire the dashboard's login, CSRF, cookie and CLI settings into the app."""
    from ivr.extensions import csrf, login_manager
    from ivr.staff import display
    from ivr.staff.cli import staff_cli
    from ivr.staff.security import SessionInterface

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    # Forms check their own token: only the dashboard's posts need one, never Twilio's webhooks.
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config["WTF_CSRF_TIME_LIMIT"] = None  # the token lives as long as the (idle-limited) session
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=app.config["STAFF_IDLE_MINUTES"])
    app.session_interface = SessionInterface()
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    login_manager.login_message = "Please log in to see this page."
    login_manager.session_protection = "strong"
    app.jinja_env.filters.update(display.FILTERS)
    app.cli.add_command(staff_cli)
    app.register_blueprint(bp)


from ivr.staff import admin, auth, export, overview, pages, queue, security  # noqa: E402,F401
