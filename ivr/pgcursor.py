"""A psycopg cursor whose `description` costs a turn little: the line's PostgreSQL connections use it.

psycopg builds a Column object, with its type's details looked up, for every column each time a result's
description is read; SQLAlchemy reads it once for every statement and uses only each column's name and type code,
as PEP 249 defines them. Building the Column objects cost a turn's locked read about a third of psycopg's work on
it. This cursor gives PEP 249's seven fields as a plain tuple, the other five empty (so psycopg's row factories
that read `.name`, such as dict_row, are not for these connections: the line uses SQLAlchemy's rows).
"""

from __future__ import annotations

import psycopg
from psycopg import pq

# What psycopg's own description counts as a result with rows, even one without columns ("SELECT ;").
ROWS = {pq.ExecStatus.TUPLES_OK, pq.ExecStatus.SINGLE_TUPLE, pq.ExecStatus.TUPLES_CHUNK}


class LeanCursor(psycopg.Cursor):
    """psycopg's cursor, with the name and type code of each column for its description."""

    @property
    def description(self) -> list[tuple] | None:
        result = self.pgresult
        if result is None or not (result.nfields or result.status in ROWS):
            return None
        encoding = self.connection.info.encoding
        return [(result.fname(i).decode(encoding), result.ftype(i), None, None, None, None, None)
                for i in range(result.nfields)]
