"""Alembic environment: the service hands in its connection (db.migrate); a developer's
``alembic`` command (alembic.ini) connects to SCRIBEDESK_DB_URL or the ini's URL."""

import os
from pathlib import Path

from alembic import context

from scribedesk.server.db.engine import make_engine
from scribedesk.server.db.models import Base


def run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


handed = context.config.attributes.get("connection")
if handed is not None:
    run(handed)
else:
    url = os.environ.get("SCRIBEDESK_DB_URL") or context.config.get_main_option("sqlalchemy.url")
    assert url, "set SCRIBEDESK_DB_URL or sqlalchemy.url in alembic.ini"
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    with engine.begin() as connection:
        run(connection)
    engine.dispose()
