"""The statements a webhook turn runs, each built once with its values bound at execution: SQLAlchemy then finds it
compiled in its cache without working out its cache key again, and psycopg prepares it on the server after a few
uses. store.py runs them, in the turn's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    LABEL_STYLE_TABLENAME_PLUS_COL,
    Integer,
    Select,
    String,
    Table,
    Update,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY

from ivr.models import Call, CallStep, Enquiry, Referral

CALLS: Table = Call.__table__
STEPS: Table = CallStep.__table__
RECORDS: dict[str, Table] = {"referral": Referral.__table__, "enquiry": Enquiry.__table__}

# What every turn reads of the call, and of its referral or enquiry: every column read costs every turn a little,
# so the others (the answers a retry gives again, what a text receipt needs) are read when first used (store.Row).
# Any column can be set.
READ = {
    CALLS.name: [CALLS.c[name] for name in ("id", "state", "seq", "outcome", "ended_at")],
    **{table.name: [table.c.id, table.c.status] for table in RECORDS.values()},
}
READ[RECORDS["referral"].name].append(RECORDS["referral"].c.reference)  # said back at the end
# The call, its referral and its enquiry in one row, each column labelled by its table ("referrals_id").
LOCKED_CALL = (
    select(*(column for columns in READ.values() for column in columns))
    .outerjoin(RECORDS["referral"], RECORDS["referral"].c.call_id == CALLS.c.id)
    .outerjoin(RECORDS["enquiry"], RECORDS["enquiry"].c.call_id == CALLS.c.id)
    .where(CALLS.c.call_sid == bindparam("call_sid"))
    .set_label_style(LABEL_STYLE_TABLENAME_PLUS_COL)
    .with_for_update(of=CALLS)  # row lock: the same webhook delivered twice at once is handled once, then replayed
)
# A new call; no row if the same call's first webhook was there first (PostgreSQL waits for that one to commit).
NEW_CALL = {name: dialect.insert(CALLS).returning(*CALLS.c).on_conflict_do_nothing(index_elements=[CALLS.c.call_sid])
            for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))}
NEW_RECORD = {kind: insert(table).returning(*READ[table.name]) for kind, table in RECORDS.items()}
NEW_STEP = insert(STEPS).inline()  # no RETURNING of the new id: nothing needs it
# The columns to set are the parameters given, besides "row" (the row's id).
CALL_CHANGE = update(CALLS).where(CALLS.c.id == bindparam("row"))
# A new version, as the ORM would make: a staff member's edit of the older one is refused, not lost.
RECORD_CHANGE = {kind: update(table).where(table.c.id == bindparam("row")).values(version=table.c.version + 1)
                 for kind, table in RECORDS.items()}
REFERENCE_TAKEN = select(RECORDS["referral"].c.id).where(RECORDS["referral"].c.reference == bindparam("reference"))
# The columns a turn did not read (READ), by table and names, when first used: built once each, as the others are
# (a SELECT built anew costs a turn its building and its cache key, worked out again each time).
_THE_REST: dict[tuple[str, tuple[str, ...]], Select] = {}


def the_rest(table: Table, names: tuple[str, ...]) -> Select:
    """The SELECT of a row's columns `names`, by its id (parameter "row")."""
    key = (table.name, names)
    if key not in _THE_REST:
        _THE_REST[key] = select(*(column for column in table.c if column.name in names)) \
            .where(table.c.id == bindparam("row"))
    return _THE_REST[key]




def _positions() -> dict[str, tuple[int, list[str]]]:
    """Where each table's columns start in LOCKED_CALL's rows, and their names."""
    found, start = {}, 0
    for name, columns in READ.items():
        found[name], start = (start, [column.name for column in columns]), start + len(columns)
    return found


POSITIONS = _positions()


def columns_of(row, table: Table) -> dict[str, Any]:
    """One table's columns, by name, from a row of LOCKED_CALL."""
    start, names = POSITIONS[table.name]
    return dict(zip(names, row[start:start + len(names)], strict=True))


# PostgreSQL's writes of a turn as one statement, by what the turn changed: built once each, as the others are.
_ONE_WRITE: dict[tuple, Update] = {}
# The turn's steps, in their order, as the rows of one INSERT ... SELECT from two arrays: one statement however many
# steps there are, and one SQLAlchemy can cache (an INSERT of several VALUES rows it compiles anew every time).
_STEPS_GIVEN = func.unnest(bindparam("steps", type_=ARRAY(String)), bindparam("events", type_=ARRAY(String))) \
    .table_valued("step", "event", with_ordinality="number").render_derived()
NEW_STEPS = insert(STEPS).from_select(
    ["call_id", "step", "event", "at"],
    select(bindparam("row", type_=Integer), _STEPS_GIVEN.c.step, _STEPS_GIVEN.c.event,
           bindparam("at", type_=STEPS.c.at.type)).order_by(_STEPS_GIVEN.c.number))


def one_write(call_columns: tuple[str, ...], with_steps: bool,
              records: tuple[tuple[str, tuple[str, ...]], ...]) -> Update:
    """The UPDATE of the call that also INSERTs the turn's steps (NEW_STEPS) and UPDATEs its referral or enquiry in
    its WITH (data-modifying CTEs, run together at one snapshot), for PostgreSQL: one round trip in place of three
    or so. Its parameters: "row" (the call's id), "at", "steps" and "events", and "<table>_<column>" for each
    column set ("call_state", "referral_status"), with "referral_row" or "enquiry_row"."""
    shape = (call_columns, with_steps, records)
    if shape not in _ONE_WRITE:
        _ONE_WRITE[shape] = _built(*shape)
    return _ONE_WRITE[shape]


def _built(call_columns: tuple[str, ...], with_steps: bool,
           records: tuple[tuple[str, tuple[str, ...]], ...]) -> Update:
    statement = (update(CALLS).where(CALLS.c.id == bindparam("row"))
                 .values({name: bindparam(f"call_{name}") for name in call_columns}))
    if with_steps:
        statement = statement.add_cte(NEW_STEPS.cte("steps"))
    for kind, columns in records:
        table = RECORDS[kind]
        statement = statement.add_cte(
            update(table).where(table.c.id == bindparam(f"{kind}_row"))
            .values({**{name: bindparam(f"{kind}_{name}") for name in columns},
                     "updated_at": bindparam("at"), "version": table.c.version + 1})
            .cte(kind))
    return statement
