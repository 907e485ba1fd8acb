"""Versioned migrations of the workstation's local store (SQLite ``PRAGMA user_version``).

The store holds what must never be lost (drafts, waiting submissions), so a new release
changes it only through a numbered step here, and a store written by an older release is
brought up to date when it is opened, in one transaction. Version 1 is the schema the
first releases created without a version number (user_version 0 with tables present).

To change the store: add a step (the next number) with the SQL that takes version n-1 to n,
change SCHEMA to match, and keep a store written by the release before as a test fixture
(tests/storage/test_migrations.py opens it).
"""

from __future__ import annotations

import sqlite3

#: A new store's tables, at LATEST (the same DDL the first releases wrote, plus the steps).
SCHEMA = """
CREATE TABLE draft (
    server VARCHAR(500) NOT NULL,
    username VARCHAR(64) NOT NULL,
    job_id INTEGER NOT NULL,
    data JSON NOT NULL,
    updated_at FLOAT NOT NULL,
    PRIMARY KEY (server, username, job_id)
);
CREATE TABLE outbox (
    id INTEGER NOT NULL,
    server VARCHAR(500) NOT NULL,
    username VARCHAR(64) NOT NULL,
    job_id INTEGER NOT NULL,
    idempotency_key VARCHAR(64) NOT NULL,
    body JSON NOT NULL,
    state VARCHAR(16) NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at FLOAT NOT NULL,
    last_error TEXT NOT NULL,
    response JSON,
    created_at FLOAT NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (idempotency_key)
);
CREATE INDEX ix_outbox_due ON outbox (server, username, state, next_attempt_at);
CREATE TABLE worklist (
    server VARCHAR(500) NOT NULL,
    username VARCHAR(64) NOT NULL,
    jobs JSON NOT NULL,
    saved_at FLOAT NOT NULL,
    PRIMARY KEY (server, username)
);
"""

#: version -> the SQL that brings version - 1 to it.
STEPS: dict[int, str] = {
    2: "CREATE INDEX IF NOT EXISTS ix_outbox_due "
    "ON outbox (server, username, state, next_attempt_at)",
}
LATEST = max(STEPS, default=1)


def version(connection: sqlite3.Connection) -> int:
    """The store's schema version (0: empty)."""
    number = int(connection.execute("PRAGMA user_version").fetchone()[0] or 0)
    tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    if number == 0 and ("draft",) in tables.fetchall():
        return 1  # written before versions were recorded
    return number


def migrate(connection: sqlite3.Connection) -> int:
    """Bring the store to LATEST in one transaction (a new store gets SCHEMA); its version.

    ``connection`` is in autocommit mode (isolation_level None): the transaction is ours.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        current = version(connection)
        if current > LATEST:
            raise RuntimeError(
                f"This store was written by a newer ScribeDesk (schema {current}, this release "
                f"knows {LATEST}); update ScribeDesk to open it."
            )
        if current == 0:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    connection.execute(statement)
            current = LATEST
        for number in range(current + 1, LATEST + 1):
            connection.execute(STEPS[number])
        connection.execute(f"PRAGMA user_version = {max(current, LATEST)}")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return LATEST
