"""The report's per-aspect paragraphs, written from the minutes' findings (pure text).

For each of the six aspects (:data:`docgen.schemas.common.ASPECTS`) the report of a
round gets one paragraph whose figures are counts of recorded minutes::

    Kiểm tra tại trụ sở 45 đơn vị có biên bản; 44 biên bản ghi kết quả về nội dung này
    (01 biên bản không ghi: UBND xã Phú Mỹ):
    - Sở Nội vụ, Sở Tư pháp (02 đơn vị): Áp dụng cho toàn bộ thủ tục hành chính;
    - UBND huyện Mỹ Tú: Áp dụng cho 262/262 thủ tục hành chính.
    Nhận xét chung: …  (the department's own words, when it gives them)

Identical findings are grouped (the units named once, with their number), the
largest groups first; units keep the order of the plan. A paragraph never exceeds
:data:`MAX_PARAGRAPH` characters (the report schema's limit for one finding): the
groups that do not fit are summed up in a last line that still counts them. No
database here: :mod:`docgen.rounds.store` passes the rows in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docgen import vi

__all__ = ["MAX_PARAGRAPH", "AspectRow", "ByReport", "aspect_paragraph", "pending_line"]

#: The report schema's ``findings[].content`` limit.
MAX_PARAGRAPH = 5000


@dataclass(frozen=True)
class AspectRow:
    """What one unit's minutes say about one aspect (its findings joined)."""

    stt: int
    unit: str
    content: str


def _count(n: int) -> str:
    """Counts of documents and units below 10 with a leading zero, as reports write them.

    >>> _count(1), _count(45)
    ('01', '45')
    """
    return vi.format_count(n)  # the documents' one way (issue 15, point 6)


def _clean(content: str) -> str:
    """One line, no closing punctuation (the list adds ';' or '.')."""
    return " ".join(content.split()).rstrip(" .;")


def _groups(rows: Sequence[AspectRow]) -> list[tuple[str, list[AspectRow]]]:
    """Identical findings together: largest group first, then by the first unit's stt."""
    groups: dict[str, list[AspectRow]] = {}
    for row in sorted(rows, key=lambda r: r.stt):
        groups.setdefault(_clean(row.content).casefold(), []).append(row)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), g[0].stt))
    return [(_clean(g[0].content), g) for g in ordered]


def _line(content: str, units: list[AspectRow]) -> str:
    names = ", ".join(u.unit for u in units)
    if len(units) > 1:
        names += f" ({_count(len(units))} đơn vị)"
    return f"- {names}: {content}"


