"""The GP practice directory: names and places as callers say them, the import command, live matching."""

from __future__ import annotations

import csv
import re
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ivr.extensions import db
from ivr.models import Practice
from ivr.practice_match import Listing, Matcher

ABBREVIATIONS = {
    "CTR": "CENTRE", "CNTR": "CENTRE", "MED": "MEDICAL", "PRAC": "PRACTICE", "PRIM": "PRIMARY",
    "PTNRSHIP": "PARTNERSHIP", "HC": "HEALTH CENTRE", "H/CTR": "HEALTH CENTRE", "MP": "MEDICAL PRACTICE",
    "SURG": "SURGERY", "&": "AND", "ST.": "ST",
}
SMALL_WORDS = {"and", "at", "of", "in", "on", "the", "en", "le", "upon", "under"}
STREET_ENDINGS = {
    "ROAD", "STREET", "LANE", "CLOSE", "DRIVE", "WAY", "AVENUE", "PLACE", "WALK", "CRESCENT", "TERRACE",
    "HILL", "SQUARE", "ROW", "PARADE", "COURT", "GREEN",
}
BUILDING_WORDS = {
    "CENTRE", "CTR", "SURGERY", "MEDICAL", "MED", "HEALTH", "HC", "PRAC", "PRACTICE", "MP", "PTNRSHIP",
    "HOUSE", "HUB", "MANOR", "MALTHOUSE", "CARE", "CLINIC",
}
# Royal Mail post towns that callers would not give: a city over the county line, or a postal area.
POST_TOWNS_NOT_SAID = {"NOTTINGHAM", "SHEFFIELD", "MANSFIELD", "WORKSOP", "HIGH PEAK", "HOPE VALLEY"}
COLUMNS = [
    "ods_code", "name", "address_line_1", "address_line_2", "address_line_3", "town", "postcode",
    "status", "open_date", "telephone", "sub_icb_code", "icb_code", "ods_primary_role",
]
STORED = ["name", "address_line_1", "address_line_2", "address_line_3", "town", "postcode", "telephone"]
# Hints for Twilio's <Gather>: at most 500 phrases, each under 100 characters.
MAX_HINTS, MAX_HINT_LENGTH = 500, 99
KIND_HINTS = ["surgery", "medical centre", "health centre", "medical practice"]


def spoken(text: str) -> str:
    """ODS upper case as it is said: 'WEST HALLAM MEDICAL CTR' -> 'West Hallam Medical Centre'."""
    text = text.replace("&", " & ").replace(" - ", " , ")
    expanded = " ".join(ABBREVIATIONS.get(word.upper(), word) for word in text.split()).lower().split()
    said = []
    for n, word in enumerate(expanded):
        parts = word.split("-")
        said.append("-".join(
            p if (p in SMALL_WORDS and (n or i)) else p[:1].upper() + p[1:] for i, p in enumerate(parts)
        ))
    return " ".join(said).replace(" ,", ",")


def _words(part: str) -> list[str]:
    return [w for w in re.split(r"[\s\-&/]+", part.upper()) if w]


def _kind_of(part: str) -> str:
    """Whether one part of an address names a building, a street, or a place."""
    words = _words(part)
    if words[-1] in STREET_ENDINGS or words[0] == "OFF":
        return "street"
    if set(words) & BUILDING_WORDS:
        return "building"
    return "street" if re.search(r"\d", part) else "place"


def listing(row: Any) -> Listing:
    """A practice (a Practice row or a CSV row) as callers know it and as it should be read back."""
    get = row.get if isinstance(row, dict) else lambda key: getattr(row, key)
    town = (get("town") or "").strip()
    name = spoken(get("name"))
    names = [name, *(part.strip() for part in name.split(",") if "," in name)]
    buildings, places, streets = [], [], []
    for line in ("address_line_1", "address_line_2", "address_line_3"):
        for part in filter(None, (p.strip() for p in (get(line) or "").split(","))):
            kind = "street" if line == "address_line_1" and _kind_of(part) == "place" else _kind_of(part)
            part = re.sub(r"\s+VILLAGE$", "", part.upper())  # "WEST HALLAM VILLAGE"
            {"building": buildings, "street": streets, "place": places}[kind].append(spoken(part))
    locality = places[-1] if places else ""
    place_words = set(_words(town)) | {w for p in places for w in _words(p)}
    for building in buildings:
        # A building named after its town ("ILKESTON HEALTH CENTRE") tells where, not which.
        naming = set(_words(building)) - BUILDING_WORDS - {"THE", "PRIMARY", "PRIM"}
        if naming:
            (places if naming <= place_words else names).append(building)
    say_town = town.upper() not in POST_TOWNS_NOT_SAID and not set(_words(town)) & set(_words(locality))
    place = ", ".join(p for p in (locality, spoken(town) if say_town or not locality else "") if p)
    return Listing(
        ods_code=get("ods_code"), name=names[0], place=place,
        names=tuple(dict.fromkeys(names)), places=tuple(dict.fromkeys([*places, spoken(town)])),
        streets=tuple(dict.fromkeys(streets)),
    )


class PracticeDirectory:
    """The active practices in the database, matched as callers say them.

    Loaded lazily, on first use inside an app context. At most every `recheck_seconds` it asks the
    database for the number of practices and their latest `updated_at` (one cheap query) and rebuilds
    the matcher when either changed, so `flask practices import` reaches a running line within that
    time, without a restart. While the directory is empty it checks on every use.
    """

    def __init__(self, recheck_seconds: float = 30.0):
        self.recheck_seconds = recheck_seconds
        self._matcher = Matcher([])
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

    def match(self, text: str) -> list[dict[str, str]]:
        """[] if nothing plausible, one candidate if one is clear, else two or three, best first."""
        return [found.as_choice() for found in self._current().match(text)]

    def hints(self) -> str:
        """Phrases for Twilio's <Gather hints>: practice names and places, comma-separated."""
        return hints_for(k.listing for k in self._current().known)


def hints_for(listings: Iterable[Listing]) -> str:
    """Names and places worth listening for, deduplicated, within Twilio's limits."""
    phrases = list(KIND_HINTS)
    for found in listings:
        phrases += [found.name, *found.names, *found.place.split(",")]
    unique = dict.fromkeys(p.replace(",", " ").strip() for p in phrases)
    return ", ".join([p for p in unique if p and len(p) <= MAX_HINT_LENGTH][:MAX_HINTS])


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


cli = AppGroup("practices", help="The GP practice directory.")


@cli.command("import")
@click.argument("path")
@click.option("--if-empty", is_flag=True, help="Do nothing if the directory already has practices.")
def import_command(path: str, if_empty: bool) -> None:
    """Load or refresh the directory from an ODS practice file (see data/README.md)."""
    try:
        held = db.session.scalar(select(func.count(Practice.ods_code)))
        if if_empty and held:
            click.echo(f"The directory already has {held} practices; nothing imported.")
            return
        counts = import_practices(read_practices(path))
        active = db.session.scalar(select(func.count(Practice.ods_code)).where(Practice.active))
    except SQLAlchemyError as error:
        db.session.rollback()
        message = str(error.orig if getattr(error, "orig", None) else error).splitlines()[0]
        hint = " (has `flask db upgrade` been run?)" if "practices" in message and "table" in message else ""
        raise click.ClickException(f"could not update the practice directory: {message}{hint}") from None
    click.echo(
        f"Imported {Path(path).name}: {counts['added']} added, {counts['updated']} updated, "
        f"{counts['made inactive']} made inactive; {active} practices active."
    )
