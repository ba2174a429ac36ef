"""Issue 13, point 15: a signer field is either printed or refused, never dropped silently."""

from __future__ import annotations

import docgen
from docgen.errors import ValidationError

from .docx_text import docx_text


def test_minutes_print_the_signers_authority(example) -> None:
    data = example("minutes")
    data["signer"].update({"authority": "KT.", "on_behalf_of": "Trưởng đoàn",
                           "position": "Phó Trưởng đoàn"})
    text = docx_text(docgen.render("minutes", data))
    assert "KT. TRƯỞNG ĐOÀN" in text and "PHÓ TRƯỞNG ĐOÀN" in text


def test_minutes_without_authority_print_no_authority_line(example) -> None:
    text = docx_text(docgen.render("minutes", example("minutes")))
    assert "KT. TRƯỞNG ĐOÀN" not in text and "TM. " not in text and "TRƯỞNG ĐOÀN" in text


def _error_on(data: dict, doc_type: str) -> list[tuple[str, str]]:
    try:
        docgen.render(doc_type, data)
    except ValidationError as exc:
        return [(e.path, e.code) for e in exc.errors]
    raise AssertionError("accepted")


def test_on_behalf_of_without_authority_is_refused(example) -> None:
    for doc_type in ("decision", "minutes", "plan", "report"):
        data = example(doc_type)
        data["signer"].update({"authority": "", "on_behalf_of": "Giám đốc"})
        assert _error_on(data, doc_type) == [("signer.on_behalf_of", "needs_authority")], doc_type


def test_decision_prints_authority_and_principal(example) -> None:
    data = example("decision")
    data["signer"].update({"authority": "KT.", "on_behalf_of": "Giám đốc",
                           "position": "Phó Giám đốc"})
    assert "KT. GIÁM ĐỐC" in docx_text(docgen.render("decision", data))
