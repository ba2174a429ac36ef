"""The whole round: due dates, by-report submissions (self-assessment per aspect, remarks,
attachments), the round's documents (plan, decision, letters, notices, report), the
corrections a unit reported, and the audit log.

An existing round keeps everything: its units, minutes and findings are untouched; a
by-report unit already marked ``reported`` gets a submission with no date (it was not
recorded) and no content; each round's log starts with one line saying so.

Revision ID: 0004_round_workflow
Revises: 0003_store
Create Date: 2026-12-04
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0004_round_workflow"
down_revision = "0003_store"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("due_date", sa.Date(), nullable=True))
    with op.batch_alter_table("round_units") as batch:
        batch.add_column(sa.Column("due_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("scheduled_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("corrections_reported_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("corrections_note", sa.Text(), nullable=False,
                                   server_default=""))
    op.create_table(
        "round_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["round_units.id"],
                                name=op.f("fk_round_submissions_unit_id_round_units"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_submissions")),
        sa.UniqueConstraint("unit_id", name=op.f("uq_round_submissions_unit_id")),
    )
    op.create_table(
        "round_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("aspect", sa.String(length=30), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["round_submissions.id"],
                                name=op.f("fk_round_assessments_submission_id_round_submissions"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["round_units.id"],
                                name=op.f("fk_round_assessments_unit_id_round_units"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_assessments")),
    )
    op.create_index("ix_round_assessments_aspect", "round_assessments", ["aspect", "unit_id"])
    op.create_index(op.f("ix_round_assessments_submission_id"), "round_assessments",
                    ["submission_id"])
    op.create_table(
        "round_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["round_submissions.id"],
                                name=op.f("fk_round_attachments_submission_id_round_submissions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_attachments")),
    )
    op.create_index(op.f("ix_round_attachments_submission_id"), "round_attachments",
                    ["submission_id"])
    op.create_table(
        "round_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("register_entry_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('plan', 'decision', 'letter', 'notice', 'report')",
                           name=op.f("ck_round_documents_kind")),
        sa.ForeignKeyConstraint(
            ["register_entry_id"], ["register_entries.id"],
            name=op.f("fk_round_documents_register_entry_id_register_entries")),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"],
                                name=op.f("fk_round_documents_round_id_rounds"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["round_units.id"],
                                name=op.f("fk_round_documents_unit_id_round_units"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_documents")),
    )
    op.create_index(op.f("ix_round_documents_round_id"), "round_documents", ["round_id"])
    op.create_index(op.f("ix_round_documents_unit_id"), "round_documents", ["unit_id"])
    op.create_table(
        "round_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("stt", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_events")),
    )
    op.create_index(op.f("ix_round_events_round_id"), "round_events", ["round_id"])
    _carry_over()


def _carry_over() -> None:
    """Existing rounds: a dated-less submission per unit already marked reported, and the
    first line of each round's log."""
    conn = op.get_bind()
    now = dt.datetime.now(dt.UTC)
    units = sa.table("round_units", sa.column("id"), sa.column("status"))
    submissions = sa.table("round_submissions", sa.column("unit_id"), sa.column("received_on"),
                           sa.column("remarks"), sa.column("created_at"),
                           sa.column("updated_at"))
    reported = [row.id for row in conn.execute(
        sa.select(units.c.id).where(units.c.status == "reported").order_by(units.c.id))]
    if reported:
        conn.execute(submissions.insert(), [
            {"unit_id": unit_id, "received_on": None, "remarks": "", "created_at": now,
             "updated_at": now} for unit_id in reported])
    rounds = sa.table("rounds", sa.column("id"))
    events = sa.table("round_events", sa.column("round_id"), sa.column("at"),
                      sa.column("actor"), sa.column("action"), sa.column("stt"),
                      sa.column("detail"))
    ids = [row.id for row in conn.execute(sa.select(rounds.c.id).order_by(rounds.c.id))]
    if ids:
        conn.execute(events.insert(), [
            {"round_id": round_id, "at": now, "actor": "docgen db upgrade", "action": "upgrade",
             "stt": None, "detail": "Nâng cấp dữ liệu (0004): các đơn vị đã ghi là đã gửi báo "
                                    "cáo được giữ, chưa có ngày nhận."} for round_id in ids])


def downgrade() -> None:
    op.drop_index(op.f("ix_round_events_round_id"), table_name="round_events")
    op.drop_table("round_events")
    op.drop_index(op.f("ix_round_documents_unit_id"), table_name="round_documents")
    op.drop_index(op.f("ix_round_documents_round_id"), table_name="round_documents")
    op.drop_table("round_documents")
    op.drop_index(op.f("ix_round_attachments_submission_id"), table_name="round_attachments")
    op.drop_table("round_attachments")
    op.drop_index(op.f("ix_round_assessments_submission_id"), table_name="round_assessments")
    op.drop_index("ix_round_assessments_aspect", table_name="round_assessments")
    op.drop_table("round_assessments")
    op.drop_table("round_submissions")
    # Plain DROP COLUMN (SQLite >= 3.35 has it): a batch copy of round_units would drop the
    # old table, and SQLite's ON DELETE CASCADE would take the minutes and findings with it.
    for column in ("corrections_note", "corrections_reported_on", "scheduled_on", "due_date"):
        op.drop_column("round_units", column)
    op.drop_column("rounds", "due_date")
