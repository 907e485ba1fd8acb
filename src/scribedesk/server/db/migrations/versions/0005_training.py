"""training: exercises, curricula, enrolments, attempts, certificates

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

An attempt at an exercise is a dictation of kind "training" (the attempt row names it),
leased and submitted like a production job but never in the pool, the team view or the
review queue. A user's certified templates and production hold gate production work.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str, **kw: Any) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), **kw
    )


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy: on SQLite a copy drops the old table, and the
    # tables that point at it with ON DELETE CASCADE (tokens, versions, leases) would
    # lose their rows.
    op.add_column("user_account", sa.Column("certified_templates", sa.JSON(), nullable=True))
    op.add_column("user_account", sa.Column("production_hold", sa.Text(), nullable=True))
    op.create_table(
        "exercise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("audio_sha256", sa.String(length=64), nullable=False),
        sa.Column("template_id", sa.String(length=64), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=200), nullable=False),
        sa.Column("gold_fields", sa.JSON(), nullable=False),
        sa.Column("gold_narrative", sa.Text(), nullable=False),
        sa.Column("difficulty", sa.Integer(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_dictation_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audio_sha256"], ["audio.sha256"], name=op.f("fk_exercise_audio_sha256_audio")
        ),
        _fk("exercise", "source_dictation_id", "dictation", ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user_account.id"], name=op.f("fk_exercise_created_by_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise")),
    )
    op.create_table(
        "curriculum",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("hints", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_curriculum_created_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_curriculum")),
        sa.UniqueConstraint("name", name=op.f("uq_curriculum_name")),
    )
    op.create_table(
        "enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("curriculum_id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("assigned_by", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        _fk("enrolment", "curriculum_id", "curriculum"),
        sa.ForeignKeyConstraint(
            ["trainee_id"], ["user_account.id"], name=op.f("fk_enrolment_trainee_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by"],
            ["user_account.id"],
            name=op.f("fk_enrolment_assigned_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment")),
    )
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.create_index("ix_enrolment_trainee", ["trainee_id", "status"], unique=False)
    op.add_column(
        "dictation",
        sa.Column("kind", sa.String(length=16), server_default="production", nullable=False),
    )
    op.create_table(
        "attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("dictation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("peeks", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("critical", sa.Integer(), nullable=True),
        sa.Column("pace", sa.Float(), nullable=True),
        sa.Column("time_spent_s", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("scored_at", sa.DateTime(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("comment_by", sa.Integer(), nullable=True),
        sa.Column("comment_at", sa.DateTime(), nullable=True),
        _fk("attempt", "enrolment_id", "enrolment", ondelete="CASCADE"),
        _fk("attempt", "exercise_id", "exercise"),
        sa.ForeignKeyConstraint(
            ["trainee_id"], ["user_account.id"], name=op.f("fk_attempt_trainee_id_user_account")
        ),
        _fk("attempt", "dictation_id", "dictation", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["comment_by"], ["user_account.id"], name=op.f("fk_attempt_comment_by_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempt")),
        sa.UniqueConstraint("dictation_id", name=op.f("uq_attempt_dictation_id")),
    )
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attempt_enrolment", ["enrolment_id", "exercise_id", "number"], unique=False
        )
        batch_op.create_index("ix_attempt_trainee", ["trainee_id", "scored_at"], unique=False)
    op.create_table(
        "certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("curriculum_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("templates", sa.JSON(), nullable=False),
        sa.Column("certified_by", sa.Integer(), nullable=True),
        sa.Column("certified_at", sa.DateTime(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_certificate_user_id_user_account")
        ),
        _fk("certificate", "curriculum_id", "curriculum"),
        _fk("certificate", "enrolment_id", "enrolment"),
        sa.ForeignKeyConstraint(
            ["certified_by"],
            ["user_account.id"],
            name=op.f("fk_certificate_certified_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate")),
    )
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.create_index("ix_certificate_user", ["user_id", "certified_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index("ix_certificate_user")
    op.drop_table("certificate")
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_attempt_trainee")
        batch_op.drop_index("ix_attempt_enrolment")
    op.drop_table("attempt")
    op.drop_column("dictation", "kind")
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.drop_index("ix_enrolment_trainee")
    op.drop_table("enrolment")
    op.drop_table("curriculum")
    op.drop_table("exercise")
    op.drop_column("user_account", "production_hold")
    op.drop_column("user_account", "certified_templates")
