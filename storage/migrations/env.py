"""Alembic environment: the engine is handed in by storage.db (no import-time engine)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from storage.models import Base

engine: Engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
