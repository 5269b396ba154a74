"""GP practices as callers say them: ODS names and addresses turned into spoken names, places and hints."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ivr.callflow.practice_match import Listing, Matcher

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
# Hints for Twilio's <Gather>: at most 500 phrases, each at most 100 characters (99 here: clear of the edge)
# (https://www.twilio.com/docs/voice/twiml/gather#hints).
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


def hints_for(listings: Iterable[Listing]) -> str:
    """Names and places worth listening for, deduplicated, within Twilio's limits."""
    phrases = list(KIND_HINTS)
    for found in listings:
        phrases += [found.name, *found.names, *found.place.split(",")]
    unique = dict.fromkeys(" ".join(p.replace(",", " ").split()) for p in phrases)
    return ", ".join([p for p in unique if p and len(p) <= MAX_HINT_LENGTH][:MAX_HINTS])


class Choices:
    """One matcher's practices as a call takes them (answers.PracticeMatcher): choices, not listings. The line's
    directory (ivr/directory/store.py) gives its current matcher from the database; a bench gives a fixed one."""

    def __init__(self, matcher: Matcher):
        self._matcher = matcher
        self._hints: tuple[Matcher | None, str] = (None, "")  # made once per matcher, not every practice question

    def _current(self) -> Matcher:
        return self._matcher

    def match(self, text: str) -> list[dict[str, str]]:
        """[] if nothing plausible, one candidate if one is clear, else two or three, best first."""
        return [found.as_choice() for found in self._current().match(text)]

    def town(self, text: str) -> tuple[str, list[dict[str, str]]]:
        """A place said on its own, and its practices by name (see Matcher.town)."""
        place, found = self._current().town(text)
        return place, [listing.as_choice() for listing in found]

    def keyed(self, keys: str) -> list[dict[str, str]]:
        """The practices whose name starts with the letters keyed on a phone keypad (see Matcher.keyed)."""
        return [found.as_choice() for found in self._current().keyed(keys)]

    def hints(self) -> str:
        """Phrases for Twilio's <Gather hints>: practice names and places, comma-separated."""
        matcher = self._current()
        if self._hints[0] is not matcher:
            self._hints = (matcher, hints_for(k.listing for k in matcher.known))
        return self._hints[1]
