"""The workstation's local store (SQLite via SQLAlchemy): drafts and the outbox."""
