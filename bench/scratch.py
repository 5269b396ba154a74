"""A scratch PostgreSQL database for a benchmark, made on the server given and dropped afterwards."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa


def postgresql_database(server_url: str, name: str) -> tuple[str, sa.Engine, Callable[[], None]]:
    """Create database `name` on the server; returns its URL (psycopg 3), an engine on the server's `postgres`
    database (AUTOCOMMIT) and a function that drops it, even with connections still open."""
    admin_url = sa.make_url(server_url).set(drivername="postgresql+psycopg", database="postgres")
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return admin_url.set(database=name).render_as_string(hide_password=False), admin, drop
