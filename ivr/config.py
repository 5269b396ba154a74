"""Configuration read from the environment, in one place."""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers

from ivr.budget import BudgetedSQLite
from ivr.pgcursor import LeanCursor

ROOT = Path(__file__).resolve().parent.parent

WEAK_SECRET_KEYS = {"", "dev", "change-me", "secret"}


class ConfigError(RuntimeError):
    """A setting needed to start is missing or unsafe."""


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _optional_flag(name: str) -> bool | None:
    """A flag that may be left unset (None); a value that is neither yes nor no refuses to start, naming it."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return None
    if value in {"1", "true", "yes", "on"} or value in {"0", "false", "no", "off"}:
        return value in {"1", "true", "yes", "on"}
    raise ConfigError(f"{name} is {value!r}: set it to 1 or 0, or leave it unset.")


def from_environment() -> dict:
    """Read every setting the app uses from the environment, with safe local defaults."""
    instance = ROOT / "instance"
    return {
        "ENVIRONMENT": os.environ.get("IVR_ENV", "development"),
        # Set by gunicorn.conf.py: this process only answers requests, so the `flask` commands are not loaded.
        "WEB_WORKER": _flag("IVR_WEB_WORKER"),
        # What this process serves: "all", or "voice" (Twilio's webhooks) or "staff" (the dashboard) in production,
        # where each runs as a service of its own behind the proxy and a voice worker never loads the dashboard.
        "SERVE": os.environ.get("IVR_SERVE", "all").strip().lower() or "all",
        # Without one, outside production, each start makes a random key (see settle_secret_key).
        "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
        "SQLALCHEMY_DATABASE_URI": _database_url(
            os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'ivr.sqlite3'}")
        ),
        "TWILIO_AUTH_TOKEN": os.environ.get("TWILIO_AUTH_TOKEN", ""),
        "TWILIO_ACCOUNT_SID": os.environ.get("TWILIO_ACCOUNT_SID", ""),
        # The line's own number in E.164 (+441332...): named in text receipts and their sender unless a
        # messaging service is set; what Call now rings staff from and shows the caller.
        "TWILIO_PHONE_NUMBER": os.environ.get("TWILIO_PHONE_NUMBER", "").strip(),
        "TWILIO_MESSAGING_SERVICE_SID": os.environ.get("TWILIO_MESSAGING_SERVICE_SID", "").strip(),
        # A number gets at most one text receipt in this many hours, however many referrals give it.
        "TEXT_RECEIPT_GAP_HOURS": int(os.environ.get("TEXT_RECEIPT_GAP_HOURS", "24")),
        # The https://host Twilio calls: the URL it signs, when a proxy rewrites ours.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "").rstrip("/"),
        "TRUST_PROXY": _flag("TRUST_PROXY"),
        # Only for trying the line locally without Twilio in front of it.
        "ALLOW_UNSIGNED_WEBHOOKS": _flag("ALLOW_UNSIGNED_WEBHOOKS"),
        "FLOWS_DIR": os.environ.get("IVR_FLOWS_DIR", str(ROOT / "flows")),
        "PROMPTS_DIR": os.environ.get("IVR_PROMPTS_DIR", str(ROOT / "prompts")),
        "SPOOL_DIR": os.environ.get("IVR_SPOOL_DIR", str(instance / "spool")),
        # A spooled webhook that fails this many replays (with the database answering) goes to dead-letter/.
        "SPOOL_MAX_REPLAYS": int(os.environ.get("SPOOL_MAX_REPLAYS", "5")),
        # What may wait in the spool for a replay: a spooled webhook is a few hundred bytes, so 100 MB holds days of
        # a busy line's outage. Past either cap a failed webhook is not kept (the caller still hears the apology
        # and the other ways to get help) and the log says the spool is full.
        "SPOOL_MAX_BYTES": int(os.environ.get("SPOOL_MAX_BYTES", str(100 * 1024 * 1024))),
        "SPOOL_MAX_FILES": int(os.environ.get("SPOOL_MAX_FILES", "1000")),
        # The largest request body read (Flask's own setting; larger gets 413, or 403 on a webhook, before its form is
        # parsed). Twilio's webhooks are a few kilobytes (https://www.twilio.com/docs/usage/webhooks/webhooks-overview)
        # and the dashboard's forms smaller: 1 MiB stops a forger making the line read megabytes before refusing them.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_REQUEST_BYTES", str(1024 * 1024))),
        "DB_STATEMENT_TIMEOUT_MS": int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "4000")),
        # A webhook stops asking the database after this long and apologises: Twilio gives up at 15 s.
        "WEBHOOK_DB_BUDGET_MS": int(os.environ.get("WEBHOOK_DB_BUDGET_MS", "8000")),
        "DB_CONNECT_TIMEOUT_S": int(os.environ.get("DB_CONNECT_TIMEOUT_S", "3")),
        # A referral like another from this many days before it (about 6 months) is marked a possible duplicate.
        "DUPLICATE_WINDOW_DAYS": int(os.environ.get("DUPLICATE_WINDOW_DAYS", "183")),
        # `flask retention purge`. Defaults to be confirmed by the service's information governance
        # lead: the clinical record lives in the service's patient record system, not here.
        "RETENTION_INCOMPLETE_DAYS": int(os.environ.get("RETENTION_INCOMPLETE_DAYS", "30")),
        "RETENTION_CLOSED_DAYS": int(os.environ.get("RETENTION_CLOSED_DAYS", "180")),
        # Where recordings are fetched from; tests point it at a local fake.
        "TWILIO_API_BASE_URL": os.environ.get("TWILIO_API_BASE_URL", ""),  # unset: twilio's own
        "RECORDING_TIMEOUT_SECONDS": int(os.environ.get("RECORDING_TIMEOUT_SECONDS", "5")),
        # The staff dashboard: idle logout, then slowed and locked logins after failures in a row.
        "STAFF_IDLE_MINUTES": int(os.environ.get("STAFF_IDLE_MINUTES", "20")),
        "STAFF_SLOW_AFTER": int(os.environ.get("STAFF_SLOW_AFTER", "3")),
        "STAFF_SLOW_SECONDS": int(os.environ.get("STAFF_SLOW_SECONDS", "30")),
        "STAFF_LOCK_AFTER": int(os.environ.get("STAFF_LOCK_AFTER", "6")),
        "STAFF_LOCK_MINUTES": int(os.environ.get("STAFF_LOCK_MINUTES", "30")),
        "STAFF_PAGE_SIZE": int(os.environ.get("STAFF_PAGE_SIZE", "50")),
        # However busy, a staff session ends this long after logging in.
        "STAFF_SESSION_HOURS": int(os.environ.get("STAFF_SESSION_HOURS", "10")),
        # Failed logins from one network address, across every account, e.g. "30 per hour" (see login_limit).
        "STAFF_LOGIN_IP_LIMIT": os.environ.get("STAFF_LOGIN_IP_LIMIT", "30 per hour"),
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE"),
        # A code from an authenticator app after the password, for every staff login. Unset: on in production
        # (where it cannot be turned off), off elsewhere; see settle_two_factor.
        "STAFF_REQUIRE_2FA": _optional_flag("STAFF_REQUIRE_2FA"),
        # The https:// address under which our FHIR identifiers and the phone line's Questionnaire are named
        # (docs/fhir.md). Unset: PUBLIC_BASE_URL + "/fhir". Keep it once records have gone out: it names them.
        "FHIR_BASE_URL": os.environ.get("FHIR_BASE_URL", "").strip().rstrip("/"),
        # NHS England's Personal Demographics Service, for staff's "Find NHS number" (docs/deployment.md). Unset: off.
        "PDS_BASE_URL": os.environ.get("PDS_BASE_URL", "").strip().rstrip("/"),
        # How the line gets its access token: by NHS England's signed JWT authentication when these four are set
        # (ivr/interop/nhs_auth.py), else PDS_ACCESS_TOKEN, one token set by hand (none for the sandbox).
        "PDS_TOKEN_URL": os.environ.get("PDS_TOKEN_URL", "").strip(),
        "PDS_API_KEY": os.environ.get("PDS_API_KEY", "").strip(),
        "PDS_KEY_ID": os.environ.get("PDS_KEY_ID", "").strip(),
        "PDS_PRIVATE_KEY_PATH": os.environ.get("PDS_PRIVATE_KEY_PATH", "").strip(),
        "PDS_ACCESS_TOKEN": os.environ.get("PDS_ACCESS_TOKEN", "").strip(),
        "PDS_TIMEOUT_SECONDS": float(os.environ.get("PDS_TIMEOUT_SECONDS", "10")),
    }


def engine_options(config: dict) -> dict:
    """How to connect: on PostgreSQL a slow statement or server is cut short rather than waited for; the cursors of
    both databases keep to a webhook's database budget (ivr/budget.py)."""
    options: dict = {
        # A restarted database costs no caller an apology: a connection is pinged before each use, but in a voice
        # worker, where that is a round trip every turn, a turn that finds its connection dead runs again instead.
        "pool_pre_ping": config.get("SERVE") != "voice",
        # A failed statement's parameters (a caller's number, their answers) stay out of the error and the log.
        "hide_parameters": True,
    }
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options["pool_timeout"] = config["DB_CONNECT_TIMEOUT_S"]
        options["connect_args"] = {
            "connect_timeout": config["DB_CONNECT_TIMEOUT_S"],
            "options": f"-c statement_timeout={config['DB_STATEMENT_TIMEOUT_MS']}",
            "cursor_factory": LeanCursor,  # every statement reads its result's description: cheaply
        }
    elif config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options["connect_args"] = {"factory": BudgetedSQLite}
    return options


