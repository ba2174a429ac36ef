"""Issuing agencies in the register and how each numbers its documents.

An issuer is created with a shared sequence the first time one of its documents is
registered; :func:`configure_issuer` sets its name, place and sequence mode (or
creates it ahead of its first document). Change the mode at the start of a year:
a mid-year change starts the new sequences at 01, and a number/symbol already in
that year's book is then refused (409 ``number_conflict``), never issued twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from docgen import vi
from docgen.register.db import writing
from docgen.register.errors import UnknownIssuerError
from docgen.register.models import SEQUENCE_MODES, SHARED, Issuer, utcnow


def list_issuers(session: Session) -> Sequence[Issuer]:
    return session.scalars(select(Issuer).order_by(Issuer.code)).all()


def get_issuer(session: Session, code: str) -> Issuer:
    issuer = session.scalars(select(Issuer).where(Issuer.code == vi.normalize_text(code))).first()
    if issuer is None:
        raise UnknownIssuerError(code)
    return issuer


def configure_issuer(
    session_factory: sessionmaker[Session],
    code: str,
    *,
    sequence_mode: str | None = None,
    name: str | None = None,
    place: str | None = None,
) -> Issuer:
    """Create or update the issuer ``code``; unspecified values stay (or get defaults)."""
    if sequence_mode is not None and sequence_mode not in SEQUENCE_MODES:
        raise ValueError(f"sequence_mode must be one of {SEQUENCE_MODES}")
    code = vi.normalize_text(code)
    with writing(session_factory) as session:
        issuer = session.scalars(select(Issuer).where(Issuer.code == code)).first()
        if issuer is None:
            issuer = Issuer(code=code, name=name or code, place=place or "",
                            sequence_mode=sequence_mode or SHARED, created_at=utcnow())
            session.add(issuer)
        else:
            if sequence_mode is not None:
                issuer.sequence_mode = sequence_mode
            if name is not None:
                issuer.name = name
            if place is not None:
                issuer.place = place
        session.flush()
    return issuer
