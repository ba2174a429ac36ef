"""Numbers and percentages as Vietnamese documents write them.

A dot groups thousands and a comma is the decimal sign (``1.234.567,5``);
percentages follow the same rule with the sign stuck to the number
(``95,34%``). Grouping and symbols are those of CLDR's ``vi_VN`` locale as Babel
ships it (``#,##0.###``, group ``.``, decimal ``,``, minus ``-``), written out here:
loading Babel's locale data costs ~40 ms, a fifth of a ``docgen render`` from the
command line. tests/test_startup.py formats a long table both ways, through Babel
and here, and requires the same text.

Rounding is always half up (accounting's rule), done here on exact
``Decimal`` values (Babel would round half to even).
"""

from __future__ import annotations

import decimal
from decimal import Decimal

from docgen.vi._coerce import Number, describe, quantize_half_up, to_decimal

__all__ = [
    "MAX_DEFAULT_DECIMALS", "format_count", "format_number", "format_percent", "format_share",
    "two_digits",
]

#: ``vi_VN``'s number symbols (CLDR): between thousands, before decimals, minus sign.
GROUP_SYMBOL, DECIMAL_SYMBOL, MINUS_SIGN = ".", ",", "-"

#: Decimals shown when none are asked for: the ``vi_VN`` pattern's maximum
#: (``#,##0.###``), so a float such as 0.1 + 0.2 prints as "0,3".
MAX_DEFAULT_DECIMALS = 3


def _check_decimals(decimals: object) -> int:
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(
            f"Số chữ số thập phân phải là số nguyên không âm, nhận được {describe(decimals)}"
        )
    return decimals


def _significant_decimals(value: Decimal, decimals: int) -> int:
    """How many of the ``decimals`` places of ``value`` remain once trailing zeros go.

    ``value`` must already be quantized to ``decimals`` places.

    Counted on the digits rather than with ``Decimal.normalize``, which would
    round values longer than the context's 28 digits.
    """
    if value.is_zero():
        return 0
    trailing_zeros = 0
    for digit in reversed(value.as_tuple().digits):
        if digit:
            break
        trailing_zeros += 1
    return max(decimals - trailing_zeros, 0)


def _format(value: Decimal, decimals: int, *, keep_zeros: bool) -> str:
    """Round ``value`` half up, then group and localise it as ``vi_VN`` does."""
    rounded = quantize_half_up(value, decimals)
    if not keep_zeros:
        # Drop the zeros after the comma (and the comma with them): 50,00 -> 50.
        decimals = _significant_decimals(rounded, decimals)
        rounded = quantize_half_up(rounded, decimals)
    return _grouped(rounded)


def _grouped(rounded: Decimal) -> str:
    """``rounded`` (already quantized: its exponent is the decimals to show) in the
    ``vi_VN`` pattern ``#,##0.0…``: groups of three, exactly its decimals.

    >>> _grouped(Decimal("-1234567.50")), _grouped(Decimal("0")), _grouped(Decimal("999"))
    ('-1.234.567,50', '0', '999')
    """
    whole, _, fraction = format(rounded.copy_abs(), "f").partition(".")  # exact digits
    head = len(whole) % 3 or 3
    groups = [whole[:head], *(whole[i:i + 3] for i in range(head, len(whole), 3))]
    text = GROUP_SYMBOL.join(groups)
    if fraction:
        text += DECIMAL_SYMBOL + fraction
    return MINUS_SIGN + text if rounded.is_signed() else text


def format_number(x: Number, decimals: int | None = None) -> str:
    """Format ``x`` the Vietnamese way: ``.`` between thousands, ``,`` before decimals.

    With ``decimals=None`` the value shows as many decimals as it has, at most
    three (rounded half up), with no trailing zeros. With ``decimals=n`` it shows
    exactly ``n`` decimals, rounded half up.

    >>> format_number(1234567.5)
    '1.234.567,5'
    >>> format_number(1234567)
    '1.234.567'
    >>> format_number(-1234)
    '-1.234'
    >>> format_number(Decimal("2.665"), 2)
    '2,67'
    >>> format_number(1234.5, 0)
    '1.235'
    >>> format_number(12, 2)
    '12,00'
    """
    value = to_decimal(x, "Số")
    if decimals is None:
        return _format(value, MAX_DEFAULT_DECIMALS, keep_zeros=False)
    return _format(value, _check_decimals(decimals), keep_zeros=True)


def format_percent(ratio: Number, decimals: int = 2) -> str:
    """Format a ratio as a percentage: ``0.9534`` becomes ``"95,34%"``.

    The ratio is multiplied by 100 and rounded half up to ``decimals`` places;
    then trailing zeros after the comma are dropped, as Vietnamese reports write
    "50%" rather than "50,00%". ``decimals`` is therefore a maximum.

    >>> format_percent(0.9534)
    '95,34%'
    >>> format_percent(46 / 120)
    '38,33%'
    >>> format_percent(0.5)
    '50%'
    >>> format_percent(0.955)
    '95,5%'
    >>> format_percent(12.345)
    '1.234,5%'
    """
    value = to_decimal(ratio, "Tỷ lệ")
    # Shift the point exactly: the default context would round past 28 digits.
    exact = decimal.Context(prec=max(28, len(value.as_tuple().digits)))
    percent = value.scaleb(2, context=exact)
    return _format(percent, _check_decimals(decimals), keep_zeros=False) + "%"


def format_share(numerator: int, denominator: int) -> str:
    """A count out of a total with its share, as reports write it: ``118/124 = 95,16%``.

    The share is computed exactly (no float) and formatted by :func:`format_percent`;
    both counts take thousands dots.

    >>> format_share(118, 124)
    '118/124 = 95,16%'
    >>> format_share(1200, 1250)
    '1.200/1.250 = 96%'
    """
    if not isinstance(denominator, int) or isinstance(denominator, bool) or denominator <= 0:
        raise ValueError(f"Tổng số phải lớn hơn 0, nhận được {describe(denominator)}")
    share = format_percent(Decimal(numerator) / Decimal(denominator))
    return f"{format_number(numerator)}/{format_number(denominator)} = {share}"


def format_count(n: int) -> str:
    """A count as the documents print it: dots between thousands, two digits below 10.

    Every type writes counts this one way (issue 15, point 6): "1.200 cơ quan", "09 đơn
    vị", "02 bản". The leading zero below 10 is Decree 30's rule for numbers (a document
    number is "05"), kept for counts for the reason DOMAIN.md gives for dates — a typed
    1 cannot become 11 after signing — and as minutes already wrote "02 bản". Zero is
    "0": a zero count is not written as a sentence (the templates leave it out), only
    in a table of figures.

    >>> format_count(9), format_count(46), format_count(1200), format_count(0)
    ('09', '46', '1.200', '0')
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"Số đếm phải là số nguyên, nhận được {describe(n)}")
    if n < 0:
        raise ValueError(f"Số đếm không được âm, nhận được {n}")
    return two_digits(n) if 0 < n < 10 else format_number(n)


def two_digits(n: int) -> str:
    """Write a non-negative integer with at least two digits.

    >>> two_digits(2)
    '02'
    >>> two_digits(12)
    '12'
    >>> two_digits(105)
    '105'
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"Cần một số nguyên, nhận được {describe(n)}")
    if n < 0:
        raise ValueError(f"Cần một số nguyên không âm, nhận được {n}")
    return f"{n:02d}"