def _database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


SERVES = ("all", "voice", "staff")
PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def login_limit(text: str) -> tuple[int, int]:
    """STAFF_LOGIN_IP_LIMIT, "30 per hour" or "30/hour" (also "100 per 2 hours"), as (failures, seconds)."""
    words = text.replace("/", " per ").lower().split()
    count = seconds = 0
    if len(words) in (3, 4) and words[1] == "per" and words[-1].removesuffix("s") in PERIODS:
        try:
            count = int(words[0])
            seconds = int(words[2] if len(words) == 4 else 1) * PERIODS[words[-1].removesuffix("s")]
        except ValueError:
            pass
    if count < 1 or seconds < 1:
        raise ConfigError(f"STAFF_LOGIN_IP_LIMIT is '{text}': write it as failures per period, e.g. '30 per hour' "
                          f"(periods: {', '.join(PERIODS)}).")
    return count, seconds


# What IVR_ENV may say: nothing else starts, so that a misspelt "Production" never runs without its checks.
ENVIRONMENTS = ("development", "production")


def check_serves(config: dict) -> None:
    """IVR_SERVE names one of the parts a process can serve."""
    if config.get("SERVE", "all") not in SERVES:
        raise ConfigError(f"IVR_SERVE is '{config['SERVE']}': set it to one of {', '.join(SERVES)}.")


