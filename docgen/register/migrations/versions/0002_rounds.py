"""Inspection rounds: rounds, their units, the minutes per unit and their findings.

Revision ID: 0002_rounds
Revises: 0001_register
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_rounds"
down_revision = "0001_register"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer_code", sa.String(length=50), nullable=False),
        sa.Column("issuer", sa.JSON(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
    )
    op.create_index(op.f("ix_rounds_issuer_code"), "rounds", ["issuer_code"])
    op.create_table(
        "round_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("stt", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("integrated", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("mode = 'on_site' OR (NOT integrated AND status IN ('planned', "
                           "'reported'))", name=op.f("ck_round_units_on_site_only")),
        sa.CheckConstraint("mode IN ('on_site', 'by_report')", name=op.f("ck_round_units_mode")),
        sa.CheckConstraint("status IN ('planned', 'inspected', 'not_inspected', 'reported')",
                           name=op.f("ck_round_units_status")),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"],
                                name=op.f("fk_round_units_round_id_rounds"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_units")),
        sa.UniqueConstraint("round_id", "stt", name="uq_round_units_stt"),
    )
    op.create_index(op.f("ix_round_units_round_id"), "round_units", ["round_id"])
    op.create_table(
        "round_minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("register_entry_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["register_entry_id"], ["register_entries.id"],
            name=op.f("fk_round_minutes_register_entry_id_register_entries")),
        sa.ForeignKeyConstraint(["unit_id"], ["round_units.id"],
                                name=op.f("fk_round_minutes_unit_id_round_units"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_minutes")),
        sa.UniqueConstraint("unit_id", name=op.f("uq_round_minutes_unit_id")),
    )
    op.create_table(
        "round_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("aspect", sa.String(length=30), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["minutes_id"], ["round_minutes.id"],
                                name=op.f("fk_round_findings_minutes_id_round_minutes"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["round_units.id"],
                                name=op.f("fk_round_findings_unit_id_round_units"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_findings")),
    )
    op.create_index("ix_round_findings_aspect", "round_findings", ["aspect", "unit_id"])
    op.create_index(op.f("ix_round_findings_minutes_id"), "round_findings", ["minutes_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_round_findings_minutes_id"), table_name="round_findings")
    op.drop_index("ix_round_findings_aspect", table_name="round_findings")
    op.drop_table("round_findings")
    op.drop_table("round_minutes")
    op.drop_index(op.f("ix_round_units_round_id"), table_name="round_units")
    op.drop_table("round_units")
    op.drop_index(op.f("ix_rounds_issuer_code"), table_name="rounds")
    op.drop_table("rounds")
