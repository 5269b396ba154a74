"""How long a refused staff login takes, by why it was refused: `python bench/login_timing.py [--tries N]`.

The login page gives one answer whether the email is unknown, the password wrong, or the account
locked (docs/security.md, finding 7); this measures that the time is alike too. In-process (Flask's
test client) on a scratch SQLite file, or on PostgreSQL with `--database postgresql://...` (a scratch
database is made and dropped there). Each kind of try is interleaved with the others, so load on the
machine moves them all alike.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from flask_migrate import upgrade  # noqa: E402
from scratch import postgresql_database  # noqa: E402

from ivr.app import create_app  # noqa: E402
from ivr.extensions import db  # noqa: E402
from ivr.models import utcnow  # noqa: E402
from ivr.staff.accounts import create  # noqa: E402

PASSWORD = "a long enough passphrase"


def scratch(database: str | None, folder: str) -> tuple[str, Callable[[], None]]:
    if not database:
        return f"sqlite:///{folder}/login.sqlite3", lambda: None
    url, _, drop = postgresql_database(database, f"ivr_bench_login_{uuid.uuid4().hex[:8]}")
    return url, drop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=40, help="tries of each kind (default 40)")
    parser.add_argument("--database", help="a PostgreSQL server URL; default a scratch SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url, drop = scratch(args.database, folder)
        try:
            app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-" * 8,
                              "SPOOL_DIR": folder, "STAFF_LOGIN_IP_LIMIT": "100000 per hour",
                              "STAFF_SLOW_AFTER": 10**9, "STAFF_LOCK_AFTER": 10**9})
            with app.app_context():
                upgrade(directory=str(ROOT / "migrations"))
                create("known@nhs.example", PASSWORD)
                locked = create("locked@nhs.example", PASSWORD)
                locked.locked_until = utcnow() + timedelta(days=1)
                db.session.commit()
            client = app.test_client()
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                              client.get("/staff/login").get_data(as_text=True)).group(1)
            kinds = {"wrong password, known account": "known@nhs.example",
                     "unknown email": "nobody@nhs.example", "locked account": "locked@nhs.example"}
            times: dict[str, list[float]] = {kind: [] for kind in kinds}
            answers: dict[str, set] = {kind: set() for kind in kinds}
            for n in range(args.tries + 3):
                for kind, email in kinds.items():
                    began = time.perf_counter()
                    response = client.post("/staff/login", data={
                        "email": email, "password": f"wrong {n}", "csrf_token": token})
                    spent = time.perf_counter() - began
                    if n >= 3:  # the first few warm up caches and connections
                        times[kind].append(spent * 1000)
                    answers[kind].add(response.status_code)
            with app.app_context():
                db.engine.dispose()
        finally:
            drop()
    print(f"{'refused because':32} {'answer':>7} {'median':>8} {'p90':>8}  ({args.tries} tries each, "
          f"{'PostgreSQL' if args.database else 'SQLite'})")
    for kind, spent in times.items():
        p90 = statistics.quantiles(spent, n=10)[-1]
        print(f"{kind:32} {'/'.join(map(str, sorted(answers[kind]))):>7} {statistics.median(spent):6.1f}ms "
              f"{p90:6.1f}ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