def check_environment(config: dict) -> None:
    """IVR_ENV names one of the environments exactly: anything else would skip production's checks."""
    if config.get("ENVIRONMENT") not in ENVIRONMENTS:
        raise ConfigError(f"IVR_ENV is {config.get('ENVIRONMENT')!r}: set it to one of {', '.join(ENVIRONMENTS)} "
                          "(in lower case), or leave it unset for development.")


def check_public_base_url(config: dict) -> None:
    """PUBLIC_BASE_URL, when set, is a plain http(s)://host address; requests naming any other host are refused.

    Every URL the line gives Twilio is built on it, never on a request's Host or X-Forwarded-Host, and Flask's
    TRUSTED_HOSTS (read on each request) turns away a request for another host with 400.
    """
    base = config.get("PUBLIC_BASE_URL", "")
    if not base:
        return
    parts = urlsplit(base)
    plain = parts.hostname and not (parts.query or parts.fragment or "@" in parts.netloc)
    if parts.scheme not in ("http", "https") or not plain:
        raise ConfigError(f"PUBLIC_BASE_URL is {base!r}: set it to the address Twilio and staff use, written like "
                          "https://ivr.example.nhs.uk.")
    config["TRUSTED_HOSTS"] = [parts.hostname]


def check_production(config: dict) -> None:
    """Refuse to serve real callers with a missing token or a guessable secret key."""
    if config.get("ENVIRONMENT") != "production":
        return
    if not config.get("TWILIO_AUTH_TOKEN"):
        raise ConfigError("Set TWILIO_AUTH_TOKEN to the Twilio account's auth token.")
    key = config.get("SECRET_KEY", "")
    if key in WEAK_SECRET_KEYS or len(key) < 32:
        raise ConfigError(
            "Set SECRET_KEY to a random value of at least 32 characters, e.g. "
            "python -c 'import secrets; print(secrets.token_hex(32))'."
        )
    if config.get("ALLOW_UNSIGNED_WEBHOOKS"):
        raise ConfigError("ALLOW_UNSIGNED_WEBHOOKS must not be set in production.")
    if config.get("STAFF_REQUIRE_2FA") is False:
        raise ConfigError("STAFF_REQUIRE_2FA must not be off in production: staff see patients' details. "
                          "Unset it; a member of staff who lost their phone is reset with `flask staff reset-2fa`.")
    check_pds(config)
    if not config.get("PUBLIC_BASE_URL", "").startswith("https://"):
        # TRUST_PROXY alone is not enough: every URL given to Twilio (Call now's bridge, status callbacks) is
        # built on this address, never on a Host header a browser or a proxy passed on.
        raise ConfigError(
            "Set PUBLIC_BASE_URL to the https:// address Twilio and staff use (e.g. https://ivr.example.nhs.uk): "
            "every URL given to Twilio is built on it, staff cookies must be Secure, and Twilio's signatures "
            "must check. TRUST_PROXY does not replace it."
        )


