"""A psycopg cursor whose `description` costs a turn little: the line's PostgreSQL connections use it.

psycopg builds a Column object, with its type's details looked up, for every column each time a result's
description is read; SQLAlchemy reads it once for every statement and uses only each column's name and type code,
as PEP 249 defines them. A turn's locked read has seventeen columns, and building them cost it about as much CPU as
the rest of psycopg's work on the statement. This cursor gives PEP 249's seven fields, with the other five empty.
"""

from __future__ import annotations

from typing import NamedTuple

import psycopg
from psycopg import pq

# What psycopg's own description counts as a result with rows, even one without columns ("SELECT ;").
ROWS = {pq.ExecStatus.TUPLES_OK, pq.ExecStatus.SINGLE_TUPLE, pq.ExecStatus.TUPLES_CHUNK}


class Described(NamedTuple):
    """One column of a result, as PEP 249's cursor.description lists it."""

    name: str
    type_code: int
    display_size: int | None = None
    internal_size: int | None = None
    precision: int | None = None
    scale: int | None = None
    null_ok: bool | None = None


class LeanCursor(psycopg.Cursor):
    """psycopg's cursor, with the name and type code of each column for its description."""

    @property
    def description(self) -> list[Described] | None:
        result = self.pgresult
        if result is None or not (result.nfields or result.status in ROWS):
            return None
        encoding = self.connection.info.encoding
        return [Described(result.fname(i).decode(encoding), result.ftype(i)) for i in range(result.nfields)]
