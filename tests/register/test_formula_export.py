"""Issue 13, point 5: register exports never carry a live formula, and still read the same."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from docgen.cells import csv_cell

HYPERLINK = '=HYPERLINK("http://127.0.0.1:9/?"&B2,"Bấm vào đây")'


def _hostile(minutes):
    data = minutes()
    data["signer"]["full_name"] = HYPERLINK
    data["recipients"] = ["- Như trên;", "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]
    data["archive"] = "-2+3+cmd|' /C calc'!A0"
    return data


def test_xlsx_export_has_no_formula_and_shows_the_text_unchanged(client, minutes):
    answer = client.post("/api/v1/register/documents/minutes", json=_hostile(minutes))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    export = client.get("/api/v1/register/export?format=xlsx")
    sheet = load_workbook(io.BytesIO(export.data)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    by_column = {c.column: c for c in cells}
    signer, recipients, archive = by_column[4], by_column[5], by_column[6]
    # The text a person reads is exactly what was sent; Excel's quote prefix keeps it text.
    assert signer.value == HYPERLINK and signer.quotePrefix
    assert recipients.value.splitlines()[0] == "- Như trên;" and recipients.quotePrefix
    assert archive.value.startswith("-2+3") and archive.quotePrefix
    assert not by_column[1].quotePrefix  # "01/BB-ĐKT" needs no prefix


def test_csv_export_prefixes_formula_cells_with_a_quote(client, minutes):
    assert client.post("/api/v1/register/documents/minutes",
                       json=_hostile(minutes)).status_code == 200
    export = client.get("/api/v1/register/export?format=csv")
    rows = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig"))))
    line = rows[1]
    assert line[3] == "'" + HYPERLINK
    assert line[4].splitlines() == ["'- Như trên;", "+cmd|' /C calc'!A0",
                                    "@SUM(1+1)*cmd|' /C calc'!A0"]  # only a cell's start counts
    assert line[5].startswith("'-2+3")
    for cell in line:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_csv_cell_table() -> None:
    cases = [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),          # OWASP lists "-": Excel reads "-1+A1" as a formula
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),      # a leading tab or CR is stripped by some importers
        ("\r=1", "'\r=1"),
        ("Sở Y tế", "Sở Y tế"),
        ("a=1", "a=1"),         # only the first character matters
        ("", ""),
        (7, 7),                 # numbers stay numbers
    ]
    for value, expected in cases:
        assert csv_cell(value) == expected, value
