"""reviews of sampled transcripts

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

A submitted transcript sampled for review waits in the review queue; a supervisor
claims it under a lease, stores a corrected version with classified errors, and the
service keeps the score it computed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dictation_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reviewee_id", sa.Integer(), nullable=False),
        sa.Column("reason_code", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("lease_token", sa.String(length=64), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(), nullable=True),
        sa.Column("corrected_version", sa.Integer(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("score", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dictation_id"],
            ["dictation.id"],
            name=op.f("fk_review_dictation_id_dictation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewee_id"], ["user_account.id"], name=op.f("fk_review_reviewee_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["user_account.id"], name=op.f("fk_review_reviewer_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review")),
        sa.UniqueConstraint("dictation_id", "version", name=op.f("uq_review_dictation_id")),
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index("ix_review_queue", ["status", "created_at", "id"], unique=False)
        batch_op.create_index("ix_review_reviewee", ["reviewee_id", "completed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index("ix_review_reviewee")
        batch_op.drop_index("ix_review_queue")
    op.drop_table("review")
