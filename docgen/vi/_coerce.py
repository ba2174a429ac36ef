"""Turn the numbers the formatters accept into exact ``Decimal`` values.

Internal to :mod:`docgen.vi`. Every formatter that takes a number goes through
:func:`to_decimal`, so they all refuse the same things the same way:

- ``bool`` is refused although it is an ``int``: ``True`` in a payload is a
  data error, never the number one;
- NaN and infinities are refused: no document may print "NaN";
- a ``float`` is read through its ``repr`` (the shortest decimal that round-trips),
  so ``2.675`` rounds as the 2.675 the user typed, not as the binary
  2.67499999... that the float really holds.

Messages are Vietnamese, because the people who read them are.
"""

from __future__ import annotations

import decimal
from decimal import Decimal

__all__ = ["Number", "describe", "quantize_half_up", "to_decimal"]

#: What the numeric formatters accept.
Number = int | float | Decimal


def describe(value: object) -> str:
    """Name a refused value for an error message: its type and its repr.

    >>> describe("abc")
    "str 'abc'"
    >>> describe(None)
    'None'
    """
    if value is None:
        return "None"
    return f"{type(value).__name__} {value!r}"


def to_decimal(value: object, what: str = "Giá trị") -> Decimal:
    """Return ``value`` as a finite ``Decimal``, or raise.

    ``what`` names the value in the message ("Số tiền", "Tỷ lệ", ...).

    >>> to_decimal(2.675)
    Decimal('2.675')
    >>> to_decimal(True)
    Traceback (most recent call last):
    ...
    TypeError: Giá trị phải là số (int, float hoặc Decimal), nhận được bool True
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"{what} phải là số (int, float hoặc Decimal), nhận được {describe(value)}")
    if isinstance(value, int):
        return Decimal(value)
    result = Decimal(repr(value)) if isinstance(value, float) else value
    if not result.is_finite():
        raise ValueError(f"{what} phải là một số hữu hạn, nhận được {value!r}")
    return result


def quantize_half_up(value: Decimal, places: int) -> Decimal:
    """Round ``value`` to ``places`` decimals, halves away from zero.

    Accounting rounds 0,5 up; Python's default (and Babel's) rounds half to even.
    The context is widened so that large values never overflow its precision.
    A negative zero comes back as plain zero, so "-0" is never printed.

    >>> quantize_half_up(Decimal("2.665"), 2)
    Decimal('2.67')
    >>> quantize_half_up(Decimal("-0.004"), 2)
    Decimal('0.00')
    """
    exponent = Decimal(1).scaleb(-places)
    digits = max(value.adjusted(), 0) + places + 2
    context = decimal.Context(prec=max(digits, 28), rounding=decimal.ROUND_HALF_UP)
    result = value.quantize(exponent, context=context)
    return result.copy_abs() if result.is_zero() else result