PDS_SIGNED_JWT = ("PDS_TOKEN_URL", "PDS_API_KEY", "PDS_KEY_ID", "PDS_PRIVATE_KEY_PATH")


def pds_signed_jwt(config: dict) -> bool:
    """The line gets its PDS access token by NHS England's signed JWT authentication: all four settings are set."""
    return all(config.get(name) for name in PDS_SIGNED_JWT)


def check_pds(config: dict) -> None:
    """In production, a PDS search that is on reaches NHS England over https with a way to get its access token."""
    if not config.get("PDS_BASE_URL"):
        return
    if not config["PDS_BASE_URL"].startswith("https://"):
        raise ConfigError("PDS_BASE_URL is set: make it NHS England's https:// address, or unset it to leave the NHS "
                          "number search off (docs/deployment.md).")
    missing = [name for name in PDS_SIGNED_JWT if not config.get(name)]
    if len(missing) == len(PDS_SIGNED_JWT) and not config.get("PDS_ACCESS_TOKEN"):
        raise ConfigError("PDS_BASE_URL is set: set PDS_TOKEN_URL, PDS_API_KEY, PDS_KEY_ID and PDS_PRIVATE_KEY_PATH "
                          "as NHS England's onboarding gave them (signed JWT authentication), or PDS_ACCESS_TOKEN, "
                          "or unset PDS_BASE_URL to leave the NHS number search off (docs/deployment.md).")
    if 0 < len(missing) < len(PDS_SIGNED_JWT):
        raise ConfigError(f"Signed JWT authentication for PDS needs all four settings: set {' and '.join(missing)} "
                          "too (docs/deployment.md).")
    if not missing and not config["PDS_TOKEN_URL"].startswith("https://"):
        raise ConfigError("PDS_TOKEN_URL is set: make it NHS England's https:// token endpoint, e.g. "
                          "https://api.service.nhs.uk/oauth2/token.")
    if not missing and not Path(config["PDS_PRIVATE_KEY_PATH"]).is_file():
        raise ConfigError(f"PDS_PRIVATE_KEY_PATH is {config['PDS_PRIVATE_KEY_PATH']!r}, where there is no file: set "
                          "it to the private key whose public key is registered with NHS England.")


def is_e164(number: str) -> bool:
    """A valid phone number written in E.164, the form Twilio takes: '+441332000000'."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return False
    return number.startswith("+") and phonenumbers.is_valid_number(parsed)


def check_line_number(config: dict) -> None:
    """The line's own number (texts are sent from it, Call now rings from it) must be one Twilio takes."""
    number = config.get("TWILIO_PHONE_NUMBER", "")
    if number and not is_e164(number):
        raise ConfigError(f"Set TWILIO_PHONE_NUMBER to the line's own number in E.164, e.g. +441332000000 "
                          f"(it is {number!r}).")


def settle_two_factor(config: dict) -> None:
    """STAFF_REQUIRE_2FA left unset is on in production and off elsewhere (check_production refuses it off)."""
    if config.get("STAFF_REQUIRE_2FA") is None:
        config["STAFF_REQUIRE_2FA"] = config.get("ENVIRONMENT") == "production"


def settle_secret_key(config: dict) -> bool:
    """Outside production, a missing or guessable SECRET_KEY becomes a random one; True if so.

    Staff sessions then end when the app restarts. Under TESTING the key is left as given (a fixed
    one if none), so that tests can make several apps that share sessions.
    """
    if config.get("SECRET_KEY", "") not in WEAK_SECRET_KEYS:
        return False
    if config.get("TESTING"):
        config["SECRET_KEY"] = config.get("SECRET_KEY") or "testing-only-key"
        return False
    config["SECRET_KEY"] = secrets.token_hex(32)
    return True
