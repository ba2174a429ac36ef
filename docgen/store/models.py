"""The template store's tables, on the register's ``Base`` (one database, one migration chain).

    store_types      one row per type the store knows: which of its versions is deployed
    store_versions   one row per upload: the pack's files, its sha256, who, when, comment

A version is identified by the SHA-256 of its Word template (``sha256``, the value the
register's ``template_version`` records) and, within its type, by ``number`` (1, 2, 3 …
in upload order). Every upload is a new row, even of bytes already stored: two uploads
at once get two numbers (the type's row is locked while the next number is taken).
``author`` is the administrator key's fingerprint (or a CLI user's label), never the key.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from docgen.register.models import Base, utcnow

__all__ = ["StoredType", "StoredVersion"]


class StoredType(Base):
    """A document type the store holds versions of, and the one it deploys."""

    __tablename__ = "store_types"

    #: The type id (``minutes``, or a new type's own); a shipped id when overriding it.
    type_id: Mapped[str] = mapped_column(String(30), primary_key=True)
    #: The version used by default; ``None``: the shipped/folder pack is used.
    #: (No foreign key: the two tables would refer to each other; the store writes both.)
    deployed_version_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deployed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                            nullable=True)
    deployed_by: Mapped[str] = mapped_column(String(100), default="")


class StoredVersion(Base):
    """One uploaded version of a type: the pack as it will be loaded."""

    __tablename__ = "store_versions"
    __table_args__ = (UniqueConstraint("type_id", "number", name="uq_store_versions_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_id: Mapped[str] = mapped_column(ForeignKey("store_types.type_id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    #: SHA-256 (hex) of ``template``: the version's identity outside the store.
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    declaration: Mapped[str] = mapped_column(Text)
    example: Mapped[str | None] = mapped_column(Text, nullable=True)
    template: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    #: The declaration was copied from a shipped pack by docgen (a new template for a
    #: shipped type), so its hooks are docgen's own; an uploaded declaration never is.
    shipped_declaration: Mapped[bool] = mapped_column(Boolean, default=False)
    author: Mapped[str] = mapped_column(String(100))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
