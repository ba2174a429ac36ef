"""The punctuation of the shared Decree 30 parts: căn cứ, Kính gửi, Nơi nhận, lists.

A clerk types "Căn cứ Luật A;" or "Luật A", "- Sở Tài chính;" or "Sở Tài chính": each
item is reduced to its words (:func:`basis_item`, :func:`list_item`) and the part
writes the marks itself — "Căn cứ …;" then "." on the last (";" when a "Xét đề nghị …"
line follows), "- …;" then "." , "- Lưu: VT, TĐC." — so a template shows one loop per
part and never an expression such as ``{{ ";" if not loop.last else "." }}``.

>>> basis_lines(["Căn cứ Căn cứ Luật A;;", "Nghị định B."])
['Căn cứ Luật A;', 'Căn cứ Nghị định B.']
>>> dash_list(["- Một;", "Hai"])
['- Một;', '- Hai.']
>>> recipient_items(["UBND tỉnh (b/c)", "- Sở Tài chính;"], ["Ủy ban nhân dân tỉnh Sóc Trăng"])
['Như trên', 'Sở Tài chính']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from docgen.vi.levels import LEVELS

__all__ = [
    "addressee_lines",
    "archive_item",
    "basis_item",
    "basis_line",
    "basis_lines",
    "dash_list",
    "list_item",
    "numbered_list",
    "one_line",
    "proposal_line",
    "recipient_items",
]

_BASIS_PREFIX = re.compile(r"^(?:căn\s+cứ\s*:?\s*)+", re.IGNORECASE)
_LEADING_MARKS = re.compile(r"^(?:[-–—+•*]\s*)+")
_NUMBERING = re.compile(r"^\d{1,3}\s*[.)]\s+")
_TRAILING_MARKS = re.compile(r"[\s;.,:]+$")
_ARCHIVE_PREFIX = re.compile(r"^(?:lưu\s*:?\s*)+", re.IGNORECASE)


def one_line(text: str) -> str:
    """``text`` with its line breaks and runs of spaces as single spaces.

    >>> one_line("Ủy ban nhân dân\\ntỉnh  Sóc Trăng")
    'Ủy ban nhân dân tỉnh Sóc Trăng'
    """
    return " ".join(str(text).split())


def _ellipsis_kept(text: str) -> str:
    """Trailing marks removed, but an ellipsis ("…", "...") a clerk ended on is kept."""
    stripped = _TRAILING_MARKS.sub("", text)
    if text.rstrip().endswith(("...", "…")):
        return text.rstrip()
    return stripped


def list_item(text: str) -> str:
    """An item's words: no leading "- " or "1. ", no trailing ";" or ".".

    >>> list_item("  - Sở Tài chính; ")
    'Sở Tài chính'
    >>> list_item("2. Kiểm tra hồ sơ.")
    'Kiểm tra hồ sơ'
    """
    text = _LEADING_MARKS.sub("", one_line(text))
    text = _NUMBERING.sub("", text)
    return _ellipsis_kept(text)


def basis_item(text: str) -> str:
    """A căn cứ's words, without a leading "Căn cứ" (typed once or twice) or the end mark.

    >>> basis_item("Căn cứ Căn cứ Luật Tổ chức chính quyền địa phương;;")
    'Luật Tổ chức chính quyền địa phương'
    """
    return _ellipsis_kept(_BASIS_PREFIX.sub("", list_item(text)))


def basis_line(text: str, mark: str = ";") -> str:
    """One căn cứ line: "Căn cứ …" and ``mark``.

    >>> basis_line("căn cứ Quyết định số 04/QĐ-BCĐISO.")
    'Căn cứ Quyết định số 04/QĐ-BCĐISO;'
    """
    return f"Căn cứ {basis_item(text)}{mark}"


def _marked(item: str, mark: str) -> str:
    """``item`` and its end mark; a "." is not added after an ellipsis."""
    return item if mark == "." and item.endswith((".", "…")) else item + mark


def basis_lines(bases: Iterable[str], *, more_follows: bool = False) -> list[str]:
    """The căn cứ lines: ";" after each, "." after the last unless a line follows
    (``more_follows``: the decision's "Xét đề nghị …")."""
    items = [i for i in (basis_item(b) for b in bases) if i]
    last = ";" if more_follows else "."
    return [_marked(f"Căn cứ {item}", ";" if n < len(items) - 1 else last)
            for n, item in enumerate(items)]


def proposal_line(text: str) -> str:
    """The "Xét đề nghị …" line after the căn cứ, with one final ".".

    >>> proposal_line("Xét đề nghị của Chánh Văn phòng;")
    'Xét đề nghị của Chánh Văn phòng.'
    """
    item = _ellipsis_kept(one_line(text))
    return f"{item}." if item and not item.endswith((".", "…")) else item


def _items_lines(items: Sequence[str], prefix: Sequence[str]) -> list[str]:
    cleaned = [i for i in (list_item(item) for item in items) if i]
    return [_marked(f"{prefix[n]}{item}", ";" if n < len(cleaned) - 1 else ".")
            for n, item in enumerate(cleaned)]


def dash_list(items: Iterable[str] | None) -> list[str]:
    """Lines "- …;", the last "- …." (shortcomings, requests, recommendations).

    >>> dash_list(["Một", "- Hai;"])
    ['- Một;', '- Hai.']
    """
    values = list(items or [])
    return _items_lines(values, ["- "] * len(values))


def numbered_list(items: Iterable[str] | None) -> list[str]:
    """Lines "1. …;", the last "n. …." (contents to check).

    >>> numbered_list(["Phạm vi áp dụng;", "2. Việc thực hiện"])
    ['1. Phạm vi áp dụng;', '2. Việc thực hiện.']
    """
    values = list(items or [])
    return _items_lines(values, [f"{n}. " for n in range(1, len(values) + 1)])


def addressee_lines(addressees: Iterable[str]) -> list[str]:
    """Several addressees as the paragraphs of "Kính gửi:": the first on its line, each
    after a tab (the hanging indent's stop), "- …;", the last "- ….".

    >>> addressee_lines(["Sở Tài chính", "Sở Nội vụ."])
    ['Kính gửi:\\t- Sở Tài chính;', '\\t- Sở Nội vụ.']
    """
    lines = dash_list(list(addressees))
    return [("Kính gửi:\t" if n == 0 else "\t") + line for n, line in enumerate(lines)]


def archive_item(text: str) -> str:
    """The archive copy's words ("VT, TĐC") without "- Lưu:" or the final ".".

    >>> archive_item("- Lưu: VT, TĐC.")
    'VT, TĐC'
    """
    return _TRAILING_MARKS.sub("", _ARCHIVE_PREFIX.sub("", list_item(text))) or "VT"


# --- "Như trên": a recipient that is one of the addressees --------------------------------

_ABBREVIATIONS = {
    "ubnd": "ủy ban nhân dân",
    "hđnd": "hội đồng nhân dân",
    "tt.": "thường trực",
    "bcđ": "ban chỉ đạo",
    "kh&cn": "khoa học và công nghệ",
    "khcn": "khoa học và công nghệ",
    "tp.": "thành phố",
    "tp": "thành phố",
}
#: Old and new placement of the tone mark (hoà/hòa, uỷ/ủy): one spelling to compare.
_TONE_PAIRS = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe",
               "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy",
               "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
_TONE = re.compile("|".join(_TONE_PAIRS))
#: What a recipient line may add after the name: "(b/c)", "(để báo cáo)", "(để biết)".
_PURPOSE = re.compile(r"\s*\((?:để\s+)?(?:b/c|báo cáo|biết|t/h|thực hiện|p/h|phối hợp)\)\s*$",
                      re.IGNORECASE)
_PLACE_WORDS = tuple(LEVELS.values())
NHU_TREN = "Như trên"


def _words(name: str) -> list[str]:
    text = _TONE.sub(lambda m: _TONE_PAIRS[m.group(0)], _PURPOSE.sub("", name).casefold())
    words: list[str] = []
    for word in text.replace(",", " ").split():
        words.extend(_ABBREVIATIONS.get(word, word).split())
    return words


def _is_addressee(recipient: str, addressee: str) -> bool:
    """The recipient names the addressee: the same words, or its first words up to a
    place ("UBND tỉnh" for "Ủy ban nhân dân tỉnh Sóc Trăng", "Sở Tài chính" for "Sở Tài
    chính tỉnh Sóc Trăng")."""
    mine, theirs = _words(recipient), _words(addressee)
    if not mine or len(mine) > len(theirs) or theirs[:len(mine)] != mine:
        return False
    if len(mine) == len(theirs):
        return True
    rest = " ".join(theirs[len(mine):]) + " "
    ends_with_place = any(mine[-len(p.split()):] == p.split() for p in _PLACE_WORDS)
    return len(mine) >= 2 and (ends_with_place or rest.startswith(tuple(f"{p} " for p in _PLACE_WORDS)))


def recipient_items(recipients: Iterable[str], addressees: Sequence[str] = ()) -> list[str]:
    """Nơi nhận's items (words only: the template adds "- " and ";"); a recipient that
    is one of the addressees becomes "Như trên", once, first — as practice writes it.

    >>> recipient_items(["Bộ KH&CN (b/c)", "Sở Nội vụ"], ["Sở Nội vụ tỉnh Sóc Trăng"])
    ['Như trên', 'Bộ KH&CN (b/c)']
    >>> recipient_items(["UBND thành phố (b/c)", "Sở Xây dựng"], ["Ủy ban nhân dân thành phố Cần Thơ"])
    ['Như trên', 'Sở Xây dựng']
    """
    items = [i for i in (list_item(r) for r in recipients) if i]
    if not addressees:
        return items
    kept = [i for i in items if not any(_is_addressee(i, a) for a in addressees)]
    has_nhu_tren = any(i.casefold() == NHU_TREN.casefold() for i in kept)
    if len(kept) < len(items) and not has_nhu_tren:
        kept.insert(0, NHU_TREN)
    return kept
