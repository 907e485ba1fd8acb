"""Bring a database to the newest schema with Alembic (imported only when there is work)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, text

MIGRATIONS = Path(__file__).with_name("migrations")

#: The newest revision; tests/server/test_migrations.py checks it against Alembic's head.
HEAD = "0007"


def alembic_config() -> Any:
    """An Alembic config pointing at the package's migration scripts (no alembic.ini)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration up to ``revision``; instant on an up-to-date database."""
    if revision == "head" and current_revision(engine) == HEAD:
        return  # the usual start: nothing to do, and Alembic (150 ms to import) stays unloaded
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
