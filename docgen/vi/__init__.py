"""Vietnamese formatting for administrative documents (Decree 30/2020/NĐ-CP).

Pure functions, no I/O, no Flask: dates and times (:mod:`~docgen.vi.dates`),
numbers and percentages (:mod:`~docgen.vi.numbers`), numbers and money in words
(:mod:`~docgen.vi.words`), document numbers (:mod:`~docgen.vi.symbols`), text
hygiene (:mod:`~docgen.vi.text`), and :data:`FILTERS`, the same functions as
Jinja filters for Word templates (:mod:`~docgen.vi.filters`).

>>> date_line("2017-12-14", "Sóc Trăng")
'Sóc Trăng, ngày 14 tháng 12 năm 2017'
>>> document_number(5, "KH", "SKHCN")
'05/KH-SKHCN'
>>> format_percent(46 / 120)
'38,33%'
>>> amount_in_words(2050000)
'Hai triệu không trăm năm mươi nghìn đồng'
"""

from docgen.vi.dates import date_line, date_short, period_text, time_of_day
from docgen.vi.filters import FILTERS
from docgen.vi.numbers import (
    format_count,
    format_number,
    format_percent,
    format_share,
    two_digits,
)
from docgen.vi.symbols import BLANK_NUMBER, document_number, is_code
from docgen.vi.text import find_illegal_xml_char, normalize_text
from docgen.vi.words import amount_in_words, number_in_words

__all__ = [
    "BLANK_NUMBER",
    "FILTERS",
    "amount_in_words",
    "date_line",
    "date_short",
    "document_number",
    "find_illegal_xml_char",
    "format_count",
    "format_number",
    "format_percent",
    "format_share",
    "is_code",
    "normalize_text",
    "number_in_words",
    "period_text",
    "time_of_day",
    "two_digits",
]
