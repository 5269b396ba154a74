"""NHS England's Personal Demographics Service (PDS FHIR API, R4): one person's NHS number by name and date of birth.

Every request and answer here is as NHS England's specification and sandbox give them (NHSDigital/personal-demographics-
service-api: specification/components/paths/patient-search.yaml and personal-demographics.yaml; the sandbox's
karate-tests/src/test/java/mocks/sandbox/get-patient-search.js):
- GET {base}/Patient?family=&given=&birthdate=eqYYYY-MM-DD, with `_exact-match=true` (only results scoring 1.0) and
  `_max-results=1` ("For application-restricted access, this must be 1 ... If too many patients match the search
  criteria, we return a TOO_MANY_MATCHES error"), and `general-practitioner` (an ODS code, "must match exactly")
  when the caller's practice was confirmed on the call;
- headers X-Request-ID (a UUID, mandatory), X-Correlation-ID, and Authorization: Bearer in every environment but the
  sandbox;
- answers: HTTP 200 with a `searchset` Bundle of 0 or 1 entries (entry.resource.id is the NHS number,
  entry.search.score), or HTTP 200 with an OperationOutcome whose issue is TOO_MANY_MATCHES; 4XX/5XX with an
  OperationOutcome.
A result is taken only when exactly one person matched; anything this module does not understand is an error for
staff, never a match. Standard library only (urllib): the app needs no HTTP client package for one GET.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from http.client import HTTPException
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from ivr.callflow.nhs_number import is_nhs_number

TokenProvider = Callable[[], "str | None"]  # an OAuth 2.0 access token for PDS, or None (the sandbox needs none)
SPINE_CODES = "https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode"


def static_token(token: str | None) -> TokenProvider:
    """A token provider that gives one token set by hand (PDS_ACCESS_TOKEN; none for the sandbox).

    A live service gets its tokens by NHS England's signed JWT authentication instead: ivr/interop/nhs_auth.py.
    """
    return lambda: token or None


class Outcome(StrEnum):
    """What a search found: exactly one person (taken), nobody, or more than one (not taken)."""

    ONE = "one"
    NONE = "none"
    SEVERAL = "several"


@dataclass(frozen=True)
class Search:
    """Who to look for: given and family names, date of birth and, when confirmed on the call, the GP practice."""

    given: str
    family: str
    birth_date: date
    practice_ods_code: str | None = None

    def query(self) -> str:
        """The search's query string, as PDS takes it."""
        params = [("family", self.family), ("given", self.given), ("birthdate", f"eq{self.birth_date.isoformat()}")]
        if self.practice_ods_code:
            params.append(("general-practitioner", self.practice_ods_code))
        return urlencode([*params, ("_exact-match", "true"), ("_max-results", "1")])


@dataclass(frozen=True)
class Result:
    """A search's answer: the NHS number only when exactly one person matched."""

    outcome: Outcome
    nhs_number: str | None = None


class PdsError(Exception):
    """PDS gave no answer we can use: `code` for the audit log, the message for staff."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


UNUSABLE = "PDS gave an answer this line cannot read, so no NHS number was taken."
HTTP_ERRORS = {
    400: "PDS refused the search as written, so no NHS number was taken.",
    401: "PDS refused this line's access token, so no NHS number was taken. Try again; if it happens again, ask "
         "whoever runs the line to check its PDS access.",
    403: "PDS refused this search for this line's access: ask whoever runs the line to check its PDS onboarding.",
    408: "PDS took too long to answer. Try again in a few minutes.",
    429: "PDS is busy (too many searches). Try again in a minute.",
}


class PdsClient:
    """Searches PDS at `base_url` (e.g. https://int.api.service.nhs.uk/personal-demographics/FHIR/R4)."""

    def __init__(self, base_url: str, token: TokenProvider, timeout: float = 10.0):
        self.base_url, self.token, self.timeout = base_url.rstrip("/"), token, timeout

    def search(self, search: Search) -> Result:
        """Look for exactly one person; raises PdsError when PDS cannot be reached or its answer is not understood."""
        status, body = self._get(f"{self.base_url}/Patient?{search.query()}")
        if status == 401 and hasattr(self.token, "forget"):
            self.token.forget()  # a token exchanged by signed JWT: the next search gets a new one
        if status != 200:
            raise PdsError(f"http_{status}", HTTP_ERRORS.get(
                status, "PDS could not answer just now, so no NHS number was taken. Try again later."))
        return _read(body, search)

    def _get(self, url: str) -> tuple[int, dict]:
        headers = {"Accept": "application/fhir+json", "X-Request-ID": str(uuid.uuid4()),
                   "X-Correlation-ID": str(uuid.uuid4())}
        token = self.token()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            with urlopen(Request(url, headers=headers), timeout=self.timeout) as response:  # noqa: S310 (https set)
                return response.status, _json(response.read())
        except HTTPError as error:
            with error:
                return error.code, {}
        except TimeoutError as error:
            raise PdsError("timeout", "PDS did not answer in time. Try again in a few minutes.") from error
        except URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise PdsError("timeout", "PDS did not answer in time. Try again in a few minutes.") from error
            raise PdsError("unreachable", "PDS could not be reached. Try again later.") from error
        except (OSError, HTTPException) as error:  # the connection dropped while PDS was answering
            raise PdsError("unreachable", "PDS could not be reached. Try again later.") from error


def _json(raw: bytes) -> dict:
    try:
        body = json.loads(raw)
    except ValueError as error:
        raise PdsError("unreadable", UNUSABLE) from error
    if not isinstance(body, dict):
        raise PdsError("unreadable", UNUSABLE)
    return body


def _read(body: dict, search: Search) -> Result:
    """A 200's body as a Result: a searchset Bundle, or TOO_MANY_MATCHES; anything else is an error."""
    if body.get("resourceType") == "OperationOutcome":
        codes = {coding.get("code") for issue in body.get("issue") or [] for coding in
                 (issue.get("details") or {}).get("coding") or [] if coding.get("system") == SPINE_CODES}
        if "TOO_MANY_MATCHES" in codes:
            return Result(Outcome.SEVERAL)
        raise PdsError("not_supported", UNUSABLE)  # e.g. the sandbox's "no example response" warning
    if body.get("resourceType") != "Bundle" or body.get("type") != "searchset":
        raise PdsError("unreadable", UNUSABLE)
    entries = body.get("entry") or []
    if not entries:
        return Result(Outcome.NONE)
    if len(entries) > 1:
        return Result(Outcome.SEVERAL)
    [entry] = entries
    patient, score = entry.get("resource") or {}, (entry.get("search") or {}).get("score")
    number = str(patient.get("id") or "")
    # An exact match scores 1.0 and has the date of birth searched for; a valid NHS number or nothing is taken.
    if score != 1 or patient.get("birthDate") != search.birth_date.isoformat() or not is_nhs_number(number):
        raise PdsError("unexpected_match", UNUSABLE)
    return Result(Outcome.ONE, number)
