"""The GP practice directory in the database: reading and importing ODS files, and live matching."""

from __future__ import annotations

import csv
import threading
import time

import click
from sqlalchemy import func, select

from ivr.callflow.practice_match import Matcher
from ivr.callflow.practice_names import Choices, listing
from ivr.extensions import db
from ivr.models import Practice

COLUMNS = [
    "ods_code", "name", "address_line_1", "address_line_2", "address_line_3", "town", "postcode",
    "status", "open_date", "telephone", "sub_icb_code", "icb_code", "ods_primary_role",
]
STORED = ["name", "address_line_1", "address_line_2", "address_line_3", "town", "postcode", "telephone"]


class PracticeDirectory(Choices):
    """The active practices in the database, matched as callers say them.

    Loaded lazily, on first use inside an app context. At most every `recheck_seconds` it asks the
    database for the number of practices and their latest `updated_at` (one cheap query) and rebuilds
    the matcher when either changed, so `flask practices import` reaches a running line within that
    time, without a restart. While the directory is empty it checks on every use.
    """

    def __init__(self, recheck_seconds: float = 30.0):
        super().__init__(Matcher([]))
        self.recheck_seconds = recheck_seconds
        self._version: tuple | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def _current(self) -> Matcher:
        now = time.monotonic()
        if self._matcher.known and now - self._checked_at < self.recheck_seconds:
            return self._matcher
        with self._lock:
            version = tuple(db.session.execute(
                select(func.count(Practice.ods_code), func.max(Practice.updated_at))
            ).one())
            if version != self._version:
                rows = db.session.scalars(select(Practice).where(Practice.active).order_by(Practice.ods_code))
                self._matcher, self._version = Matcher([listing(row) for row in rows]), version
            self._checked_at = now
        return self._matcher


def read_practices(path: str) -> list[dict[str, str]]:
    """The rows of an ODS practice file with our columns; ClickException naming what is wrong."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise click.ClickException(f"{path} is not a practice file: no column {', '.join(missing)}")
            rows = [{k: (v or "").strip() for k, v in row.items() if k in COLUMNS} for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise click.ClickException(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None
    for number, row in enumerate(rows, start=2):
        if not row["ods_code"] or not row["name"]:
            raise click.ClickException(f"{path} line {number}: no ODS code or name")
        for column in ("ods_code", *STORED):
            limit = Practice.__table__.c[column].type.length
            if len(row[column]) > limit:
                raise click.ClickException(f"{path} line {number}: {column} longer than {limit} characters")
    if not any(row["status"].upper() == "ACTIVE" for row in rows):
        raise click.ClickException(f"{path} has no ACTIVE practices; nothing changed")
    return rows


def import_practices(rows: list[dict[str, str]]) -> dict[str, int]:
    """Add new practices, update changed ones, make the rest inactive; never delete (referrals name them)."""
    known = {p.ods_code: p for p in db.session.scalars(select(Practice))}
    counts = {"added": 0, "updated": 0, "made inactive": 0}
    listed = set()
    for row in rows:
        code, active = row["ods_code"].upper(), row["status"].upper() == "ACTIVE"
        listed.add(code)
        practice = known.get(code)
        if practice is None:
            db.session.add(Practice(ods_code=code, active=active, **{c: row[c] for c in STORED}))
            counts["added"] += 1
            continue
        changed = any(getattr(practice, c) != row[c] for c in STORED) or (active and not practice.active)
        counts["made inactive"] += practice.active and not active
        counts["updated"] += changed
        for column in STORED:
            setattr(practice, column, row[column])
        practice.active = active
    for code, practice in known.items():
        if code not in listed and practice.active:
            practice.active = False
            counts["made inactive"] += 1
    db.session.commit()
    return counts
