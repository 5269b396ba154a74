"""Referrals and enquiries as the dashboard lists them: the filters, the order, one page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, not_, or_, select
from sqlalchemy.orm import selectinload

from ivr.callflow.languages import ENGLISH
from ivr.extensions import db
from ivr.models import OPEN, UNFINISHED, Enquiry, PossibleDuplicate, Referral, Status


@dataclass(frozen=True)
class Kind:
    """What the dashboard needs to know about one kind of record."""

    name: str  # "referral" or "enquiry": the audit log's subject type
    plural: str  # the URL segment
    model: type
    filters: dict  # filter name -> (label, where clause)


# Derbyshire's local priorities (pregnant or a baby under one; the armed forces): after urgent, before the rest.
PRIORITY = or_(Referral.pregnant_or_baby_under_one.is_(True), Referral.ex_forces.is_(True))
# A message to listen to next, after the urgent ones and before the rest: marked so when its transcript came
# (ivr/voice/transcription.py), or not heard yet because no transcript has come (display.message_to_check says why).
MESSAGE_TO_CHECK = or_(Enquiry.message_to_check.is_(True),
                       and_(Enquiry.recording_sid.is_not(None), Enquiry.transcription_status.is_(None)))
# A call that said a sentence with words to check, which the line offered help after (ivr/callflow/urgency.py):
# after the urgent ones too, before the priority groups and the rest (display.said_to_check says why).
REFERRAL_WORDS_TO_CHECK = Referral.said_besides_to_check.is_not(None)
ENQUIRY_TO_CHECK = or_(MESSAGE_TO_CHECK, Enquiry.said_besides_to_check.is_not(None))

REFERRAL_FILTERS = {
    "open": ("All open", Referral.status.in_(OPEN)),
    "new": ("New", Referral.status == Status.NEW),
    "urgent": ("Urgent", and_(Referral.urgent.is_(True), Referral.status.in_(OPEN))),
    "words_to_check": ("Words to check", and_(REFERRAL_WORDS_TO_CHECK, Referral.urgent.is_(False),
                                              Referral.status.in_(OPEN))),
    "incomplete": ("Incomplete (call dropped)", Referral.status.in_(UNFINISHED)),
    "practice_to_check": ("Practice to check", and_(Referral.practice_to_check.is_(True),
                                                    Referral.status.in_(OPEN))),
    "date_of_birth_to_check": ("Date of birth to check", and_(Referral.date_of_birth_to_check.is_(True),
                                                              Referral.status.in_(OPEN))),
    "priority": ("Priority group", and_(PRIORITY, Referral.status.in_(OPEN))),
    "possible_duplicate": ("Possible duplicate", and_(Referral.status.in_(OPEN), exists().where(
        PossibleDuplicate.resolution.is_(None),
        or_(PossibleDuplicate.referral_id == Referral.id, PossibleDuplicate.earlier_id == Referral.id)))),
    "contacted": ("Contacted", Referral.status == Status.CONTACTED),
    "assessment_booked": ("Assessment booked", Referral.status == Status.ASSESSMENT_BOOKED),
    "closed": ("Closed", Referral.status == Status.CLOSED),
}
ENQUIRY_FILTERS = {
    "open": ("All open", Enquiry.status.in_(OPEN)),
    "new": ("New", Enquiry.status == Status.NEW),
    "urgent": ("Urgent", and_(Enquiry.urgent.is_(True), Enquiry.status.in_(OPEN))),
    "message_to_check": ("Message to check", and_(MESSAGE_TO_CHECK, Enquiry.urgent.is_(False),
                                                  Enquiry.status.in_(OPEN))),
    "words_to_check": ("Words to check", and_(Enquiry.said_besides_to_check.is_not(None), Enquiry.urgent.is_(False),
                                              Enquiry.status.in_(OPEN))),
    "incomplete": ("Incomplete (call dropped)", Enquiry.status.in_(UNFINISHED)),
    "contacted": ("Contacted", Enquiry.status == Status.CONTACTED),
    "closed": ("Closed", Enquiry.status == Status.CLOSED),
}
KINDS = {
    "referrals": Kind("referral", "referrals", Referral, REFERRAL_FILTERS),
    "enquiries": Kind("enquiry", "enquiries", Enquiry, ENQUIRY_FILTERS),
}


def chosen_filter(kind: Kind, name: str | None) -> str:
    """The filter asked for, or the open queue when it is missing or unknown."""
    return name if name in kind.filters else "open"


def queue_query(kind: Kind, filter_name: str, language: str | None = None) -> Select:
    """The filtered queue, in one language if asked (the call's, "pl-PL"; "en-GB": English): urgent first, then those
    with words to check (and, for enquiries, the messages to check), then (for referrals) the priority groups, then
    whoever has waited longest."""
    model = kind.model
    query = select(model).where(kind.filters[filter_name][1]).options(selectinload(model.call))
    if language:
        query = query.where(model.language.is_(None) if language == ENGLISH else model.language == language)
    if model is Referral:
        query = query.options(selectinload(Referral.practice), selectinload(Referral.text))
        return query.order_by(not_(model.urgent), not_(REFERRAL_WORDS_TO_CHECK), not_(PRIORITY), model.created_at,
                              model.id)
    return query.order_by(not_(model.urgent), not_(ENQUIRY_TO_CHECK), model.created_at, model.id)


@dataclass
class Page:
    """One page of a queue."""

    items: list
    number: int
    total: int
    size: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // self.size))


def page_of(query: Select, number: int, size: int) -> Page:
    """Page `number` of an ordered query's rows; a number out of range gives the first or last page."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    number = min(max(1, number), max(1, -(-total // size)))
    items = db.session.scalars(query.limit(size).offset((number - 1) * size)).all()
    return Page(list(items), number, total, size)


def queue_page(kind: Kind, filter_name: str, number: int, size: int, language: str | None = None) -> Page:
    """A page of the filtered queue."""
    return page_of(queue_query(kind, filter_name, language), number, size)


def counts(kind: Kind) -> dict[str, int]:
    """How many records each filter holds, for the filter tabs."""
    return {
        name: db.session.scalar(select(func.count()).select_from(kind.model).where(where))
        for name, (_label, where) in kind.filters.items()
    }
