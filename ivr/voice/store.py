"""A webhook turn's reads and writes in SQLAlchemy Core: the line's hot path, kept lean (the staff dashboard keeps
the ORM).

Per turn: one SELECT ... FOR UPDATE of the call joined to its referral or enquiry, an INSERT of its steps, one
UPDATE of the referral or enquiry only when something on it changed, and one UPDATE of the call, all in the
turn's transaction (`transaction()`, on a connection of its own, not the ORM session's), so its commit (or a
rollback after a fault) covers them with anything else it did. On PostgreSQL the INSERT and UPDATEs go as one
statement, and that and the SELECT are run by psycopg itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple

from psycopg import Cursor
from sqlalchemy import (
    LABEL_STYLE_TABLENAME_PLUS_COL,
    Connection,
    Dialect,
    Executable,
    Table,
    Update,
    bindparam,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from ivr.extensions import db
from ivr.models import Call, CallRecord, CallStep, Enquiry, RecordingToDelete, Referral, utcnow

CALLS: Table = Call.__table__
STEPS: Table = CallStep.__table__
RECORDS: dict[str, Table] = {"referral": Referral.__table__, "enquiry": Enquiry.__table__}

# What a turn reads of the call, and of its referral or enquiry, only what the turn and its effects look at
# (every column read costs a little on every turn). Any column can be set.
READ = {
    CALLS.name: [CALLS.c[name] for name in (
        "id", "state", "seq", "last_response", "first_response", "outcome", "ended_at")],
    **{table.name: [table.c.id, table.c.status] for table in RECORDS.values()},
}
# A referral's reference (said back), and what its text receipt and a forgotten caller's recording need.
READ[RECORDS["referral"].name] += [RECORDS["referral"].c[name] for name in (
    "reference", "callback_number", "text_ok", "own_mobile_confirmed", "voicemail_ok", "name_recording_sid")]
# Each statement is built once, its values bound at execution: SQLAlchemy then finds it compiled in its cache
# without working out the statement's cache key again, and psycopg prepares it on the server after a few uses.
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


class Row:
    """One row as the turn read it. Setting a column keeps the change, to be written in one UPDATE at the end;
    other attributes (a call's `referral` and `enquiry`) are plain."""

    def __init__(self, table: Table, values: dict[str, Any], **related: Any):
        self.__dict__.update(related, _table=table, _values=values, _changed={})

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(f"{self._table.name}.{name} is not read by a turn: add it to store.READ") from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self.__dict__:
            self.__dict__[name] = value
        elif name not in self._table.c:
            raise AttributeError(f"{self._table.name} has no column '{name}'")
        elif name not in self._values or self._values[name] != value or name in self._changed:
            self._values[name] = self._changed[name] = value

    @property
    def changed(self) -> dict[str, Any]:
        return self._changed


class RecordRow(Row):
    """A referral's or enquiry's row, with the model's own behaviours (submit, mark incomplete)."""

    def __init__(self, kind: str, values: dict[str, Any]):
        super().__init__(RECORDS[kind], values, kind=kind)

    submit = CallRecord.submit
    mark_incomplete = CallRecord.mark_incomplete


# The connection of the turn this thread is taking, in its transaction.
_TURN: ContextVar[Connection | None] = ContextVar("turn", default=None)


@contextmanager
def transaction() -> Iterator[Connection]:
    """A turn's transaction, on a connection of its own: committed when the turn ends, rolled back if it fails.
    Not the ORM session's: keeping a session's books costs a turn more than its own work in Python does.

    Inside `within()` it is a savepoint of that transaction instead."""
    outer = _TURN.get()
    if outer is not None:
        with outer.begin_nested():
            yield outer
        return
    with db.engine.connect() as connection:
        turn = _TURN.set(connection)
        try:
            with connection.begin():
                yield connection
        finally:
            _TURN.reset(turn)


@contextmanager
def within(connection: Connection) -> Iterator[None]:
    """Take turns in the transaction open on `connection`, each in a savepoint: what they keep, its owner keeps
    or rolls back (warm.py's pretend call)."""
    turn = _TURN.set(connection)
    try:
        yield
    finally:
        _TURN.reset(turn)


def turn_connection() -> Connection:
    """The connection of the turn in progress, in its transaction."""
    connection = _TURN.get()
    if connection is None:
        raise RuntimeError("a turn's statements run in store.transaction()")
    return connection


def _positions() -> dict[str, tuple[int, list[str]]]:
    """Where each table's columns start in LOCKED_CALL's rows, and their names."""
    found, start = {}, 0
    for name, columns in READ.items():
        found[name], start = (start, [column.name for column in columns]), start + len(columns)
    return found


POSITIONS = _positions()


def _columns(row, table: Table) -> dict[str, Any]:
    start, names = POSITIONS[table.name]
    return dict(zip(names, row[start:start + len(names)], strict=True))


class _ByDriver(NamedTuple):
    sql: str
    fixed: dict[str, Any]  # values the statement carries itself (the 1 of "version + 1")
    processors: dict[str, Callable[[Any], Any]]  # what SQLAlchemy does to a parameter first (JSON to text)


_BY_DRIVER: dict[Executable, _ByDriver] = {}


def _by_driver(connection: Connection, statement: Executable, parameters: dict[str, Any]) -> Cursor:
    """Run one of a turn's two statements on PostgreSQL (the SELECT of the call and the one write) through psycopg
    itself, on the turn's connection, in its transaction. SQLAlchemy compiles the statement once; its execution
    of a statement costs about as much CPU again as psycopg's, twice a turn. As Connection.execute does, the
    engine's before_cursor_execute listeners run first (the webhook's database budget), a fault is raised as
    SQLAlchemy's own error, and a dead connection is invalidated with the idle ones in the pool."""
    dialect = connection.dialect
    compiled = _BY_DRIVER.get(statement) or _compile(statement, dialect)
    values = {**compiled.fixed, **parameters}
    for name, process in compiled.processors.items():
        values[name] = process(values[name])
    driver = connection.connection.driver_connection
    cursor = driver.cursor()
    try:
        # The engine's listeners, as SQLAlchemy runs them (the connection's own dispatcher is new each turn).
        connection.engine.dispatch.before_cursor_execute(connection, cursor, compiled.sql, values, None, False)
        return cursor.execute(compiled.sql, values)
    except dialect.loaded_dbapi.Error as error:
        dead = dialect.is_disconnect(error, driver, None)
        if dead:  # as SQLAlchemy does: a restart ended the pooled connections too, so the retry gets a new one
            connection.invalidate(error)
            connection.engine.pool.dispose()
        raise DBAPIError.instance(compiled.sql, values, error, dialect.loaded_dbapi.Error,
                                  hide_parameters=connection.engine.hide_parameters,
                                  connection_invalidated=dead, dialect=dialect) from error


def _compile(statement: Executable, dialect: Dialect) -> _ByDriver:
    compiled = statement.compile(dialect=dialect)
    if any(column.type.dialect_impl(dialect).result_processor(dialect, None) is not None
           for column in getattr(statement, "selected_columns", ())):
        raise TypeError(f"psycopg cannot read {statement} as SQLAlchemy would: run it with Connection.execute")
    processors = {name: process for name, bind in compiled.binds.items()
                  if (process := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None}
    _BY_DRIVER[statement] = found = _ByDriver(
        compiled.string, {name: value for name, value in compiled.params.items() if value is not None}, processors)
    return found


def load(call_sid: str) -> Row | None:
    """The call with this CallSid, locked until the turn commits, with its referral and enquiry; None if new."""
    connection, parameters = turn_connection(), {"call_sid": call_sid}
    if connection.dialect.name == "postgresql":
        found = _by_driver(connection, LOCKED_CALL, parameters).fetchone()
    else:
        found = connection.execute(LOCKED_CALL, parameters).first()  # a tuple: cheaper than a mapping
    if found is None:
        return None
    records = {kind: RecordRow(kind, values) for kind, table in RECORDS.items()
               if (values := _columns(found, table))["id"] is not None}
    return Row(CALLS, _columns(found, CALLS), referral=records.get("referral"), enquiry=records.get("enquiry"))


def create(call_sid: str, **values: Any) -> Row:
    """A new call; if the same first webhook is being handled at this moment elsewhere, that call once it is."""
    connection = turn_connection()
    created = connection.execute(NEW_CALL[connection.dialect.name], {"call_sid": call_sid, **values}).mappings().first()
    if created is None:  # the same call's first webhook, delivered twice at once
        return load(call_sid)
    return Row(CALLS, dict(created), referral=None, enquiry=None)


def add_record(call: Row, kind: str, **values: Any) -> RecordRow:
    """A new referral or enquiry for the call, with its first values."""
    created = turn_connection().execute(NEW_RECORD[kind], {"call_id": call.id, **values}).mappings().one()
    return RecordRow(kind, dict(created))


def delete_record(record: RecordRow) -> None:
    turn_connection().execute(record._table.delete().where(record._table.c.id == record.id))


def queue_recording_deletion(recording_sid: str) -> None:
    """Leave a recording's SID for the retention purge to delete at Twilio: a webhook never waits on Twilio."""
    turn_connection().execute(insert(RecordingToDelete).values(recording_sid=recording_sid))


def reference_taken(reference: str) -> bool:
    return turn_connection().execute(REFERENCE_TAKEN, {"reference": reference}).first() is not None


def save(call: Row, steps: list[tuple[str, str]]) -> None:
    """Write the turn: its steps, the changed referral or enquiry, then the call."""
    connection, now = turn_connection(), utcnow()
    records = [record for record in (call.referral, call.enquiry) if record is not None and record.changed]
    if call.changed and connection.dialect.name == "postgresql":
        _by_driver(connection, *_as_one(call, steps, records, now))
        return
    for step, event in steps:
        connection.execute(NEW_STEP, {"call_id": call.id, "step": step, "event": event, "at": now})
    for record in records:
        connection.execute(RECORD_CHANGE[record.kind], {**record.changed, "updated_at": now, "row": record.id})
    if call.changed:
        connection.execute(CALL_CHANGE, {**call.changed, "row": call.id})


# PostgreSQL's writes of a turn as one statement, by what the turn changed: built once each, as the others are.
_ONE_WRITE: dict[tuple, Update] = {}


def _as_one(call: Row, steps: list[tuple[str, str]], records: list[RecordRow], now) -> tuple[Update, dict]:
    """The turn's writes as one statement and its parameters, for PostgreSQL: the UPDATE of the call, with the
    INSERT of its steps and the UPDATE of a record in its WITH (data-modifying CTEs, run together at one snapshot):
    one round trip in place of three or so. SQLite has no such WITH: it takes them one by one.

    The steps are the rows of one INSERT, numbered in their order (two INSERTs in two CTEs could be run the other
    way round): a statement for each number of steps, as for each set of columns changed."""
    shape = (tuple(call.changed), len(steps), tuple((record.kind, tuple(record.changed)) for record in records))
    statement = _ONE_WRITE.get(shape)
    if statement is None:
        statement = _ONE_WRITE[shape] = _one_write(*shape)
    parameters = {"row": call.id, "at": now, **{f"call_{name}": value for name, value in call.changed.items()}}
    for number, (step, event) in enumerate(steps):
        parameters[f"step_{number}"], parameters[f"event_{number}"] = step, event
    for record in records:
        parameters[f"{record.kind}_row"] = record.id
        parameters.update({f"{record.kind}_{name}": value for name, value in record.changed.items()})
    return statement, parameters


def _one_write(call_columns: tuple[str, ...], step_count: int,
               records: tuple[tuple[str, tuple[str, ...]], ...]) -> Update:
    statement = (update(CALLS).where(CALLS.c.id == bindparam("row"))
                 .values({name: bindparam(f"call_{name}") for name in call_columns}))
    if step_count:
        statement = statement.add_cte(insert(STEPS).values([
            {"call_id": bindparam("row"), "step": bindparam(f"step_{number}"),
             "event": bindparam(f"event_{number}"), "at": bindparam("at")}
            for number in range(step_count)
        ]).cte("steps"))
    for kind, columns in records:
        table = RECORDS[kind]
        statement = statement.add_cte(
            update(table).where(table.c.id == bindparam(f"{kind}_row"))
            .values({**{name: bindparam(f"{kind}_{name}") for name in columns},
                     "updated_at": bindparam("at"), "version": table.c.version + 1})
            .cte(kind))
    return statement
