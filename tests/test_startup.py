"""What `docgen render TYPE` skips at start-up (issue 11), and that skipping changes nothing.

- The catalog answers a lookup by id from that type's own folder until something needs
  every type; the object is the one a full load gives, and wherever another source could
  answer for that id (an agency folder, a folder not named by its id) it loads them all.
- The CLI's type argument reads the catalog only for ``--help`` and a wrong name, with
  click's Vietnamese messages unchanged.
- marshmallow's e-mail patterns are compiled on first use, and validate as before.
- Numbers are grouped as Babel's ``vi_VN`` data says without loading it (~40 ms).
(Which modules a render imports: tests/test_cli_imports.py.)
"""

from __future__ import annotations

import decimal
import json
import random
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.catalog import Catalog, load_catalog
from docgen.cli import main
from docgen.vi._coerce import quantize_half_up
from docgen.vi.numbers import _grouped

from .conftest import EXAMPLES, PACK_TYPES, ROOT
from .docx_text import docx_text

TEMPLATES = ROOT / "templates"


def copy_pack(source: str, target: Path) -> Path:
    shutil.copytree(TEMPLATES / source, target)
    return target


# --- the catalog: one pack by id ---------------------------------------------------------


def test_a_lookup_by_id_reads_that_pack_alone() -> None:
    catalog = Catalog()
    catalog.configure(shipped=TEMPLATES)
    minutes = catalog["minutes"]
    assert catalog._types is None and sorted(catalog._single) == ["minutes"]
    assert "notice" in catalog and catalog.get("report") is not None
    assert catalog._types is None and sorted(catalog._single) == ["minutes", "notice", "report"]
    assert minutes is load_catalog(TEMPLATES)["minutes"]  # the same compiled type
    assert minutes.source == "shipped" and minutes.type_code == "BB"
    assert list(catalog) == PACK_TYPES  # listing reads them all, in order
    assert catalog["minutes"] is minutes


def test_an_unknown_id_is_looked_for_among_all_packs() -> None:
    catalog = Catalog()
    catalog.configure(shipped=TEMPLATES)
    assert "minutez" not in catalog and "../minutes" not in catalog
    assert catalog._types is not None


def test_an_agency_folder_is_always_read(tmp_path: Path) -> None:
    """The agency's pack replacing ``notice`` wins, as when every pack is read."""
    pack = copy_pack("notice", tmp_path / "packs" / "thong-bao")
    toml = pack / "type.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'name = "Thông báo kết quả kiểm tra"', 'name = "Thông báo (mẫu của Sở)"'),
        encoding="utf-8")
    catalog = Catalog()
    catalog.configure(shipped=TEMPLATES, packs_dir=tmp_path / "packs")
    assert catalog["notice"].name == "Thông báo (mẫu của Sở)"
    assert catalog["notice"].source == "folder"


def test_a_folder_is_trusted_only_for_the_id_it_declares(tmp_path: Path) -> None:
    shipped = tmp_path / "templates"
    copy_pack("notice", shipped / "minutes")  # a folder called minutes holding the notice
    copy_pack("minutes", shipped / "bien-ban")
    catalog = Catalog()
    catalog.configure(shipped=shipped)
    assert catalog["minutes"].pack_dir == shipped / "bien-ban"
    assert catalog["notice"].pack_dir == shipped / "minutes"
    assert list(catalog) == ["minutes", "notice"]


# --- the CLI's type argument ---------------------------------------------------------------


