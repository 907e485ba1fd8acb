"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from scribedesk.server.db.engine import make_engine
from scribedesk.server.db.migrate import upgrade
from scribedesk.server.db.models import Base


def test_migrations_match_models(db_url):
    """Upgrading an empty database to head leaves no difference from the models."""
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)  # running it again is harmless
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    engine.dispose()
    assert diff == []


def test_head_constant_is_alembics_head():
    """The fast path's HEAD names the newest migration script."""
    from alembic.script import ScriptDirectory

    from scribedesk.server.db.migrate import HEAD, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD
