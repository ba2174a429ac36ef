"""The administrative level of an issuer, read from its names: tỉnh, thành phố, huyện, xã …

Wording such as "Đoàn kiểm tra cải cách hành chính của tỉnh" or "Đối với UBND tỉnh"
follows the level of the local government an agency belongs to (DOMAIN.md): a
department of a city under the central government writes "của thành phố", a
commune's People's Committee "của xã". The level is the first unit word of the
parent body's name, then of the agency's own ("UBND **tỉnh** Sóc Trăng", "Sở Khoa
học và Công nghệ **thành phố** Cần Thơ"); a clerk may also state it.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["DEFAULT_LEVEL", "LEVELS", "is_collective_body", "level_of", "level_word"]

#: value -> the word printed in the body (and the form's label, capitalised).
LEVELS = {
    "tinh": "tỉnh",
    "thanh_pho": "thành phố",
    "huyen": "huyện",
    "quan": "quận",
    "thi_xa": "thị xã",
    "xa": "xã",
    "phuong": "phường",
    "thi_tran": "thị trấn",
}

#: What documents said before the level was read from the names.
DEFAULT_LEVEL = "tinh"

# Longer words first: "thị xã" before "xã", "thị trấn" before nothing shorter.
_WORDS = sorted(LEVELS.items(), key=lambda kv: -len(kv[1]))
_UNIT = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(word) for _, word in _WORDS) + r")\s+(?=[^\W_])",
    re.IGNORECASE,
)
_COLLECTIVE = re.compile(r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd|ban chỉ đạo|bcđ)(?!\w)",
                         re.IGNORECASE)


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").replace("\n", " ")


def level_of(*names: str | None) -> str | None:
    """The level value (a key of :data:`LEVELS`) named first in ``names``, or None.

    The word must stand before a name that starts with a capital or a figure, so
    "xã hội" or "huyện" at the end of a phrase is not read as a level.

    >>> level_of("UBND tỉnh Sóc Trăng", "Sở Khoa học và Công nghệ")
    'tinh'
    >>> level_of(None, "Sở Khoa học và Công nghệ thành phố Cần Thơ")
    'thanh_pho'
    >>> level_of("Ủy ban nhân dân thị xã Vĩnh Châu")
    'thi_xa'
    >>> level_of("UBND phường 3")
    'phuong'
    >>> level_of("Bộ Khoa học và Công nghệ") is None
    True
    """
    for name in names:
        for match in _UNIT.finditer(_nfc(name)):
            following = _nfc(name)[match.end():match.end() + 1]
            if following.isupper() or following.isdigit():
                word = match.group(1).lower()
                return next(key for key, w in LEVELS.items() if w == word)
    return None


def level_word(agency: dict[str, object]) -> str:
    """The level word of an agency: stated (``agency.level``), read from its names, or
    "tỉnh" (what the templates printed before).

    >>> level_word({"parent_name": "UBND thành phố Cần Thơ", "name": "Sở Nội vụ"})
    'thành phố'
    >>> level_word({"name": "Sở Nội vụ", "level": "huyen"})
    'huyện'
    >>> level_word({"name": "Sở Nội vụ"})
    'tỉnh'
    """
    stated = agency.get("level")
    if isinstance(stated, str) and stated in LEVELS:
        return LEVELS[stated]
    found = level_of(str(agency.get("parent_name") or ""), str(agency.get("name") or ""))
    return LEVELS[found or DEFAULT_LEVEL]


def is_collective_body(name: str | None) -> bool:
    """A People's Committee or a steering committee: a body that *issues* ("ban hành")
    what a department *drafts* ("xây dựng").

    >>> is_collective_body("Ủy ban nhân dân tỉnh Sóc Trăng"), is_collective_body("Sở Nội vụ")
    (True, False)
    """
    return bool(_COLLECTIVE.match(_nfc(name).strip()))
