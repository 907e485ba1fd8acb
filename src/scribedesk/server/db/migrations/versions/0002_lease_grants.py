"""lease grants and idle assignments

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

An assignment outlives its lease: jobs remember their assignee's last activity and
when they went back to the pool for being idle, and every lease grant is kept so a
submission is fenced by the lease it was written under.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dictation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("active_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("idle_released_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE dictation SET active_at = updated_at WHERE assignee_id IS NOT NULL")
    op.create_table(
        "lease_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dictation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dictation_id"],
            ["dictation.id"],
            name=op.f("fk_lease_grant_dictation_id_dictation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_lease_grant_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lease_grant")),
        sa.UniqueConstraint("token", name=op.f("uq_lease_grant_token")),
    )
    with op.batch_alter_table("lease_grant", schema=None) as batch_op:
        batch_op.create_index("ix_lease_grant_dictation", ["dictation_id", "id"], unique=False)
    # Leases live today keep fencing their holders' submissions.
    op.execute(
        "INSERT INTO lease_grant (dictation_id, user_id, token, granted_at) "
        "SELECT id, assignee_id, lease_token, updated_at FROM dictation "
        "WHERE lease_token IS NOT NULL AND assignee_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("lease_grant", schema=None) as batch_op:
        batch_op.drop_index("ix_lease_grant_dictation")
    op.drop_table("lease_grant")
    with op.batch_alter_table("dictation", schema=None) as batch_op:
        batch_op.drop_column("idle_released_at")
        batch_op.drop_column("active_at")
