"""Counts as the documents print them, and no sentence about a zero count (issue 15, point 6).

Two edits of the body text of templates/*/template.docx (word/document.xml only):

1. every count tag prints through the ``count`` filter — ``{{ counts.planned }}`` becomes
   ``{{ counts.planned|count }}`` ("1.200", "09"): the tags ``counts.*``, ``*_count``,
   ``units_total`` and ``units_on_site``, wherever they stand (sentence or table cell);
2. the report's opening paragraph leaves out what a zero count would say: "… và kiểm
   tra qua báo cáo 0 đơn vị", "có 0 đơn vị được kiểm tra lồng ghép …", "và 0 đơn vị
   chưa kiểm tra được": each clause sits in an ``{% if %}`` on its count (all on-site or
   all by report reads "đều kiểm tra tại trụ sở" / "đều kiểm tra qua báo cáo").

Idempotent (a second run changes nothing) and made to run on a template other
helpers have edited: paragraphs are found by the tags and words they hold, never by
position; a paragraph is rewritten only when the tag text it holds changes, its text
then kept in its first run (the runs of a body paragraph share one format). If the
report's wording around the counts has changed so that an anchor is missing, the
script says which and stops, rather than guess. The zip is written back with the
member order and fixed timestamps of scripts/build_templates.py.

    python scripts/template_edits/H_counts.py            # edit the shipped templates
    python scripts/template_edits/H_counts.py --check    # exit 1 if an edit is pending
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from build_templates import rewrite_package

TEMPLATES = ROOT / "templates"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

#: A count tag not yet filtered: {{ counts.planned }}, {{ units_count }}, {{ units_total }}.
COUNT_TAG = re.compile(
    r"\{\{\s*((?:counts\.[a-z_]+)|(?:[a-z_]*_count)|units_total|units_on_site)\s*\}\}")


def count_filters(text: str) -> str:
    """``{{ counts.planned }}`` -> ``{{ counts.planned|count }}`` (filtered tags untouched).

    >>> count_filters("có {{ counts.planned }} cơ quan, {{ units_count|count }}")
    'có {{ counts.planned|count }} cơ quan, {{ units_count|count }}'
    """
    return COUNT_TAG.sub(lambda m: "{{ " + m[1] + "|count }}", text)


# The report's opening paragraph, after count_filters: the two clauses that speak of counts.
_SPLIT_OLD = (", trong đó kiểm tra tại trụ sở {{ counts.on_site|count }} đơn vị "
              "(chiếm {{ on_site_percent }}) và kiểm tra qua báo cáo "
              "{{ counts.by_report|count }} đơn vị.")
_SPLIT_NEW = ("{% if counts.on_site and counts.by_report %}, trong đó kiểm tra tại trụ sở "
              "{{ counts.on_site|count }} đơn vị (chiếm {{ on_site_percent }}) và kiểm tra qua "
              "báo cáo {{ counts.by_report|count }} đơn vị{% elif counts.on_site %}, đều kiểm "
              "tra tại trụ sở{% else %}, đều kiểm tra qua báo cáo{% endif %}.")
_ON_SITE = re.compile(
    r" Trong số đơn vị kiểm tra tại trụ sở, có (?P<integrated>\{\{ counts\.integrated\|count \}\}"
    r" đơn vị được kiểm tra lồng ghép với .*?) và (?P<missed>\{\{ counts\.not_inspected\|count \}\}"
    r" đơn vị chưa kiểm tra được.*?\{% endif %\})\.")
_ON_SITE_DONE = "{% if counts.integrated or counts.not_inspected %}"


def report_zero_counts(text: str) -> str:
    """The report's opening with each count's clause under an ``{% if %}`` on the count.

    Only the paragraph that speaks of the counts in words is touched (the table's cells
    hold the same tags alone); :func:`_check_report` says when it was not found.
    """
    if "(chiếm {{ on_site_percent }})" in text and _SPLIT_NEW not in text:
        if _SPLIT_OLD not in text:
            raise SystemExit("H_counts: the report's sentence on on-site / by-report counts "
                             f"has changed; expected «{_SPLIT_OLD}»")
        text = text.replace(_SPLIT_OLD, _SPLIT_NEW)
    if "đơn vị chưa kiểm tra được" in text and _ON_SITE_DONE not in text:
        match = _ON_SITE.search(text)
        if match is None:
            raise SystemExit("H_counts: the report's sentence on integrated / not inspected "
                             "units has changed; update _ON_SITE")
        clause = (f"{_ON_SITE_DONE} Trong số đơn vị kiểm tra tại trụ sở, có "
                  f"{{% if counts.integrated %}}{match['integrated']}"
                  "{% if counts.not_inspected %} và {% endif %}{% endif %}"
                  f"{{% if counts.not_inspected %}}{match['missed']}{{% endif %}}.{{% endif %}}")
        text = text[:match.start()] + clause + text[match.end():]
    return text


def _check_report(root: etree._Element) -> None:
    """Stop when the report no longer has the two clauses in the edited form."""
    texts = ["".join(p.itertext()) for p in root.iter(f"{{{W}}}p")]
    for done in (_SPLIT_NEW, _ON_SITE_DONE):
        if not any(done in t for t in texts):
            raise SystemExit(f"H_counts: the report's opening paragraph was not found; "
                             f"expected «{done}» after the edit")


def _edit_paragraphs(root: etree._Element, edit: Callable[[str], str]) -> bool:
    changed = False
    for paragraph in root.iter(f"{{{W}}}p"):
        texts = list(paragraph.iter(f"{{{W}}}t"))
        if not texts:
            continue
        old = "".join(t.text or "" for t in texts)
        new = edit(old)
        if new == old:
            continue
        texts[0].text = new
        texts[0].set(XML_SPACE, "preserve")
        for t in texts[1:]:
            t.text = ""
        changed = True
    return changed


def edit_template(path: Path, *, write: bool = True) -> bool:
    """Apply the edits to one template; True when it changed (or, unwritten, would)."""
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        root = etree.fromstring(src.read("word/document.xml"))
    changed = _edit_paragraphs(root, count_filters)
    if path.parent.name == "report":
        changed = _edit_paragraphs(root, report_zero_counts) or changed
        _check_report(root)
    if changed and write:
        content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        path.write_bytes(rewrite_package(data, {"word/document.xml": content}))
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if an edit is pending")
    parser.add_argument("templates", nargs="*", type=Path,
                        help="template files (default: templates/*/template.docx)")
    args = parser.parse_args(argv)
    paths = args.templates or sorted(TEMPLATES.glob("*/template.docx"))
    pending = [p for p in paths if edit_template(p, write=not args.check)]
    for path in pending:
        print(f"{'would edit' if args.check else 'edited'} {path.relative_to(ROOT)}")
    return 1 if args.check and pending else 0


if __name__ == "__main__":
    sys.exit(main())
