"""Rows as an older revision of the register held them, written with Core inserts that name
only that revision's columns (the ORM would send today's columns, which it lacks)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, insert

from docgen.register.models import Entry, Issuer


def old_entry(engine: Engine, symbol: str = "01/BB-ĐKT", number: int = 1) -> int:
    """An issuer and one register entry with the columns of revision 0001; the entry's id."""
    now = dt.datetime(2017, 10, 12, 8, 0, tzinfo=dt.UTC)
    with engine.begin() as conn:
        issuer_id = conn.execute(insert(Issuer.__table__).values(
            code="ĐKT", name="ĐOÀN KIỂM TRA", place="Sóc Trăng", sequence_mode="shared",
            created_at=now)).inserted_primary_key[0]
        return int(conn.execute(insert(Entry.__table__).values(
            issuer_id=issuer_id, year=2017, scope="", number=number, symbol=symbol, type_code="BB",
            document_type="minutes", summary="Kiểm tra HTQLCL", date=now.date(), signer={},
            recipients=[], archive="VT", copies=2, notes="", format="docx",
            media_type="application/octet-stream", filename="BB-01.docx", checksum="0" * 64,
            content=b"PK", idempotency_key=None, request_hash="0" * 64, created_at=now,
        )).inserted_primary_key[0])
