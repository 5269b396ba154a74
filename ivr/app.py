"""The app factory: settings, extensions, the voice and staff blueprints, the CLI commands, logging."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.exc import StatementError
from werkzeug.middleware.proxy_fix import ProxyFix

from ivr import config as settings
from ivr.callflow.line import load_line
from ivr.directory.store import PracticeDirectory
from ivr.extensions import FormRequest, RowId, WebhooksWithoutSessions, db

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; tests pass their own config, which overrides the environment."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(settings.from_environment())
    app.config.update(config or {})
    settings.check_serves(app.config)
    settings.check_environment(app.config)
    settings.check_public_base_url(app.config)
    settings.check_production(app.config)
    settings.check_line_number(app.config)
    settings.settle_two_factor(app.config)
    random_key = settings.settle_secret_key(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    register_logging(app)
    app.session_interface = WebhooksWithoutSessions()
    app.request_class = FormRequest
    register_extensions(app)  # loads the line: broken flows or prompts refuse to start before any warning
    if random_key:
        app.logger.warning("SECRET_KEY is not set: staff sessions are signed with a random key and end when the "
                           "app restarts; set SECRET_KEY to keep them, and whenever several workers serve staff.")
    register_web(app)  # before the blueprints: their routes take the URL converters as they are added
    register_blueprints(app)
    if not app.config["WEB_WORKER"]:  # a gunicorn worker only answers requests: no commands, nor alembic's memory
        register_commands(app)
    if app.config["TRUST_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    return app


def register_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Flask-Migrate's import of alembic notes each of alembic's plugins at INFO ("setup plugin ..."): seven lines
    # before every `flask` command's own output. Its warnings still show; `flask db`'s progress is another logger.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    app.logger.addFilter(DatabaseErrorsWithoutData())


class DatabaseErrorsWithoutData(logging.Filter):
    """A logged database error keeps its traceback, kind and SQL, never its message or parameters.

    The engine hides parameters (`hide_parameters`), but the database's own message can quote what it
    refused: PostgreSQL's "DETAIL: Failing row contains (...)" is a caller's whole row.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, StatementError):
            cause = error.orig
            kind = f"{type(cause).__module__}.{type(cause).__name__}" if cause is not None else "unknown"
            sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
            record.exc_text = (
                "Traceback (most recent call last):\n" + "".join(traceback.format_tb(error.__traceback__))
                + f"{type(error).__module__}.{type(error).__name__}: ({kind})"
                + (f" SQLSTATE {sqlstate}" if sqlstate else "")
                + " [the database's message is not logged: it may quote what a caller said]"
                + (f"\n[SQL: {error.statement}]" if error.statement else "")
            )
        return True


def register_extensions(app: Flask) -> None:
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", settings.engine_options(app.config))
    db.init_app(app)
    from ivr.voice.turn import vocabulary  # what a turn keeps and does: the only words the flows may use

    # Outside production, a language whose file a translator has not yet reviewed is offered too (the log says so).
    app.extensions["ivr_line"] = load_line(app.config["FLOWS_DIR"], app.config["PROMPTS_DIR"], PracticeDirectory(),
                                           vocabulary(), development=app.config.get("ENVIRONMENT") != "production")

    from ivr import texts

    texts.init_app(app)  # text receipts: their wording, and sending them once a webhook has answered


def register_web(app: Flask) -> None:
    """What every response shares: its security headers, and row ids in URLs that the database can hold."""
    from ivr import headers

    headers.init_app(app)
    # Every <int:...> in our URLs is a row id: one past PostgreSQL's integer names no row, so 404, not the
    # database's overflow error as a 500 page.
    app.url_map.converters["int"] = RowId


def register_blueprints(app: Flask) -> None:
    """The parts this process serves (IVR_SERVE): the line's webhooks, the staff dashboard, or both."""
    serves = app.config["SERVE"]
    if serves in {"all", "voice"}:
        from ivr.voice import bp as voice

        app.register_blueprint(voice)

    from ivr.callnow import bp as callnow

    # /voice/bridge/: a staff member's Call now, put through to the caller. The dashboard makes its addresses.
    app.register_blueprint(callnow)

    if serves in {"all", "staff"}:
        from ivr import staff

        staff.init_app(app)  # the dashboard at /staff/: login, CSRF, its cookie settings, `flask staff`


def register_commands(app: Flask) -> None:
    from flask_migrate import Migrate

    Migrate(app, db, directory=MIGRATIONS, render_as_batch=True)  # flask db ...; SQLite alters tables in batches

    from ivr.tools import cli as tools

    tools.register(app)  # flask call, flows map|timing, prompts check

    from ivr.directory.cli import cli as practices

    app.cli.add_command(practices)  # flask practices import PATH [--if-empty]

    from ivr.upkeep import cli as upkeep

    upkeep.register(app)  # flask spool status|replay, flask retention purge

    from ivr.texts import cli as texts

    texts.register(app)  # flask outbox send|status

    from ivr.interop import cli as interop

    interop.register(app)  # flask referrals fhir|dataset, flask pds jwks
