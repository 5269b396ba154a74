"""Whoever adds tracing does not break the line: a whole call works with OpenTelemetry's SQLAlchemy instrumentation
on, and every statement a turn runs has its span (on PostgreSQL in CI, where a turn's writes are one statement)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from ivr.extensions import db
from ivr.models import Referral
from tests.support.line import walk_referral


@pytest.fixture
def traced(app):
    """The app's engine instrumented as OpenTelemetry's docs show; yields the finished spans and the statements
    the engine ran, as a listener of its own saw them."""
    exporter, provider = InMemorySpanExporter(), TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    statements: list[str] = []
    with app.app_context():
        engine = db.engine
    # Its release names SQLAlchemy below 2.1 as what it was tested with; the listeners it adds are 2.x's own API.
    SQLAlchemyInstrumentor().instrument(engine=engine, tracer_provider=provider, skip_dep_check=True)
    sa.event.listen(engine, "after_cursor_execute", lambda *run: statements.append(run[2]))
    yield exporter, statements
    SQLAlchemyInstrumentor().uninstrument()


def test_a_whole_referral_works_with_tracing_on_and_every_statement_has_a_span(app, phone, practices, traced):
    exporter, statements = traced
    exporter.clear()
    statements.clear()
    call = walk_referral(phone())
    call.hang_up(duration=185)

    assert "reference" in " ".join(call.transcript).lower()  # the caller was given their reference
    with app.app_context():
        assert db.session.scalars(sa.select(Referral.status)).all() == ["new"]
    spans = exporter.get_finished_spans()
    assert statements, "the turns ran no statement the engine saw"
    traced_sql = [span.attributes["db.statement"] for span in spans if "db.statement" in span.attributes]
    assert traced_sql == statements  # (the others are spans for opening a connection)
    reads = [sql for sql in statements if sql.startswith("SELECT") and "WHERE calls.call_sid" in sql]
    assert len(reads) >= len(call.responses) - 1  # every webhook but the first reads the call (locked on PostgreSQL)