def test_render_takes_the_type_in_any_case(tmp_path: Path) -> None:
    out = tmp_path / "bb.docx"
    result = CliRunner().invoke(main, ["render", "MiNuTes", str(EXAMPLES / "minutes.json"),
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "BIÊN BẢN" in docx_text(out.read_bytes())


def test_a_wrong_type_lists_every_type_as_before() -> None:
    result = CliRunner().invoke(main, ["render", "minutez", "x.json"])
    assert result.exit_code == 2
    metavar = "{" + "|".join(PACK_TYPES) + "}"
    listed = ", ".join(repr(t) for t in PACK_TYPES)
    assert result.output.splitlines()[-1] == (
        f"Lỗi: Giá trị không hợp lệ cho '{metavar}': 'minutez' không thuộc: {listed}.")


@pytest.mark.parametrize(("command", "shown"), [
    (["render", "--help"], "{" + "|".join(PACK_TYPES) + "}"),
    (["check", "--help"], "--type [" + "|".join(PACK_TYPES) + "]"),
])
def test_help_lists_the_types(command: list[str], shown: str) -> None:
    result = CliRunner().invoke(main, command, terminal_width=200)
    assert result.exit_code == 0, result.output
    assert shown in result.output


# --- marshmallow's e-mail patterns ---------------------------------------------------------

EMAIL_SCRIPT = """
import json, sys
{first}
from marshmallow import ValidationError
from marshmallow.validate import Email
state = type(Email.DOMAIN_REGEX).__name__, type(Email.USER_REGEX).__name__
answers = {{}}
for value in ["thanh.tra@soctrang.gov.vn", "a@b", "ai@sở-khcn.vn", "x@[192.168.1.1]",
              "@b.vn", "a@@b.vn", "a b@c.vn", "a@localhost", '"a b"@c.vn', "a@b..vn"]:
    try:
        Email()(value)
        answers[value] = "ok"
    except ValidationError as exc:
        answers[value] = exc.messages[0]
print(json.dumps({{"state": state, "answers": answers,
                  "patterns": [[p.pattern, p.flags] for p in (Email.DOMAIN_REGEX,
                                                              Email.USER_REGEX)]}}))
"""


def email_run(first: str) -> dict:
    done = subprocess.run([sys.executable, "-c", EMAIL_SCRIPT.format(first=first)],
                          capture_output=True, text=True, check=True, timeout=60)
    return json.loads(done.stdout)


def test_email_patterns_compile_on_use_and_answer_as_before() -> None:
    lazy = email_run("import docgen")
    plain = email_run("import marshmallow")  # marshmallow before docgen: nothing deferred
    assert lazy["state"] == ["LazyPattern", "LazyPattern"]
    assert plain["state"] == ["Pattern", "Pattern"]
    assert lazy["answers"] == plain["answers"]
    assert lazy["answers"]["thanh.tra@soctrang.gov.vn"] == "ok"
    assert lazy["answers"]["a@@b.vn"] == "Not a valid email address."
    assert lazy["patterns"] == plain["patterns"]


# --- numbers without Babel's locale data ---------------------------------------------------


def number_table() -> list[tuple[Decimal, int]]:
    """Values and decimals: edges (zero, groups of exactly three, 30-digit values, halves,
    what rounds to zero), then a seeded spread of magnitudes and signs."""
    edges = ["0", "1", "-1", "12", "999", "1000", "-1000", "999999.995", "1234567.891",
             "-0.004", "0.5", "2.665", "100000", "-100000000",
             "123456789012345678901234567890.123", "1E+30", "-9.9999999E+27", "0.000001"]
    table = [(Decimal(v), d) for v in edges for d in (0, 1, 2, 3, 6)]
    rng = random.Random(11)
    for _ in range(400):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 32)))
        value = Decimal(digits).scaleb(-rng.randint(0, 12)) * rng.choice((1, -1))
        table.append((value, rng.randint(0, 6)))
    return table


def test_grouping_matches_babels_vi_vn() -> None:
    from babel import Locale
    from babel.numbers import format_decimal

    locale = Locale.parse("vi_VN")
    for value, decimals in number_table():
        rounded = quantize_half_up(value, decimals)
        pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
        with decimal.localcontext(prec=max(28, len(rounded.as_tuple().digits) + 2)):
            expected = format_decimal(rounded, format=pattern, locale=locale)
        assert _grouped(rounded) == expected, (value, decimals)


def test_a_render_formatting_numbers_loads_no_babel() -> None:
    script = ("import sys; from docgen.vi import format_number, format_percent; "
              "print(format_number(1234567.5), format_percent(0.9534), 'babel' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script],
                          capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.split() == ["1.234.567,5", "95,34%", "False"]
