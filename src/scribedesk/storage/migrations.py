"""Versioned migrations of the workstation's local store (SQLite ``PRAGMA user_version``).

The store holds what must never be lost (drafts, waiting submissions), so a new release
changes it only through a numbered step here, and a store written by an older release is
brought up to date when it is opened, in one transaction. Version 1 is the schema the
first releases created without a version number (user_version 0 with tables present).

To change the store: add a step (the next number) with the SQL that takes version n-1 to n,
change the tables in storage/store.py to match, and keep a store written by the release
before as a test fixture (tests/storage/test_migrations.py opens it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, inspect, text

Step = Callable[[Connection], None]


def _outbox_due_index(connection: Connection) -> None:
    connection.execute(
        text(
            "CREATE INDEX IF NOT EXISTS ix_outbox_due "
            "ON outbox (server, username, state, next_attempt_at)"
        )
    )


#: version -> the step that brings version - 1 to it.
STEPS: dict[int, Step] = {
    2: _outbox_due_index,
}
LATEST = max(STEPS, default=1)


def version(connection: Connection) -> int:
    """The store's schema version (0: empty)."""
    number = int(connection.execute(text("PRAGMA user_version")).scalar() or 0)
    if number == 0 and inspect(connection).has_table("draft"):
        return 1  # written before versions were recorded
    return number


def migrate(engine: Engine, create_all: Callable[[Any], None]) -> int:
    """Bring the store to LATEST (``create_all`` makes a new store's tables); its version."""
    with engine.begin() as connection:
        current = version(connection)
        if current == 0:
            create_all(connection)
            current = LATEST
        elif current > LATEST:
            raise RuntimeError(
                f"This store was written by a newer ScribeDesk (schema {current}, this release "
                f"knows {LATEST}); update ScribeDesk to open it."
            )
        for number in range(current + 1, LATEST + 1):
            STEPS[number](connection)
        connection.execute(text(f"PRAGMA user_version = {max(current, LATEST)}"))
    return LATEST
