"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot.handoff.db import Database, alembic_config
from bot.handoff.models import Base, Case, utcnow


def _differences(db: Database) -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def _revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_migrated_schema_matches_the_models(db: Database) -> None:
    assert _differences(db) == []
    assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())


def test_database_is_at_the_newest_revision(db: Database) -> None:
    head = ScriptDirectory.from_config(alembic_config(db.url)).get_current_head()
    assert head is not None
    assert _revision(db) == head


def test_migrating_twice_keeps_schema_and_rows(db: Database) -> None:
    with db.session() as session:
        session.add(
            Case(channel="webchat", channel_user="u1", language="de", consent_at=utcnow(), summary_de="x")
        )
    db.migrate()
    assert _differences(db) == []
    with db.session() as session:
        assert session.query(Case).count() == 1


def test_empty_database_differs_before_migration(db_url: str) -> None:
    """The comparison above can fail: on an unmigrated database it reports every table."""
    fresh = Database(db_url)
    assert len(_differences(fresh)) >= len(Base.metadata.tables)
    fresh.migrate()
    assert _differences(fresh) == []
