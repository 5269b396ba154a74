"""A name as the line heard it, split into the given and family names a Personal Demographics Service search takes.

The line keeps one name as heard ("Sam O'Neill-Smith", lead-in removed and capitalised: ivr/callflow/phrasing.py),
with no sign of which word is the family name. The split is a first guess for staff, who see both boxes and correct
them before anything is searched:
- a title at the start (Mr, Mrs, Miss, Ms, Mx, Dr) is left out;
- the first word is the given name; middle words are left out, as PDS's search advises ("It is not necessary to
  specify subsequent given names, and doing so may impact your search results": specification/components/
  paths/patient-search.yaml, parameter Given, NHSDigital/personal-demographics-service-api);
- the last word is the family name, with any particles just before it ("van der Berg", "de Souza", "al Hassan");
  a hyphen or apostrophe stays inside its word ("O'Neill-Smith");
- one word alone is not split: nobody can tell which name it is.
A name given family name first ("Zhang Wei") comes out the wrong way round: the exact search then finds nobody,
never somebody else, unless staff swap the boxes.
"""

from __future__ import annotations

import re

TITLES = {"mr", "mrs", "miss", "ms", "mx", "dr"}
PARTICLES = {"van", "von", "der", "den", "de", "da", "di", "du", "del", "della", "le", "la", "al", "el", "bin",
             "ibn", "st"}
LONGEST = 35  # PDS takes at most 35 characters in `family` and in `given` (the parameters' descriptions)
# Letters, spaces, hyphens and apostrophes only: never PDS's wildcard `*`, which an exact search does not take.
A_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-][^\W\d_]+)*$")


def split(name: str | None) -> tuple[str, str]:
    """(given, family) guessed from the name as heard; ("", "") when it has fewer than two words."""
    words = (name or "").replace("\u2019", "'").split()
    if words and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    if len(words) < 2:
        return "", ""
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in PARTICLES:
        start -= 1
    return words[0], " ".join(words[start:])


def problem(given: str, family: str) -> str | None:
    """Why staff's given and family names cannot be searched, in words; None when both can."""
    for label, value in (("given name", given), ("family name", family)):
        if not value:
            return f"Type the {label} to search for."
        if len(value) > LONGEST:
            return f"The {label} is longer than PDS takes ({LONGEST} letters)."
        if not A_NAME.match(value):
            return f"The {label} can only have letters, spaces, hyphens and apostrophes."
    return None
