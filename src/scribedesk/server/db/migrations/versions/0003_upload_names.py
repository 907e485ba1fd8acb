"""each upload keeps its own file name

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Audio is stored once per content (by SHA-256), but two authors who upload the same
bytes gave them their own names: the name now belongs to the dictation. Existing
dictations take the name their audio was first stored under.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dictation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("original_name", sa.String(length=255), nullable=False, server_default="")
        )
    op.execute(
        "UPDATE dictation SET original_name = "
        "(SELECT audio.original_name FROM audio WHERE audio.sha256 = dictation.audio_sha256)"
    )


def downgrade() -> None:
    with op.batch_alter_table("dictation", schema=None) as batch_op:
        batch_op.drop_column("original_name")
