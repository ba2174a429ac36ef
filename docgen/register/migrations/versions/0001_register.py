"""The outgoing register: issuers, counters, entries.

Revision ID: 0001_register
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_register"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "register_issuers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("sequence_mode", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("sequence_mode IN ('shared', 'per_type')",
                           name=op.f("ck_register_issuers_sequence_mode")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_issuers")),
        sa.UniqueConstraint("code", name=op.f("uq_register_issuers_code")),
    )
    op.create_table(
        "register_counters",
        sa.Column("issuer_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["issuer_id"], ["register_issuers.id"],
                                name=op.f("fk_register_counters_issuer_id_register_issuers")),
        sa.PrimaryKeyConstraint("issuer_id", "year", "scope", name=op.f("pk_register_counters")),
    )
    op.create_table(
        "register_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=100), nullable=False),
        sa.Column("type_code", sa.String(length=10), nullable=False),
        sa.Column("document_type", sa.String(length=30), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("signer", sa.JSON(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("archive", sa.String(length=100), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["issuer_id"], ["register_issuers.id"],
                                name=op.f("fk_register_entries_issuer_id_register_issuers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_entries")),
        sa.UniqueConstraint("issuer_id", "idempotency_key",
                            name="uq_register_entries_idempotency"),
        sa.UniqueConstraint("issuer_id", "year", "scope", "number",
                            name="uq_register_entries_number"),
        sa.UniqueConstraint("issuer_id", "year", "symbol", name="uq_register_entries_symbol"),
    )
    op.create_index(op.f("ix_register_entries_issuer_id"), "register_entries", ["issuer_id"])
    op.create_index("ix_register_entries_listing", "register_entries",
                    ["issuer_id", "year", "type_code", "number"])


def downgrade() -> None:
    op.drop_index("ix_register_entries_listing", table_name="register_entries")
    op.drop_index(op.f("ix_register_entries_issuer_id"), table_name="register_entries")
    op.drop_table("register_entries")
    op.drop_table("register_counters")
    op.drop_table("register_issuers")
