"""Taking numbers: format, the year boundary, shared vs per-type sequences,
idempotent retries, and failures that must not consume a number."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from docgen.config import Settings
from docgen.errors import TemplateNotFoundError, TemplateRenderError, ValidationError
from docgen.register import PER_TYPE, register_and_render
from docgen.register.errors import (
    IdempotencyKeyReusedError,
    InvalidIdempotencyKeyError,
    NumberConflictError,
)
from docgen.register.issuers import configure_issuer
from docgen.register.models import Counter, Entry, Issuer
from docgen.rendering import Renderer, Validated

from ..docx_text import docx_text


def numbers(register, issuer: str | None = None) -> list[tuple[int, str]]:
    with register.session_factory() as session:
        query = select(Entry.year, Entry.symbol).join(Issuer).order_by(Entry.id)
        if issuer:
            query = query.where(Issuer.code == issuer)
        return [tuple(row) for row in session.execute(query)]


def entry_count(register) -> int:
    with register.session_factory() as session:
        return session.execute(select(func.count()).select_from(Entry)).scalar_one()


def test_first_number_is_01_and_printed_on_the_document(any_register, renderer, minutes):
    rendered, entry = any_register.register_and_render(renderer, "minutes", minutes())
    assert (entry.number, entry.symbol, entry.year) == (1, "01/BB-ĐKT", 2017)
    assert "Số: 01/BB-ĐKT" in docx_text(rendered.content)
    assert rendered.filename == "BB-01-ĐKT-2017-10-12.docx"
    assert entry.checksum == hashlib.sha256(rendered.content).hexdigest()


def test_payload_number_is_replaced_by_the_register(register, renderer, minutes):
    rendered, entry = register.register_and_render(renderer, "minutes", minutes(number=12))
    assert entry.number == 1
    text = docx_text(rendered.content)
    assert "Số: 01/BB-ĐKT" in text and "12/BB" not in text


def test_numbering_restarts_at_01_on_1_january(any_register, renderer, minutes):
    take = lambda date: any_register.register_and_render(
        renderer, "minutes", minutes(date))[1]
    assert take("2017-12-30").symbol == "01/BB-ĐKT"
    assert take("2017-12-31").symbol == "02/BB-ĐKT"
    new_year = any_register.register_and_render(renderer, "minutes", minutes("2018-01-01"))
    assert new_year[1].symbol == "01/BB-ĐKT" and new_year[1].year == 2018
    assert "Số: 01/BB-ĐKT" in docx_text(new_year[0].content)
    # A late 2017 document still continues 2017's sequence: the year is the document date's.
    assert take("2017-12-31").symbol == "03/BB-ĐKT"
    assert take("2018-01-02").symbol == "02/BB-ĐKT"
    assert numbers(any_register) == [(2017, "01/BB-ĐKT"), (2017, "02/BB-ĐKT"),
                                     (2018, "01/BB-ĐKT"), (2017, "03/BB-ĐKT"),
                                     (2018, "02/BB-ĐKT")]


def test_leading_zero_only_below_10(register, renderer, minutes):
    register.register_and_render(renderer, "minutes", minutes())
    with register.session_factory() as session, session.begin():
        session.execute(update(Counter).values(last_number=8))
    symbols = [register.register_and_render(renderer, "minutes", minutes())[1].symbol
               for _ in range(2)]
    assert symbols == ["09/BB-ĐKT", "10/BB-ĐKT"]


def test_shared_sequence_is_the_default(any_register, renderer, example):
    # decision (QĐ) and report (BC) are both issued by SKHCN in the examples.
    for doc_type in ("decision", "report", "decision"):
        any_register.register_and_render(renderer, doc_type, example(doc_type))
    assert [s for _, s in numbers(any_register)] == ["01/QĐ-SKHCN", "02/BC-SKHCN",
                                                     "03/QĐ-SKHCN"]


def test_per_type_sequences(any_register, renderer, example):
    configure_issuer(any_register.session_factory, "SKHCN", sequence_mode=PER_TYPE)
    for doc_type in ("decision", "report", "decision", "report", "report"):
        any_register.register_and_render(renderer, doc_type, example(doc_type))
    assert [s for _, s in numbers(any_register)] == [
        "01/QĐ-SKHCN", "01/BC-SKHCN", "02/QĐ-SKHCN", "02/BC-SKHCN", "03/BC-SKHCN"]


def test_issuers_have_their_own_sequences(register, renderer, example, minutes):
    register.register_and_render(renderer, "report", example("report"))
    register.register_and_render(renderer, "minutes", minutes())
    assert [s for _, s in numbers(register)] == ["01/BC-SKHCN", "01/BB-ĐKT"]


def test_mode_change_mid_year_never_issues_a_symbol_twice(register, renderer, example):
    register.register_and_render(renderer, "decision", example("decision"))  # 01/QĐ shared
    configure_issuer(register.session_factory, "SKHCN", sequence_mode=PER_TYPE)
    with pytest.raises(NumberConflictError):
        register.register_and_render(renderer, "decision", example("decision"))  # 01/QĐ again
    assert entry_count(register) == 1


# --- idempotency ---------------------------------------------------------------------

def test_idempotent_retry_returns_same_number_and_bytes(any_register, renderer, minutes):
    first, entry1 = any_register.register_and_render(renderer, "minutes", minutes(), "docx",
                                                     "retry-1")
    again, entry2 = any_register.register_and_render(renderer, "minutes", minutes(), "docx",
                                                     "retry-1")
    assert entry2.id == entry1.id and entry2.symbol == "01/BB-ĐKT"
    assert again.content == first.content and again.filename == first.filename
    assert entry_count(any_register) == 1
    # The retry took no number: the next document is 02.
    assert any_register.register_and_render(renderer, "minutes", minutes())[1].number == 2


def test_same_key_for_another_request_is_refused(register, renderer, minutes):
    register.register_and_render(renderer, "minutes", minutes(), "docx", "k")
    other = minutes()
    other["summary"] = "Một văn bản khác"
    with pytest.raises(IdempotencyKeyReusedError) as info:
        register.register_and_render(renderer, "minutes", other, "docx", "k")
    assert info.value.symbol == "01/BB-ĐKT" and info.value.status == 422
    assert entry_count(register) == 1


def test_keys_are_per_issuer(register, renderer, example, minutes):
    register.register_and_render(renderer, "minutes", minutes(), "docx", "same")
    _, entry = register.register_and_render(renderer, "report", example("report"), "docx", "same")
    assert entry.symbol == "01/BC-SKHCN"


@pytest.mark.parametrize("key", ["x" * 201, "khóa", "a\tb"])
def test_bad_keys_are_refused_before_any_number(register, renderer, minutes, key):
    with pytest.raises(InvalidIdempotencyKeyError):
        register.register_and_render(renderer, "minutes", minutes(), "docx", key)
    assert entry_count(register) == 0


# --- failures consume no number --------------------------------------------------------

class FailingRenderer(Renderer):
    """Fails inside the transaction, after the number was taken and injected."""

    def __init__(self) -> None:
        super().__init__(Settings.from_env(environ={}))
        self.seen: list[int] = []

    def render_validated(self, validated: Validated, format: str = "docx", *, pdfa=None):
        self.seen.append(validated.data["number"])
        raise TemplateRenderError("broken template", part="word/document.xml", names=["x"])


def test_failed_render_leaves_no_number_consumed(any_register, renderer, minutes):
    failing = FailingRenderer()
    with pytest.raises(TemplateRenderError):
        any_register.register_and_render(failing, "minutes", minutes())
    assert failing.seen == [1]  # the number was injected before the render failed
    assert entry_count(any_register) == 0
    assert any_register.register_and_render(renderer, "minutes", minutes())[1].number == 1


def test_missing_template_leaves_no_number_consumed(register, renderer, minutes, tmp_path: Path):
    broken = Renderer(Settings.from_env(environ={}, template_dir=tmp_path))  # no templates there
    with pytest.raises(TemplateNotFoundError):
        register.register_and_render(broken, "minutes", minutes())
    assert register.register_and_render(renderer, "minutes", minutes())[1].symbol == "01/BB-ĐKT"
    with register.session_factory() as session:
        assert session.scalars(select(Counter.last_number)).all() == [1]


def test_invalid_payload_never_reaches_the_register(register, renderer, minutes):
    data = minutes()
    data["members"] = []
    with pytest.raises(ValidationError):
        register.register_and_render(renderer, "minutes", data)
    assert entry_count(register) == 0


def test_entry_records_the_register_columns(register, renderer, minutes):
    _, entry = register.register_and_render(renderer, "minutes", minutes())
    with register.session_factory() as session:
        stored = session.get(Entry, entry.id)
        assert stored is not None
        assert stored.summary.startswith("Kiểm tra việc áp dụng")
        assert stored.signer["full_name"] == "Trần Văn Lâu"
        assert stored.recipients == ["UBND huyện Mỹ Tú", "Ban Chỉ đạo ISO tỉnh"]
        assert (stored.archive, stored.copies, stored.document_type) == ("VT, ĐKT", 2, "minutes")


def test_service_function_signature(register, renderer, minutes):
    """The function the documents API wires ``?register=true`` to."""
    rendered, entry = register_and_render(renderer, register.session_factory, "minutes",
                                          minutes(), "docx", None)
    assert entry.symbol == "01/BB-ĐKT" and rendered.media_type.endswith("document")


def test_packs_share_the_issuers_sequence(any_register, renderer, example):
    """The declared packs number like the four: a notice (TB) and a công văn, whose symbol
    is agency + drafting unit and whose per-type counter is its own (no type code)."""
    for doc_type in ("decision", "notice", "letter"):
        any_register.register_and_render(renderer, doc_type, example(doc_type))
    assert [s for _, s in numbers(any_register)] == ["01/QĐ-SKHCN", "02/TB-SKHCN",
                                                     "03/SKHCN-TĐC"]


def test_cong_van_per_type_counter(any_register, renderer, example):
    configure_issuer(any_register.session_factory, "SKHCN", sequence_mode=PER_TYPE)
    for doc_type in ("letter", "notice", "letter"):
        rendered, _entry = any_register.register_and_render(renderer, doc_type,
                                                            example(doc_type))
    assert [s for _, s in numbers(any_register)] == ["01/SKHCN-TĐC", "01/TB-SKHCN",
                                                     "02/SKHCN-TĐC"]
    assert "Số: 02/SKHCN-TĐC" in docx_text(rendered.content)
    assert rendered.filename == "CV-02-SKHCN-TĐC-2017-09-20.docx"
