"""A local fake of NHS England's PDS FHIR API sandbox: Patient search, answered as the published sandbox answers.

Its rules are the sandbox's own (NHSDigital/personal-demographics-service-api at f57f5839,
karate-tests/src/test/java/mocks/sandbox/get-patient-search.js and supporting-functions.js), for the test patients a
search by name and date of birth without gender reaches, with the sandbox's own bodies (tests/support/pds_sandbox):
- X-Request-ID missing: 400 MISSING_VALUE; not a UUID: 400 INVALID_VALUE; an Authorization header that is not
  "Bearer <letters and digits>": 401 ACCESS_DENIED (none at all is accepted, as in the sandbox);
- a parameter PDS does not know: 400; a birthdate not (eq|ge|le)YYYY-MM-DD: 400 INVALID_VALUE; no birthdate:
  400 MISSING_VALUE; no family: 400 INVALID_SEARCH_DATA;
- family Massam, birthdate 1920-08-11: one patient, 9693632966 (martha_massam_searchset);
- family YOUDS with _max-results=1: 200 TOO_MANY_MATCHES; without: four patients (youds_searchset);
- family Spiderman or Bingham, birthdate 1962-07-31 or 1934-12-18: an empty searchset;
- anything else: 200 with the sandbox's "no example response" warning (NOT_SUPPORTED_SEARCH).
One difference, deliberate: names are compared ignoring case, as the real service does ("Not case sensitive": the
specification's family and given parameters); the sandbox compares them as written ('Massam' but 'YOUDS').
`fault` makes it fail as a real service can: "500" (an internal error) or "slow" (answers after `delay` seconds).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.support.servers import send_json, serving

BODIES = Path(__file__).parent / "pds_sandbox"
BASE_PATH = "/personal-demographics/FHIR/R4"
KNOWN = {"_fuzzy-match", "_exact-match", "_history", "_max-results", "family", "given", "gender", "birthdate",
         "death-date", "history", "address-postcode", "address-postalcode", "general-practitioner", "email", "phone"}
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
EMPTY_SEARCHSET = {"resourceType": "Bundle", "type": "searchset", "total": 0}  # stubs.js


def _body(name: str, diagnostics: str | None = None) -> dict:
    body = json.loads((BODIES / f"{name}.json").read_text())
    if diagnostics is not None:
        body["issue"][0]["diagnostics"] = diagnostics
    return body


def _stamped(body: dict) -> dict:
    return body | {"timestamp": datetime.now(UTC).isoformat()}  # the sandbox's timestampBody()


def answer(headers, query: dict[str, list[str]]) -> tuple[int, dict]:
    """(status, body) for one Patient search, by the sandbox's rules."""
    request_id = headers.get("X-Request-ID")
    if not request_id:
        return 400, _body("MISSING_VALUE", "Invalid request with error - X-Request-ID header must be supplied to "
                                            "access this resource")
    if not UUID.match(request_id):
        return 400, _body("INVALID_VALUE", f"Invalid value - '{request_id}' in header 'X-Request-ID'")
    authorization = headers.get("Authorization")
    if authorization is not None and not re.fullmatch(r"Bearer (?=.*[a-zA-Z])(?=.*\d)[a-zA-Z0-9]+(_[a-zA-Z0-9]+)?",
                                                      authorization):
        return 401, _body("ACCESS_DENIED", "Invalid Access Token")
    unknown = [name for name in query if name not in KNOWN]
    if unknown:
        return 400, _body("INVALID_VALUE", f"Invalid request with error - Additional properties are not allowed "
                                            f"('{unknown[0]}' was unexpected)")
    births = query.get("birthdate", [])
    for value in births:
        if not re.fullmatch(r"(eq|ge|le)?\d{4}-\d{2}-\d{2}", value):
            return 400, _body("INVALID_VALUE", f"Invalid value - '{value}' in field 'birthdate'")
    if not births:
        return 400, _body("MISSING_VALUE", "Missing value - 'birth_date/birth_date_range_start/birth_date_range_end'")
    if "family" not in query:
        return 400, _body("INVALID_SEARCH_DATA", "Invalid search data provided - 'No searches were performed as the "
                                                  "search criteria did not meet the minimum requirements'")
    family, born = query["family"][0].lower(), births[0].removeprefix("eq")
    if family == "massam" and born in {"1920-08-11", "le1920-08-11"}:
        return 200, _stamped(_body("martha_massam_searchset"))
    if family == "youds":
        if query.get("_max-results") == ["1"]:
            return 200, _body("TOO_MANY_MATCHES")
        return 200, _stamped(_body("youds_searchset"))
    if family in {"spiderman", "bingham"} and born in {"1962-07-31", "1934-12-18"}:
        return 200, _stamped(EMPTY_SEARCHSET)
    return 200, _stamped(_body("NOT_SUPPORTED_SEARCH"))


class FakePds:
    """What the fake was asked, and how it should fail."""

    def __init__(self) -> None:
        self.requests: list[dict] = []  # each: path, query, headers (looked up ignoring case)
        self.fault: str | None = None  # "500", "401" (the access token refused, once) or "slow"
        self.delay = 3.0


@contextmanager
def fake_pds() -> Iterator[tuple[str, FakePds]]:
    """Serve the fake on a free 127.0.0.1 port; yields (its base URL, as PDS_BASE_URL takes it; its FakePds)."""
    state = FakePds()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            target = urlsplit(self.path)
            query = parse_qs(target.query, keep_blank_values=True)
            state.requests.append({"path": target.path, "query": query, "headers": self.headers})
            if state.fault == "slow":
                time.sleep(state.delay)
            if state.fault == "401":  # PDS's answer to an access token it no longer accepts (once)
                state.fault = None
                status, body = 401, {"resourceType": "OperationOutcome", "issue": [
                    {"severity": "error", "code": "forbidden", "diagnostics": "Invalid Access Token"}]}
            elif state.fault == "500":
                status, body = 500, {"resourceType": "OperationOutcome", "issue": [
                    {"severity": "error", "code": "exception", "diagnostics": "Internal Server Error"}]}
            elif target.path != f"{BASE_PATH}/Patient":
                status, body = 404, {}
            else:
                status, body = answer(self.headers, query)
            mirrored = {name: self.headers[name] for name in ("X-Request-ID", "X-Correlation-ID")
                        if self.headers.get(name)}  # as basicResponseHeaders() does
            send_json(self, status, body, "application/fhir+json", mirrored)

        def log_message(self, format, *args) -> None:  # noqa: A002 (http.server's name)
            pass

    with serving(Handler) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}{BASE_PATH}", state
