"""Numbers and sums of money in Vietnamese words, as accounting writes them.

No decree governs this; these are the accounting and banking conventions:

- the number is cut into blocks of nine digits, each read in groups of three
  (trăm ... triệu, nghìn, đơn vị) and followed by one "tỷ" per block level:
  10^12 is "một nghìn tỷ", 10^15 "một triệu tỷ", 10^18 "một tỷ tỷ",
  5.003.000.000.000 "năm nghìn không trăm lẻ ba tỷ" and
  1.000.002.000.000.000.000 "một tỷ tỷ không trăm lẻ hai nghìn tỷ" (the "tỷ tỷ"
  is repeated rather than factored out, so no "tỷ" is left implicit);
- a group that is entirely zero is skipped ("một tỷ", not "một tỷ không triệu");
- every group after the first spoken one reads its hundreds, even a zero:
  1.005.000 is "một triệu không trăm lẻ năm nghìn";
- a zero tens digit before a non-zero unit reads "lẻ" (or "linh", the more
  formal choice): 105 is "một trăm lẻ năm";
- "mười" for 10–19 and "mươi" for 20 and up;
- a unit 1 after "mươi" reads "mốt" (21 "hai mươi mốt") but "một" after
  "mười" or "lẻ" (11 "mười một", 101 "một trăm lẻ một");
- a unit 5 after any non-zero tens reads "lăm" (15 "mười lăm", 25 "hai mươi
  lăm") but "năm" after "lẻ" (105 "một trăm lẻ năm");
- a unit 4 after "mươi" may read "tư" (24 "hai mươi tư"); "bốn" is the safe
  default and is always used after "mười" and "lẻ";
- "nghìn", never the colloquial "ngàn".

Numbers from 0 up to (not including) 10^21 are read; anything else — negative,
fractional, NaN, ``bool``, ``None``, strings — is refused with a Vietnamese
message, because an amount printed wrongly in words is worse than no document.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from docgen.vi._coerce import describe, to_decimal

__all__ = ["UPPER_BOUND", "amount_in_words", "number_in_words"]

#: Exclusive upper bound of the numbers read: up to "... tỷ tỷ".
UPPER_BOUND = 10**21

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUP_NAMES = ("", "nghìn", "triệu")  # then "tỷ", applied recursively
_BILLION = 10**9
_ZERO_TENS_CHOICES = ("lẻ", "linh")
_FOUR_CHOICES = ("bốn", "tư")


def _option(value: object, name: str, choices: tuple[str, ...]) -> str:
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value)
        if value in choices:
            return value
    allowed = " hoặc ".join(f'"{choice}"' for choice in choices)
    raise ValueError(f"Tuỳ chọn {name} phải là {allowed}, nhận được {describe(value)}")


def _to_count(n: object, what: str) -> int:
    """Return ``n`` as a whole number in ``[0, UPPER_BOUND)``, or raise."""
    if n is None:
        raise TypeError(f"{what} bị trống (None): không thể đọc thành chữ")
    value = to_decimal(n, what)
    if value < 0:
        raise ValueError(f"{what} phải là số nguyên không âm, nhận được {n}")
    if value != value.to_integral_value():
        raise ValueError(f"{what} phải là số nguyên (không có phần thập phân), nhận được {n}")
    if value >= UPPER_BOUND:
        raise ValueError(
            f"{what} quá lớn: chỉ đọc được số nhỏ hơn 10^21 (một nghìn tỷ tỷ), nhận được {n}"
        )
    return int(value)


def _tens_and_units(
    tens: int, units: int, after_hundreds: bool, zero_tens: str, four: str
) -> list[str]:
    if tens == 0:
        if units == 0:
            return []
        # "lẻ" joins a unit to a spoken hundreds; "một trăm lẻ năm", never "lẻ lăm".
        return [zero_tens, _DIGITS[units]] if after_hundreds else [_DIGITS[units]]
    words = ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens > 1 else "một")
    elif units == 4:
        words.append(four if tens > 1 else "bốn")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def _read_group(group: int, full: bool, zero_tens: str, four: str) -> list[str]:
    """Read one group of three digits; ``full`` reads a zero hundreds too."""
    hundreds, rest = divmod(group, 100)
    tens, units = divmod(rest, 10)
    words = [_DIGITS[hundreds], "trăm"] if hundreds or full else []
    return words + _tens_and_units(tens, units, bool(words), zero_tens, four)


def _read_below_billion(n: int, leading: bool, zero_tens: str, four: str) -> list[str]:
    groups = [(n // 1000**i) % 1000 for i in (2, 1, 0)]
    words: list[str] = []
    for index, group in zip((2, 1, 0), groups, strict=True):
        if group == 0:
            continue
        # Only the very first spoken group of the whole number may drop its hundreds.
        words += _read_group(group, full=not leading or bool(words), zero_tens=zero_tens, four=four)
        if _GROUP_NAMES[index]:
            words.append(_GROUP_NAMES[index])
    return words


def _read(n: int, zero_tens: str, four: str) -> list[str]:
    blocks: list[int] = []  # nine digits each, least significant first
    while n:
        n, block = divmod(n, _BILLION)
        blocks.append(block)
    words: list[str] = []
    for level in range(len(blocks) - 1, -1, -1):
        if blocks[level] == 0:
            continue
        words += _read_below_billion(blocks[level], not words, zero_tens, four)
        # Each level of nine digits adds one "tỷ": 10^18 is "tỷ tỷ", so the
        # reader never has to guess which "tỷ" a "nghìn" belongs to.
        words += ["tỷ"] * level
    return words


def number_in_words(n: int, *, zero_tens: str = "lẻ", four: str = "bốn") -> str:
    """Read a whole number ``0 <= n < 10**21`` in lower-case Vietnamese words.

    ``zero_tens`` is "lẻ" (default) or "linh"; ``four`` is "bốn" (default) or
    "tư", used for a unit 4 after "mươi" only. Integral ``float`` and
    ``Decimal`` values are accepted.

    >>> number_in_words(0)
    'không'
    >>> number_in_words(105)
    'một trăm lẻ năm'
    >>> number_in_words(105, zero_tens="linh")
    'một trăm linh năm'
    >>> number_in_words(21)
    'hai mươi mốt'
    >>> number_in_words(24, four="tư")
    'hai mươi tư'
    >>> number_in_words(1005000)
    'một triệu không trăm lẻ năm nghìn'
    """
    count = _to_count(n, "Số")
    zero_tens = _option(zero_tens, "zero_tens", _ZERO_TENS_CHOICES)
    four = _option(four, "four", _FOUR_CHOICES)
    if count == 0:
        return _DIGITS[0]
    return " ".join(_read(count, zero_tens, four))


def amount_in_words(
    n: int | Decimal,
    *,
    zero_tens: str = "lẻ",
    four: str = "bốn",
    currency: str = "đồng",
    exact: bool = False,
) -> str:
    """A sum of money in words for "Bằng chữ:" lines: capitalised, ending in the currency.

    ``exact=True`` appends "chẵn" after the currency, as a payment line may do
    to state that the sum has no odd part. It is never added on its own: the
    caller decides when a document wants it. An empty ``currency`` leaves the
    currency word out. Options as in :func:`number_in_words`.

    >>> amount_in_words(1005000)
    'Một triệu không trăm lẻ năm nghìn đồng'
    >>> amount_in_words(15000000)
    'Mười lăm triệu đồng'
    >>> amount_in_words(1000000000, exact=True)
    'Một tỷ đồng chẵn'
    >>> amount_in_words(-5)
    Traceback (most recent call last):
    ...
    ValueError: Số tiền phải là số nguyên không âm, nhận được -5
    """
    if not isinstance(currency, str):
        raise TypeError(f"Đơn vị tiền phải là chuỗi, nhận được {describe(currency)}")
    if not isinstance(exact, bool):
        raise TypeError(f"Tuỳ chọn exact phải là True hoặc False, nhận được {describe(exact)}")
    count = _to_count(n, "Số tiền")
    words = number_in_words(count, zero_tens=zero_tens, four=four)
    parts = [words[0].upper() + words[1:]]
    currency = unicodedata.normalize("NFC", currency.strip())
    if currency:
        parts.append(currency)
    if exact:
        parts.append("chẵn")
    return " ".join(parts)
