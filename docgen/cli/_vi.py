"""click's own words in Vietnamese: "Cách dùng:", "Hiện hướng dẫn này rồi thoát.", …

click marks its strings with ``gettext`` (``from gettext import gettext as _`` in each
module) but ships no catalogue, so a clerk saw English help and errors beside docgen's
Vietnamese ones. :func:`install` points those module-level ``_``/``ngettext`` names at
this table; a string missing here stays English rather than breaking. Vietnamese has no
plural forms: both forms of an ``ngettext`` pair map to one text.
"""

from __future__ import annotations

import sys

MESSAGES: dict[str, str] = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Đối số",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Xem '{command} {option}' để biết cách dùng.",
    "Aborted!": "Đã dừng.",
    "Missing command.": "Thiếu lệnh.",
    "Missing argument": "Thiếu đối số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing {param_type}": "Thiếu {param_type}",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị.",
    "Argument {name!r} takes {nargs} values.": "Đối số {name!r} nhận {nargs} giá trị.",
    "Got unexpected extra argument ({args})": "Thừa đối số ({args})",
    "Got unexpected extra arguments ({args})": "Thừa đối số ({args})",
    "Did you mean {possibility}?": "Có phải ý bạn là {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Có phải ý bạn là một trong: {possibilities}?)",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: "
                                                 "{message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "{value!r} is not {choice}.": "{value!r} không phải {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không thuộc: {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải {number_type} hợp lệ.",
    "{value} is not in the range {range}.": "{value} không nằm trong khoảng {range}.",
    "{value!r} does not match the format {format}.": "{value!r} không đúng dạng {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} không đúng các dạng "
                                                       "{formats}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} không tồn tại.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} là một thư mục.",
    "{name} {filename!r} is a file.": "{name} {filename!r} là một tệp.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} không đọc được.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} không ghi được.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} không chạy được.",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
    "env var: {var}": "biến môi trường: {var}",
    "deprecated": "không còn dùng",
    "file": "tệp",
    "directory": "thư mục",
    "path": "đường dẫn",
    "integer": "số nguyên",
    "float": "số thực",
    "unknown error": "lỗi không rõ",
    "Do you want to continue?": "Tiếp tục?",
    "Press any key to continue...": "Nhấn một phím để tiếp tục…",
    "Repeat for confirmation": "Nhập lại để xác nhận",
    "Error: The two entered values do not match.": "Lỗi: hai giá trị nhập không khớp.",
    "Error: invalid input": "Lỗi: nhập không hợp lệ",
    "Confirm the action without prompting.": "Xác nhận mà không hỏi lại.",
}


def gettext(message: str) -> str:
    """click's ``_``: the Vietnamese of ``message``, or ``message`` itself.

    >>> gettext("Usage:"), gettext("not in the table")
    ('Cách dùng:', 'not in the table')
    """
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Point every loaded click module's ``_``/``ngettext`` at this table (idempotent)."""
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "click" or name.startswith("click.")):
            continue
        if callable(getattr(module, "_", None)):
            module._ = gettext  # type: ignore[attr-defined]
        if callable(getattr(module, "ngettext", None)):
            module.ngettext = ngettext  # type: ignore[attr-defined]
