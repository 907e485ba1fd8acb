"""proposal outlines

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

A proposal's RFP outline (its sections in order), against which the dictated sections
compile into one proposal draft.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "proposal_outline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal", sa.String(length=160), nullable=False),
        sa.Column("account", sa.String(length=200), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["user_account.id"],
            name=op.f("fk_proposal_outline_updated_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_outline")),
        sa.UniqueConstraint("proposal", name=op.f("uq_proposal_outline_proposal")),
    )


def downgrade() -> None:
    op.drop_table("proposal_outline")
