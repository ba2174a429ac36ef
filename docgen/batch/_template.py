"""The header template: an empty sheet with exactly the columns a type accepts.

``docgen batch template minutes -o units.xlsx`` writes one column per field
(an ``STT`` column first), headed by its Vietnamese label (or its field name
with ``style="name"``), with a comment on each header giving the field name,
whether it is required, its description and its allowed values; one example
row taken from the type's pack (``templates/<type>/example.json``); and a second sheet "chung"
for shared values. Repeated groups (``members``…) get as many numbered column
sets as the example has, or ``repeat``. Lists of text (``Nơi nhận``) are one
column, one item per line. Read back, the example row gives the example
payload exactly (a test holds it to that).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from docgen.batch._fields import Node, Style, header_for, path_text
from docgen.batch._fields import Path as FieldPath
from docgen.catalog import get_type

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def example_payload(doc_type: str) -> dict[str, Any] | None:
    """The example payload of ``doc_type``'s pack, if it has one."""
    from docgen.catalog import example_payload as pack_example

    return pack_example(get_type(doc_type))


def template_columns(root: Node, example: Mapping[str, Any] | None,
                     repeat: int = 1) -> list[tuple[FieldPath, Node]]:
    """(path, node) of every column, in schema order."""
    out: list[tuple[FieldPath, Node]] = []

    def walk(node: Node, prefix: FieldPath, sample: Any) -> None:
        for child in node.children.values():
            path = (*prefix, child.name)
            value = sample.get(child.name) if isinstance(sample, Mapping) else None
            if child.kind in ("leaf", "text_list"):
                out.append((path, child))
            elif child.kind == "object":
                walk(child, path, value)
            else:
                items = value if isinstance(value, list) else []
                for index in range(max(len(items), repeat, 1)):
                    walk(child, (*path, index), items[index] if index < len(items) else None)

    walk(root, (), example)
    return out


def _value_at(data: Any, path: FieldPath) -> Any:
    for key in path:
        if isinstance(key, int):
            data = data[key] if isinstance(data, list) and key < len(data) else None
        else:
            data = data.get(key) if isinstance(data, Mapping) else None
    return data


def _cell(node: Node, value: Any) -> Any:
    """The example value as a clerk would type it (dates as dates, choices by label)."""
    if value is None or value == "":
        return None
    if node.kind == "text_list":
        return "\n".join(value)
    spec = node.leaf_spec
    if spec.kind == "date":
        return dt.date.fromisoformat(value)
    if spec.kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if spec.kind == "choice":
        return spec.choice_labels.get(value, value)
    return value


def _comment(node: Node, path: FieldPath) -> str:
    lines = [f"Trường: {path_text(path)}", "Bắt buộc" if node.required else "Không bắt buộc"]
    if node.spec.description:
        lines.append(node.spec.description)
    spec = node.leaf_spec
    if spec.kind == "choice":
        lines.append("Chọn: " + "; ".join(f"{label} ({value})" if value else label
                                          for value, label in spec.choices))
    elif spec.kind == "date":
        lines.append("Ngày dạng dd/mm/yyyy.")
    elif spec.kind == "datetime":
        lines.append("Ngày giờ dạng dd/mm/yyyy hh:mm.")
    if node.kind == "text_list":
        lines.append("Nhiều mục: mỗi mục một dòng (Alt+Enter).")
    return "\n".join(lines)


def _rows(doc_type: str, style: Style, repeat: int, with_example: bool
          ) -> tuple[list[str], list[Any] | None, list[tuple[FieldPath, Node]]]:
    from docgen.batch._runner import type_tree

    root = type_tree(doc_type)
    example = example_payload(doc_type) if with_example else None
    columns = template_columns(root, example, repeat)
    headers = ["STT"] + [header_for(root, path, style) for path, _ in columns]
    row = None
    if example is not None:
        row = [1] + [_cell(node, _value_at(example, path)) for path, node in columns]
    return headers, row, columns


def write_template(doc_type: str, target: Path | str, *, style: Style = "label",
                   repeat: int = 1, with_example: bool = True) -> Path:
    """Write the header template as .xlsx (or .csv, by ``target``'s suffix)."""
    kind = get_type(doc_type)
    target = Path(target)
    headers, row, columns = _rows(kind.id, style, repeat, with_example)
    if target.suffix.lower() == ".csv":
        _write_csv(target, headers, row)
        return target
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind.name[:31]
    sheet.append(headers)
    if row is not None:
        sheet.append(row)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for index, cell in enumerate(sheet[1]):
        cell.font, cell.alignment = bold, wrap
        if index:
            path, node = columns[index - 1]
            cell.comment = Comment(_comment(node, path), "docgen", width=320, height=160)
        sheet.column_dimensions[cell.column_letter].width = 8 if index == 0 else 24
    if row is not None:
        for index, cell in enumerate(sheet[2]):
            cell.alignment = wrap
            if index and isinstance(cell.value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
            elif index and isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "B2"
    shared = workbook.create_sheet("chung")
    shared.append(["Trường", "Giá trị"])
    shared["A1"].font = shared["B1"].font = bold
    shared["A1"].comment = Comment(
        "Giá trị chung cho mọi dòng: mỗi dòng một trường, cột A ghi tiêu đề cột "
        "(như trang đầu), cột B ghi giá trị. Dòng ở trang đầu ghi giá trị khác thì "
        "giá trị của dòng được dùng.", "docgen", width=320, height=120)
    shared.column_dimensions["A"].width = 40
    shared.column_dimensions["B"].width = 60
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return target


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _write_csv(target: Path, headers: list[str], row: list[Any] | None) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        if row is not None:
            writer.writerow([_csv_text(v) for v in row])


def iter_template_headers(doc_type: str, style: Style = "label", repeat: int = 1) -> Iterator[str]:
    """The header row of the template (without the example)."""
    headers, _, _ = _rows(get_type(doc_type).id, style, repeat, with_example=True)
    yield from headers


__all__ = ["example_payload", "iter_template_headers", "template_columns", "write_template"]
