"""Where a long agency name breaks in the letterhead: between units of meaning.

A văn thư breaks "ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU" as "ỦY BAN NHÂN DÂN / TỈNH
BÀ RỊA - VŨNG TÀU": never inside a place name (from TỈNH, THÀNH PHỐ, HUYỆN, QUẬN, THỊ
XÃ, XÃ, PHƯỜNG, THỊ TRẤN… to the next such word or the end), never inside a word of two
syllables ("CÔNG / NGHỆ", "CHẤT / LƯỢNG") or a fixed name ("ỦY BAN / NHÂN DÂN"), not
after "VÀ", "CỦA"… nor beside a hyphen; and with the fewest lines that fit, as even as
the good places allow.

Each gap between two words gets a penalty; a break set is chosen with the fewest lines
whose every line fits, then the lowest penalty plus unevenness. Results are cached: a
batch of a thousand documents from one agency breaks its name once.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence

from docgen.vi.levels import LEVELS

from ._widths import text_width

__all__ = ["break_name", "longest_unit", "place_spans"]

#: Words that open a place name (upper case, as syllables), the longest first: the levels
#: of local government (docgen.vi.levels) and the special zone (đặc khu).
PLACE_WORDS: tuple[tuple[str, ...], ...] = tuple(sorted(
    [tuple(word.upper().split()) for word in LEVELS.values()] + [("ĐẶC", "KHU")],
    key=len, reverse=True))
#: "XÃ HỘI" (society) and "TỈNH ỦY"… begin no place.
NOT_PLACES = frozenset({("XÃ", "HỘI")})

#: Words of several syllables and fixed names found in agency names: a break inside one
#: reads wrong ("CÔNG / NGHỆ"). Upper case, syllables separated by spaces.
WORDS = frozenset("""
ỦY BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|BAN CHỈ ĐẠO|ĐOÀN KIỂM TRA|BAN QUẢN LÝ|VĂN PHÒNG
KHOA HỌC|CÔNG NGHỆ|CHỈ ĐẠO|ÁP DỤNG|HỆ THỐNG|QUẢN LÝ|CHẤT LƯỢNG|KIỂM TRA|KẾ HOẠCH
ĐẦU TƯ|TÀI CHÍNH|NỘI VỤ|THANH TRA|GIÁO DỤC|ĐÀO TẠO|Y TẾ|TÀI NGUYÊN|MÔI TRƯỜNG
GIAO THÔNG|VẬN TẢI|XÂY DỰNG|NÔNG NGHIỆP|PHÁT TRIỂN|NÔNG THÔN|LAO ĐỘNG|THƯƠNG BINH
XÃ HỘI|CÔNG THƯƠNG|TƯ PHÁP|VĂN HÓA|THỂ THAO|DU LỊCH|THÔNG TIN|TRUYỀN THÔNG|NGOẠI VỤ
DÂN TỘC|CẢI CÁCH|HÀNH CHÍNH|TIÊU CHUẨN|ĐO LƯỜNG|CHI CỤC|TRUNG TÂM|TỔNG CỤC|KINH TẾ
CÔNG NGHIỆP|QUỐC PHÒNG|AN NINH|CÔNG AN|QUÂN SỰ|BIÊN PHÒNG|HẢI QUAN|KHO BẠC|NGÂN HÀNG
BẢO HIỂM|CÔNG DÂN|DỊCH VỤ|CHUYỂN ĐỔI|THƯỜNG TRỰC|CHỦ TỊCH|GIÁM ĐỐC|THÀNH VIÊN
BỘ PHẬN|MỘT CỬA|LIÊN THÔNG|ĐIỆN TỬ|CHÍNH PHỦ|CHÍNH QUYỀN|ĐỊA PHƯƠNG|NHÀ NƯỚC|CƠ QUAN
ĐƠN VỊ|SỞ HỮU|TRÍ TUỆ|ỨNG DỤNG|TIẾN BỘ|KỸ THUẬT|THỐNG KÊ|ĐỊA CHÍNH|ĐÔ THỊ|TỔ CHỨC
CÁN BỘ|CÔNG CHỨC|VIÊN CHỨC|HỖ TRỢ|DOANH NGHIỆP|THƯƠNG MẠI|XUẤT KHẨU|NHẬP KHẨU|THỦY LỢI
LÂM NGHIỆP|THỦY SẢN|KHUYẾN NÔNG|DÂN SỐ|GIA ĐÌNH|TRẺ EM|PHỤ NỮ|THANH NIÊN|MẶT TRẬN
TỔ QUỐC|VIỆT NAM|HỌC VIỆN|TRƯỜNG ĐẠI HỌC|ĐẠI HỌC|CAO ĐẲNG|BỆNH VIỆN|TRUNG ƯƠNG|ĐỀ ÁN
CHƯƠNG TRÌNH|MỤC TIÊU|QUỐC GIA|SỐ HÓA|DỮ LIỆU|PHÁP CHẾ|TỔNG HỢP|TIẾP NHẬN|TRẢ KẾT QUẢ
KẾT QUẢ|THỦ TỤC|GIẢI QUYẾT|HỒ SƠ|ISO 9001
""".replace("\n", "|").strip("|").split("|"))

#: After these a line must not end ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ / XÃ HỘI").
FUNCTION_WORDS = frozenset({"VÀ", "CỦA", "VỀ", "CHO", "VỚI", "TẠI", "THUỘC", "TRỰC"})
HYPHENS = frozenset({"-", "–", "—"})

FORBIDDEN = 1000.0  # inside a place name: only when nothing else fits
INSIDE_WORD = 10.0
AFTER_FUNCTION_WORD = 6.0
BESIDE_HYPHEN = 8.0
BEFORE_UNIT = -1.0  # before a place or a function word: where a văn thư breaks
UNEVENNESS = 4.0  # weight of (longest - shortest line) / column width
MAX_BREAKS = 5


def place_spans(words: Sequence[str]) -> list[tuple[int, int]]:
    """(first, end) word indexes of each place name: a place word to the next one or
    the end.

    >>> place_spans("ỦY BAN NHÂN DÂN XÃ AN THẠNH 1 HUYỆN CÙ LAO DUNG".split())
    [(4, 8), (8, 12)]
    >>> place_spans("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI".split())
    []
    """
    upper = [word.upper() for word in words]
    starts: list[int] = []
    index = 0
    while index < len(upper):
        for keyword in PLACE_WORDS:
            found = tuple(upper[index:index + len(keyword)])
            if found == keyword and tuple(upper[index:index + 2]) not in NOT_PLACES \
                    and index + len(keyword) < len(upper):
                starts.append(index)
                index += len(keyword) - 1
                break
        index += 1
    if not starts:
        return []
    return [(start, end) for start, end in zip(starts, [*starts[1:], len(upper)], strict=True)]


_LONGEST_WORD = max(len(word.split()) for word in WORDS)


def _inside_words(upper: Sequence[str]) -> set[int]:
    """Gaps (index of the word after the gap) inside a word of WORDS."""
    inside: set[int] = set()
    for start in range(len(upper)):
        for size in range(2, min(_LONGEST_WORD, len(upper) - start) + 1):
            if " ".join(upper[start:start + size]) in WORDS:
                inside.update(range(start + 1, start + size))
    return inside


def gap_penalties(words: Sequence[str]) -> list[float]:
    """The penalty of breaking before each word (index 0 unused: 0.0)."""
    upper = [word.upper() for word in words]
    penalties = [0.0] * len(upper)
    for gap in _inside_words(upper):
        penalties[gap] += INSIDE_WORD
    for gap in range(1, len(upper)):
        if upper[gap - 1] in FUNCTION_WORDS:
            penalties[gap] += AFTER_FUNCTION_WORD
        if upper[gap] in FUNCTION_WORDS:
            penalties[gap] += BEFORE_UNIT
        if upper[gap] in HYPHENS or upper[gap - 1] in HYPHENS:
            penalties[gap] += BESIDE_HYPHEN
    for start, end in place_spans(upper):
        if start:
            penalties[start] += BEFORE_UNIT
        for gap in range(start + 1, end):
            penalties[gap] = FORBIDDEN
    return penalties


def _widths(words: Sequence[str], size: float, bold: bool) -> tuple[list[float], float]:
    return [text_width(word, size, bold=bold) for word in words], text_width(" ", size, bold=bold)


@functools.lru_cache(maxsize=512)
def longest_unit(text: str, size: float, bold: bool) -> float:
    """Width (twips) of the widest run of words no good break may split: the narrowest
    column ``text`` fits in without breaking a place name or a word.

    >>> longest_unit("ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU", 13, True) \\
    ...     == text_width("TỈNH BÀ RỊA - VŨNG TÀU", 13, bold=True)
    True
    """
    words = text.split()
    if not words:
        return 0.0
    penalties = gap_penalties(words)
    widths, space = _widths(words, size, bold)
    best = current = widths[0]
    for index in range(1, len(words)):
        if penalties[index] >= INSIDE_WORD:
            current += space + widths[index]
        else:
            current = widths[index]
        best = max(best, current)
    return best


@functools.lru_cache(maxsize=512)
def break_name(text: str, width: float, size: float, bold: bool) -> tuple[str, ...]:
    """The lines ``text`` is set in, in a column ``width`` twips wide.

    >>> break_name("ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU", 3900, 13, True)
    ('ỦY BAN NHÂN DÂN', 'TỈNH BÀ RỊA - VŨNG TÀU')
    >>> break_name("SỞ KHOA HỌC VÀ CÔNG NGHỆ", 4000, 13, True)
    ('SỞ KHOA HỌC VÀ CÔNG NGHỆ',)
    """
    words = text.split()
    if not words:
        return ()
    widths, space = _widths(words, size, bold)
    if sum(widths) + space * (len(words) - 1) <= width:
        return (" ".join(words),)
    penalties = gap_penalties(words)
    prefix = [0.0, *itertools.accumulate(widths)]

    def line_width(start: int, end: int) -> float:
        return prefix[end] - prefix[start] + space * (end - start - 1)

    gaps = range(1, len(words))
    for allow_forbidden in (False, True):
        candidates = [g for g in gaps if allow_forbidden or penalties[g] < FORBIDDEN]
        for count in range(1, min(MAX_BREAKS, len(candidates)) + 1):
            best: tuple[float, tuple[int, ...]] | None = None
            for chosen in itertools.combinations(candidates, count):
                bounds = (0, *chosen, len(words))
                lines = [line_width(a, b) for a, b in itertools.pairwise(bounds)]
                if max(lines) > width:
                    continue
                cost = sum(penalties[g] for g in chosen) + \
                    UNEVENNESS * (max(lines) - min(lines)) / width
                if best is None or cost < best[0]:
                    best = (cost, chosen)
            if best is not None:
                bounds = (0, *best[1], len(words))
                return tuple(" ".join(words[a:b]) for a, b in itertools.pairwise(bounds))
    # Nothing fits even word by word: one word a line (the column wraps what is left).
    return tuple(words)