def _section(head: str, k: int, rows: Sequence[AspectRow], *, limit: int, used: int,
             source: str) -> list[str]:
    """A head ("Kiểm tra tại trụ sở …") and its grouped lines, within ``limit`` characters
    (``used`` of them taken already: the closing note, the other section)."""
    if len(head) > limit // 2:  # a very long list of silent ones: count them, do not name
        head = head.split(" (", 1)[0] if " không " in head and " (" in head else head[: limit // 2]
    head += ":" if k else "."
    used += len(head) + 1
    reserve = 120  # room for the closing "… đơn vị khác" line
    body: list[str] = []
    groups = _groups(rows)
    for index, (content, units) in enumerate(groups):
        line = _line(content, units)
        if used + len(line) + 2 > limit - reserve:
            rest = sum(len(g) for _, g in groups[index:])
            body.append(f"- {_count(rest)} đơn vị khác: kết quả chi tiết tại {source} của "
                        "từng đơn vị")
            break
        body.append(line)
        used += len(line) + 2
    return [head] + [line + (";" if i < len(body) - 1 else ".") for i, line in enumerate(body)]


def _on_site_head(k: int, minutes: int, without: Sequence[str], pending: int) -> str:
    head = f"Kiểm tra tại trụ sở {_count(minutes)} đơn vị có biên bản"
    if k == 0:
        head += "; không biên bản nào ghi kết quả về nội dung này"
    elif k == minutes:
        head += f"; cả {_count(k)} biên bản ghi kết quả về nội dung này"
    else:
        head += f"; {_count(k)} biên bản ghi kết quả về nội dung này"
        if without:
            head += f" ({_count(len(without))} biên bản không ghi: {', '.join(without)})"
    if pending:
        head += (f"; còn {_count(pending)} đơn vị kiểm tra tại trụ sở chưa có biên bản "
                 "tại thời điểm báo cáo")
    return head


@dataclass(frozen=True)
class ByReport:
    """The by-report units' side of one aspect: ``rows`` one per report that assesses it,
    ``received`` reports in, ``silent`` the units whose report says nothing on it,
    ``awaited`` by-report units whose report has not come."""

    rows: Sequence[AspectRow]
    received: int
    silent: Sequence[str] = ()
    awaited: int = 0


def _by_report_head(side: ByReport) -> str:
    k, n = len(side.rows), side.received
    if n == 0:
        return (f"Kiểm tra qua báo cáo {_count(side.awaited)} đơn vị; chưa nhận được báo cáo "
                "nào tại thời điểm báo cáo")
    head = f"Kiểm tra qua báo cáo {_count(n)} đơn vị đã gửi báo cáo"
    if k == 0:
        head += "; không báo cáo nào tự đánh giá về nội dung này"
    elif k == n:
        head += f"; cả {_count(k)} báo cáo tự đánh giá về nội dung này"
    else:
        head += f"; {_count(k)} báo cáo tự đánh giá về nội dung này"
        if side.silent:
            head += f" ({_count(len(side.silent))} báo cáo không nêu: {', '.join(side.silent)})"
    if side.awaited:
        head += (f"; còn {_count(side.awaited)} đơn vị kiểm tra qua báo cáo chưa gửi báo cáo "
                 "tại thời điểm báo cáo")
    return head


def aspect_paragraph(
    rows: Sequence[AspectRow],
    *,
    minutes: int,
    without: Sequence[str] = (),
    pending: int = 0,
    note: str = "",
    limit: int = MAX_PARAGRAPH,
    by_report: ByReport | None = None,
) -> str:
    """The report's paragraph for one aspect.

    ``rows``: one per unit whose minutes have a finding on the aspect; ``minutes``:
    how many minutes the round has; ``without``: the units whose minutes say nothing
    on it; ``pending``: on-site units with no result yet; ``by_report``: what the
    by-report units' reports say on it (a second part, counted the same way); ``note``:
    the department's own assessment, printed last ("Nhận xét chung: …").

    >>> print(aspect_paragraph([AspectRow(1, "Sở Nội vụ", "Đạt."),
    ...                         AspectRow(2, "Sở Tư pháp", "Đạt"),
    ...                         AspectRow(3, "UBND huyện Mỹ Tú", "Chưa cập nhật.")], minutes=3))
    Kiểm tra tại trụ sở 03 đơn vị có biên bản; cả 03 biên bản ghi kết quả về nội dung này:
    - Sở Nội vụ, Sở Tư pháp (02 đơn vị): Đạt;
    - UBND huyện Mỹ Tú: Chưa cập nhật.
    >>> print(aspect_paragraph([AspectRow(1, "Sở Nội vụ", "Đạt")], minutes=1,
    ...       by_report=ByReport([AspectRow(5, "UBND xã An Hiệp", "Áp dụng toàn bộ")],
    ...                          received=2, silent=["UBND xã Phú Tâm"], awaited=1)))
    Kiểm tra tại trụ sở 01 đơn vị có biên bản; cả 01 biên bản ghi kết quả về nội dung này:
    - Sở Nội vụ: Đạt.
    Kiểm tra qua báo cáo 02 đơn vị đã gửi báo cáo; 01 báo cáo tự đánh giá về nội dung này (01 báo cáo không nêu: UBND xã Phú Tâm); còn 01 đơn vị kiểm tra qua báo cáo chưa gửi báo cáo tại thời điểm báo cáo:
    - UBND xã An Hiệp: Áp dụng toàn bộ.
    """
    closing = f"Nhận xét chung: {_clean(note)}." if note else ""
    reserved = len(closing) + 1 if closing else 0
    if by_report is None:
        lines = _section(_on_site_head(len(rows), minutes, without, pending), len(rows), rows,
                         limit=limit, used=reserved, source="biên bản kiểm tra")
    else:
        # Each part gets room in proportion to what it has to say, at least a quarter
        # (so a short part is never cut because the other is long).
        on_site = (_on_site_head(len(rows), minutes, without, pending), len(rows), rows,
                   "biên bản kiểm tra")
        reports = (_by_report_head(by_report), len(by_report.rows), by_report.rows, "báo cáo")
        room = limit - reserved - 1
        needs = [len("\n".join(_section(h, k, r, limit=10**9, used=0, source=src)))
                 for h, k, r, src in (on_site, reports)]
        share = room if sum(needs) <= room else max(room // 4, min(
            room - room // 4, room * needs[0] // sum(needs)))
        lines = _section(*on_site[:3], limit=share, used=0, source=on_site[3])
        lines += _section(*reports[:3], limit=room - len("\n".join(lines)), used=0,
                          source=reports[3])
    if closing:
        lines.append(closing)
    return "\n".join(lines)


#: Names a pending-units line lists per group; the rest are counted ("và 12 đơn vị khác").
PENDING_NAMES = 20


def _named(names: Sequence[str], most: int) -> str:
    """" (A, B và 12 đơn vị khác)": at most ``most`` names; "" for none."""
    if not most:
        return ""
    rest = len(names) - most
    more = f" và {_count(rest)} đơn vị khác" if rest > 0 else ""
    return f" ({', '.join(names[:most])}{more})"


def pending_line(day: str, on_site: Sequence[str], by_report: Sequence[str], *,
                 limit: int = 3000) -> str:
    """The report's sentence naming the units still without a result; "" when none.

    ``day`` is the report's date as printed ("" leaves "Đến ngày …" out); ``on_site``: the
    on-site units with neither minutes nor a not-inspected mark; ``by_report``: the
    by-report units whose report has not come. At most :data:`PENDING_NAMES` names a group,
    fewer (then none) when the line would pass ``limit``, the report field's length.

    >>> pending_line("20/11/2017", ["Sở Y tế", "UBND huyện Kế Sách"], ["UBND xã Đại Tâm"])
    'Đến ngày 20/11/2017, còn 02 đơn vị kiểm tra tại trụ sở chưa có kết quả kiểm tra (Sở Y tế, UBND huyện Kế Sách); 01 đơn vị kiểm tra qua báo cáo chưa gửi báo cáo (UBND xã Đại Tâm).'
    >>> pending_line("", [], [])
    ''
    """
    for most in (PENDING_NAMES, 10, 5, 0):  # fewer names until the line fits the field
        groups = []
        if on_site:
            groups.append(f"{_count(len(on_site))} đơn vị kiểm tra tại trụ sở chưa có kết quả "
                          f"kiểm tra{_named(on_site, most)}")
        if by_report:
            groups.append(f"{_count(len(by_report))} đơn vị kiểm tra qua báo cáo chưa gửi báo "
                          f"cáo{_named(by_report, most)}")
        if not groups:
            return ""
        line = (f"Đến ngày {day}, còn " if day else "Còn ") + "; ".join(groups) + "."
        if len(line) <= limit:
            break
    return line
