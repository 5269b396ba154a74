"""Failed logins per network address, counted in the database: every worker and server sees the one count.

The trade (docs/login-throttling.md): a network at its limit is refused unchecked only for tries that could
not have logged in anyway (an unknown email, an account that is locked or must wait). A try on an account
that may try now is still checked, so a member of staff who knows their password is never kept out by
someone else's guesses from the same address; guesses at a real account are bounded by its own lockout.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from flask import current_app, request
from sqlalchemy import case, delete, or_, update
from sqlalchemy.dialects import postgresql, sqlite

from ivr.config import login_limit
from ivr.extensions import db
from ivr.models import LoginThrottle, utcnow

THROTTLES = LoginThrottle.__table__
INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def network_of(address: str | None) -> str:
    """The network a login came from: an IPv4 address, or an IPv6 address's /64, which one holder gets whole."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return (address or "unknown")[:64]
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)


def take_a_failure() -> str | None:
    """Count this login try as a failure of its network before the password is checked (forgive() takes it
    back if it logs in); the network, or None when the network has reached STAFF_LOGIN_IP_LIMIT.

    One atomic INSERT ... ON CONFLICT DO UPDATE ... RETURNING, on SQLite and PostgreSQL alike: however
    many tries arrive at once, on however many workers and servers, no more than the limit are counted
    in a window. Behind a proxy, TRUST_PROXY makes the address the browser's rather than the proxy's.
    Commits, so that other workers see the count before the slow password check.
    """
    limit, seconds = login_limit(current_app.config["STAFF_LOGIN_IP_LIMIT"])
    network, now = network_of(request.remote_addr), utcnow()
    ended = THROTTLES.c.window_started_at <= now - timedelta(seconds=seconds)
    insert = INSERT[db.engine.dialect.name](THROTTLES).values(network=network, failures=1, window_started_at=now)
    failures = db.session.execute(
        insert.on_conflict_do_update(
            index_elements=[THROTTLES.c.network],
            set_={"failures": case((ended, 1), else_=THROTTLES.c.failures + 1),
                  "window_started_at": case((ended, now), else_=THROTTLES.c.window_started_at)},
            where=or_(ended, THROTTLES.c.failures < limit),
        ).returning(THROTTLES.c.failures)
    ).scalar_one_or_none()
    if failures == 1:  # a new window: forget networks whose windows are long over (at most once a window each)
        db.session.execute(delete(THROTTLES).where(
            THROTTLES.c.window_started_at <= now - timedelta(seconds=2 * seconds)))
    db.session.commit()
    return network if failures is not None else None


def forgive(network: str | None) -> None:
    """A try that logged in was no failure: take back what take_a_failure counted. The caller commits."""
    if network is not None:
        # Should the window have turned over since (a login takes a second), the new one starts one lower.
        db.session.execute(update(THROTTLES).where(THROTTLES.c.network == network, THROTTLES.c.failures > 0)
                           .values(failures=THROTTLES.c.failures - 1))
