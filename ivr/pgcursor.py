"""A psycopg cursor whose `description` costs a turn little, and which keeps to a webhook's database budget
(ivr/budget.py) before each statement: the line's PostgreSQL connections use it.

psycopg builds a Column object, with its type's details looked up, for every column each time a result's
description is read; SQLAlchemy reads it once for every statement and uses only each column's name and type code,
as PEP 249 defines them. Building the Column objects cost a turn's locked read about a third of psycopg's work on
it. This cursor gives PEP 249's seven fields as a plain tuple, the other five empty, worked out only when read
(so psycopg's row factories that read `.name`, such as dict_row, are not for these connections: the line uses
SQLAlchemy's rows).
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from psycopg import pq

from ivr.budget import within_budget

# What psycopg's own description counts as a result with rows, even one without columns ("SELECT ;").
ROWS = {pq.ExecStatus.TUPLES_OK, pq.ExecStatus.SINGLE_TUPLE, pq.ExecStatus.TUPLES_CHUNK}


class LeanCursor(psycopg.Cursor):
    """psycopg's cursor, with the name and type code of each column for its description, and the budget checked."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        within_budget()
        return super().execute(query, params, prepare=prepare, binary=binary)

    def executemany(self, query, params_seq, *, returning=False):
        within_budget()
        return super().executemany(query, params_seq, returning=returning)

    @property
    def description(self) -> Description | None:
        result = self.pgresult
        if result is None or not (result.nfields or result.status in ROWS):
            return None
        return Description(result, self.connection.info.encoding)


class Description(Sequence):
    """A result's description, its columns' (name, type code) worked out when first read, not before.

    SQLAlchemy reads it for every statement but, for a statement it has run before (its compiled cache), only asks
    whether there is one: the locked read's 10 columns were decoded every turn for nothing."""

    __slots__ = ("_result", "_encoding", "_columns")

    def __init__(self, result: pq.abc.PGresult, encoding: str):
        self._result, self._encoding, self._columns = result, encoding, None

    def __len__(self) -> int:
        return self._result.nfields

    def __getitem__(self, index):
        return self._read()[index]

    def __iter__(self):
        return iter(self._read())

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return repr(self._read())

    def _read(self) -> list[tuple]:
        if self._columns is None:
            result, encoding = self._result, self._encoding
            self._columns = [(result.fname(i).decode(encoding), result.ftype(i), None, None, None, None, None)
                             for i in range(result.nfields)]
        return self._columns
