"""The template store (versions of packs, one deployed per type) and each register
entry's template version.

Revision ID: 0003_store
Revises: 0002_rounds
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_store"
down_revision = "0002_rounds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "store_types",
        sa.Column("type_id", sa.String(length=30), nullable=False),
        sa.Column("deployed_version_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deployed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deployed_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("type_id", name=op.f("pk_store_types")),
    )
    op.create_table(
        "store_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.String(length=30), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("declaration", sa.Text(), nullable=False),
        sa.Column("example", sa.Text(), nullable=True),
        sa.Column("template", sa.LargeBinary(), nullable=False),
        sa.Column("shipped_declaration", sa.Boolean(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["type_id"], ["store_types.type_id"],
                                name=op.f("fk_store_versions_type_id_store_types")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_versions")),
        sa.UniqueConstraint("type_id", "number", name="uq_store_versions_number"),
    )
    op.create_index(op.f("ix_store_versions_sha256"), "store_versions", ["sha256"])
    op.create_index(op.f("ix_store_versions_type_id"), "store_versions", ["type_id"])
    with op.batch_alter_table("register_entries") as batch:
        batch.add_column(sa.Column("template_version", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("register_entries") as batch:
        batch.drop_column("template_version")
    op.drop_index(op.f("ix_store_versions_type_id"), table_name="store_versions")
    op.drop_index(op.f("ix_store_versions_sha256"), table_name="store_versions")
    op.drop_table("store_versions")
    op.drop_table("store_types")
