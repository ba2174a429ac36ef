"""Taking the next number: one transaction that numbers, renders and records.

:func:`number_in` is the only way a number leaves the register, inside a writing
transaction that :func:`issue` opens (or a caller such as a round, which records what the
number belongs to in the same commit):

1. the payload is validated first — bad input never touches the database;
2. a writing transaction starts (SQLite: ``BEGIN IMMEDIATE``, the database's write
   lock); the issuer and the counter row of (issuer, year, scope) are created if
   missing (``INSERT … ON CONFLICT DO NOTHING``), then the counter row is locked
   (PostgreSQL: ``SELECT … FOR UPDATE``);
3. number = last + 1, injected into the validated data (``data["number"] = n``),
   and the document is rendered *inside* the transaction;
4. the entry (with the file's bytes and sha256) and the counter are written and the
   transaction commits.

A render that fails raises out of step 3 and the transaction rolls back: the number
was never consumed, the next document gets it, and the register has no gap. The
price is that documents of one sequence render one at a time (the counter lock is
held while rendering — a few milliseconds for a .docx, seconds for a PDF).

``Idempotency-Key``: the entry stores the produced file, so a retry with the same
key (and the same request) answers the very same bytes and number without
rendering again. The same key with a different request is refused
(:class:`~docgen.register.errors.IdempotencyKeyReusedError`).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, contains_eager, sessionmaker, undefer

from docgen import metrics
from docgen.register.db import writing
from docgen.register.errors import (
    IdempotencyKeyReusedError,
    InvalidIdempotencyKeyError,
    NumberConflictError,
    RegisterUnavailableError,
)
from docgen.register.models import SHARED, Counter, Entry, Issuer, utcnow
from docgen.rendering import Output, Rendered, Renderer, Validated

log = logging.getLogger(__name__)

MAX_KEY_LENGTH = 200

__all__ = ["check_idempotency_key", "issue", "number_in", "register_and_render",
           "register_errors", "request_hash", "same_request"]


def check_idempotency_key(key: str | None) -> str | None:
    """The key as stored: trimmed, 1–200 printable ASCII characters (an HTTP header value)."""
    if key is None:
        return None
    key = key.strip()
    if not key:
        return None
    if len(key) > MAX_KEY_LENGTH or not (key.isascii() and key.isprintable()):
        raise InvalidIdempotencyKeyError(
            f"Idempotency-Key phải gồm 1–{MAX_KEY_LENGTH} ký tự ASCII in được."
        )
    return key


def _json_default(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):  # a pack's decimal and percent fields: exact text
        return str(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def request_hash(validated: Validated, output: Output | str, *,
                 with_template_version: bool = True) -> str:
    """sha256 of what changes the bytes: type, template version, format, PDF/A variant and
    the clean payload minus its number (the number is the register's to give).

    ``with_template_version=False`` gives the form entries were written with before the
    template store (revision 0003): the same list without the version.
    """
    if isinstance(output, str):
        output = Output(output)
    data = {k: v for k, v in validated.data.items() if k != "number"}
    kind = validated.doc_type
    parts: list[Any] = [kind.id, kind.version, output.format, output.pdfa, data]
    if not with_template_version:
        del parts[1]
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=_json_default)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def same_request(entry: Entry, validated: Validated, output: Output, digest: str | None = None
                 ) -> bool:
    """Whether ``entry`` was recorded for this very request (an idempotent retry).

    An entry written before the template store has no ``template_version`` and a hash
    without it: a key stored then still replays after the upgrade, compared in that form.
    """
    if entry.request_hash == (digest or request_hash(validated, output)):
        return True
    return entry.template_version is None and entry.request_hash == request_hash(
        validated, output, with_template_version=False)


def _insert(session: Session) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT DO NOTHING."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert
    if name == "sqlite":
        return sqlite.insert
    raise ValueError(f"the register runs on SQLite or PostgreSQL, not {name}")  # db.database_url refuses it first


def ensure_issuer(session: Session, agency: dict[str, Any]) -> Issuer:
    """The issuer with ``agency["code"]``, created (shared sequence) on its first document."""
    insert = _insert(session)
    session.execute(
        insert(Issuer)
        # A line break the clerk typed for the letterhead is not part of the name.
        .values(code=agency["code"], name=" ".join(agency["name"].split()), place=agency["place"],
                sequence_mode=SHARED, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["code"])
    )
    return session.scalars(select(Issuer).where(Issuer.code == agency["code"])).one()


def lock_counter(session: Session, issuer_id: int, year: int, scope: str) -> int:
    """Create the counter row if missing, lock it, and return the last number given."""
    insert = _insert(session)
    session.execute(
        insert(Counter)
        .values(issuer_id=issuer_id, year=year, scope=scope, last_number=0)
        .on_conflict_do_nothing(index_elements=["issuer_id", "year", "scope"])
    )
    return session.execute(
        select(Counter.last_number)
        .where(Counter.issuer_id == issuer_id, Counter.year == year, Counter.scope == scope)
        .with_for_update()
    ).scalar_one()


def _find_by_key(session: Session, issuer_code: str, key: str) -> Entry | None:
    return session.scalars(
        select(Entry)
        .join(Issuer)
        .where(Issuer.code == issuer_code, Entry.idempotency_key == key)
        .options(contains_eager(Entry.issuer), undefer(Entry.content))
    ).one_or_none()


def _replay(entry: Entry, validated: Validated, output: Output, digest: str, key: str
            ) -> tuple[Rendered, Entry]:
    if not same_request(entry, validated, output, digest):
        raise IdempotencyKeyReusedError(key, entry.symbol)
    rendered = Rendered(content=entry.content, format=entry.format, media_type=entry.media_type,
                        filename=entry.filename, warnings=validated.warnings)
    return rendered, entry


def _entry(validated: Validated, rendered: Rendered, *, issuer: Issuer, year: int, scope: str,
           number: int, key: str | None, digest: str) -> Entry:
    data = validated.data
    kind = validated.doc_type
    return Entry(
        issuer=issuer,
        year=year,
        scope=scope,
        number=number,
        symbol=kind.number_symbol(number, data),
        type_code=kind.type_code,
        document_type=kind.id,
        summary=data["summary"],
        date=data["date"],
        signer={k: data["signer"].get(k, "") for k in
                ("authority", "on_behalf_of", "position", "full_name")},
        recipients=list(data.get("recipients") or []),
        archive=data.get("archive") or "",
        copies=data.get("copies"),
        notes="",
        format=rendered.format,
        media_type=rendered.media_type,
        filename=rendered.filename,
        checksum=hashlib.sha256(rendered.content).hexdigest(),
        content=rendered.content,
        idempotency_key=key,
        request_hash=digest,
        template_version=kind.version or None,
        created_at=utcnow(),
    )


@contextmanager
def register_errors() -> Iterator[None]:
    """Database failures as the register's errors: a unique number or symbol already taken
    (:class:`NumberConflictError`), a locked or unreachable database
    (:class:`RegisterUnavailableError`). Wraps any transaction that numbers."""
    try:
        yield
    except IntegrityError as exc:
        raise NumberConflictError(
            "Số, ký hiệu văn bản này đã có trong sổ đăng ký của năm (có thể do đổi cách "
            "đánh số giữa năm); không cấp số."
        ) from exc
    except OperationalError as exc:
        log.error("register database failure: %s", exc)
        raise RegisterUnavailableError(
            "Không ghi được vào sổ đăng ký văn bản (cơ sở dữ liệu bận hoặc không kết nối được); "
            "hãy thử lại."
        ) from exc


def issue(
    renderer: Renderer,
    session_factory: sessionmaker[Session],
    validated: Validated,
    output: Output,
    idempotency_key: str | None = None,
) -> tuple[Rendered, Entry]:
    """Give a validated payload the issuer's next number, render it, record it; all or nothing.

    Any ``number`` in the payload is replaced by the register's. With an
    ``idempotency_key`` already used for the same request (type, output, payload), the
    stored document and its entry come back unchanged (nothing rendered, no number taken).

    Raises what :meth:`Renderer.render_validated` raises (no number is consumed then),
    :class:`IdempotencyKeyReusedError`, :class:`NumberConflictError`,
    :class:`RegisterUnavailableError` (database locked or unreachable).
    """
    key = check_idempotency_key(idempotency_key)
    digest = request_hash(validated, output)
    issuer_code = validated.data["agency"]["code"]
    try:
        with register_errors():
            if key is not None:  # the common retry: answered without taking the write lock
                with session_factory() as session:
                    found = _find_by_key(session, issuer_code, key)
                if found is not None:
                    return _replay(found, validated, output, digest, key)
            with writing(session_factory) as session:
                rendered, entry = number_in(session, renderer, validated, output, key=key,
                                            digest=digest)
            count_issued(session)
            return rendered, entry
    except NumberConflictError:
        if key is not None:  # a concurrent request with the same key won the race
            with session_factory() as session:
                found = _find_by_key(session, issuer_code, key)
            if found is not None:
                return _replay(found, validated, output, digest, key)
        raise


def register_and_render(
    renderer: Renderer,
    session_factory: sessionmaker[Session],
    doc_type: str,
    data: Any,
    fmt: str = "docx",
    idempotency_key: str | None = None,
    *,
    pdfa: str | None = None,
) -> tuple[Rendered, Entry]:
    """Validate ``data`` as ``doc_type``, then :func:`issue` it (options checked first)."""
    output = renderer.output(fmt, pdfa)  # refuse before any work, as Renderer.render does
    check_idempotency_key(idempotency_key)
    return issue(renderer, session_factory, renderer.validate(doc_type, data), output,
                 idempotency_key)


def number_in(
    session: Session,
    renderer: Renderer,
    validated: Validated,
    output: Output,
    *,
    key: str | None = None,
    digest: str | None = None,
) -> tuple[Rendered, Entry]:
    """Number, render and record inside the caller's writing transaction.

    The caller owns the transaction (``with writing(session_factory) as session``), so it
    can record what the number belongs to — a round's minutes — in the same commit: a
    failure anywhere rolls the number back with everything else.
    """
    kind = validated.doc_type
    digest = digest or request_hash(validated, output)
    year = validated.data["date"].year
    issuer = ensure_issuer(session, validated.data["agency"])
    scope = issuer.scope_for(kind.type_code)
    last = lock_counter(session, issuer.id, year, scope)
    if key is not None:  # checked again under the lock: a same-key request may just have won
        found = _find_by_key(session, issuer.code, key)
        if found is not None:
            return _replay(found, validated, output, digest, key)
    number = last + 1
    numbered = replace(validated, data={**validated.data, "number": number})
    rendered = renderer.render_validated(numbered, output)  # fails -> rollback
    entry = _entry(numbered, rendered, issuer=issuer, year=year, scope=scope,
                   number=number, key=key, digest=digest)
    session.add(entry)
    session.execute(
        update(Counter)
        .where(Counter.issuer_id == issuer.id, Counter.year == year, Counter.scope == scope)
        .values(last_number=number)
    )
    session.flush()
    session.info.setdefault(ISSUED, []).append(kind.id)
    return rendered, entry


#: ``session.info`` key: the types of the numbers a transaction gave (for the metrics).
ISSUED = "docgen.issued"


def count_issued(session: Session) -> None:
    """After the commit: count the numbers the transaction gave (``docgen_numbers_issued``)."""
    for doc_type in session.info.pop(ISSUED, []):
        metrics.number_issued(doc_type)
