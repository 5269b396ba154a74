"""A webhook turn's reads and writes in SQLAlchemy Core: the line's hot path, kept lean (the staff dashboard keeps
the ORM).

The unit of work: a turn's transaction (`transaction()`, on a connection of its own, not the ORM session's), the
rows it read, and what it changed in them, written at the end. Per turn: one SELECT ... FOR UPDATE of the call
joined to its referral or enquiry, an INSERT of its steps, one UPDATE of the referral or enquiry only when
something on it changed, and one UPDATE of the call; on PostgreSQL the INSERT and UPDATEs go as one statement.
Every statement (statements.py) runs through Connection.execute, so the engine's listeners, and any tracing,
see each one with its context.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Connection, Table, Update, insert

from ivr.extensions import db
from ivr.models import CallRecord, RecordingToDelete, utcnow
from ivr.voice.statements import (
    CALL_CHANGE,
    CALLS,
    LOCKED_CALL,
    NEW_CALL,
    NEW_RECORD,
    NEW_STEP,
    RECORD_CHANGE,
    RECORDS,
    REFERENCE_TAKEN,
    columns_of,
    one_write,
    the_rest,
)


class Row:
    """One row as the turn read it, its other columns read on first use. Setting a column keeps the change, to be
    written in one UPDATE at the end; other attributes (a call's `referral` and `enquiry`) are plain."""

    def __init__(self, table: Table, values: dict[str, Any], **related: Any):
        self.__dict__.update(related, _table=table, _values=values, _changed={})

    def __getattr__(self, name: str) -> Any:
        values, table = self.__dict__["_values"], self.__dict__["_table"]
        if name not in values:
            if name not in table.c:
                raise AttributeError(f"{table.name} has no column '{name}'")
            self._read_the_rest()
        return values[name]

    def _read_the_rest(self) -> None:
        """The columns a turn does not read every time (statements.READ), on first use: a retry's answer, what a
        text receipt needs. Every column read costs every turn a little, so only those a turn uses are read."""
        unread = tuple(column.name for column in self._table.c if column.name not in self._values)
        found = turn_connection().execute(the_rest(self._table, unread), {"row": self._values["id"]}).one()
        self._values.update(zip(unread, found, strict=True))

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


def load(call_sid: str) -> Row | None:
    """The call with this CallSid, locked until the turn commits, with its referral and enquiry; None if new."""
    found = turn_connection().execute(LOCKED_CALL, {"call_sid": call_sid}).first()  # a tuple: cheaper than a mapping
    if found is None:
        return None
    records = {kind: RecordRow(kind, values) for kind, table in RECORDS.items()
               if (values := columns_of(found, table))["id"] is not None}
    return Row(CALLS, columns_of(found, CALLS), referral=records.get("referral"), enquiry=records.get("enquiry"))


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
    """Write the turn: its steps, the changed referral or enquiry, then the call (on PostgreSQL, as one statement)."""
    connection, now = turn_connection(), utcnow()
    records = [record for record in (call.referral, call.enquiry) if record is not None and record.changed]
    if call.changed and connection.dialect.name == "postgresql":
        connection.execute(*_as_one(call, steps, records, now))
        return
    for step, event in steps:
        connection.execute(NEW_STEP, {"call_id": call.id, "step": step, "event": event, "at": now})
    for record in records:
        connection.execute(RECORD_CHANGE[record.kind], {**record.changed, "updated_at": now, "row": record.id})
    if call.changed:
        connection.execute(CALL_CHANGE, {**call.changed, "row": call.id})


def _as_one(call: Row, steps: list[tuple[str, str]], records: list[RecordRow], now) -> tuple[Update, dict]:
    """The turn's writes as statements.one_write's one statement, and its parameters (SQLite has no such WITH)."""
    statement = one_write(tuple(call.changed), bool(steps),
                          tuple((record.kind, tuple(record.changed)) for record in records))
    parameters = {"row": call.id, "at": now, **{f"call_{name}": value for name, value in call.changed.items()}}
    if steps:
        parameters["steps"], parameters["events"] = [step for step, _ in steps], [event for _, event in steps]
    for record in records:
        parameters[f"{record.kind}_row"] = record.id
        parameters.update({f"{record.kind}_{name}": value for name, value in record.changed.items()})
    return statement, parameters
