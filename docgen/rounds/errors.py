"""Errors of the inspection rounds, in docgen's one tree (:mod:`docgen.errors`).

    DocgenError
    └── InputError
        ├── RoundNotFoundError           round_not_found             404
        ├── RoundUnitNotFoundError       round_unit_not_found        404
        ├── UnitNotOnSiteError           unit_not_on_site            409 (minutes/mark for a by-report unit)
        ├── UnitNotByReportError         unit_not_by_report          409 (report received from an on-site unit)
        ├── MinutesRegisteredError       minutes_already_registered  409 (numbered minutes are not replaced)
        ├── UnitHasMinutesError          unit_has_minutes            409 (not-inspected mark on an inspected unit)
        ├── RoundIncompleteError         round_incomplete            422 (on-site units with no result yet)
        ├── RoundNumberedError           round_numbered              409 (units edited / round deleted
        │                                                                 once a document is numbered)
        ├── UnitHasRecordsError          unit_has_records            409 (a unit with records removed
        │                                                                 or its mode changed)
        ├── UnitWithoutMinutesError      unit_has_no_minutes         409 (a notice for a unit without minutes)
        ├── NoSubmissionError            submission_not_found        404
        └── AttachmentNotFoundError      attachment_not_found        404

A minutes whose unit name differs from the round's unit is a ``ValidationError``
(422) with the field error ``unit.name`` / ``unit_name_mismatch``.
"""

from __future__ import annotations

from collections.abc import Sequence

from docgen.errors import InputError

__all__ = [
    "AttachmentNotFoundError",
    "MinutesRegisteredError",
    "NoSubmissionError",
    "RoundIncompleteError",
    "RoundNotFoundError",
    "RoundNumberedError",
    "RoundUnitNotFoundError",
    "UnitHasMinutesError",
    "UnitHasRecordsError",
    "UnitNotByReportError",
    "UnitNotOnSiteError",
    "UnitWithoutMinutesError",
]


class RoundNotFoundError(InputError):
    code = "round_not_found"
    title = "Không có đợt kiểm tra này"
    status = 404

    def __init__(self, round_id: int) -> None:
        self.round_id = round_id
        super().__init__(f"Không có đợt kiểm tra số {round_id}.")


class RoundUnitNotFoundError(InputError):
    code = "round_unit_not_found"
    title = "Không có đơn vị này trong đợt kiểm tra"
    status = 404

    def __init__(self, round_id: int, stt: int) -> None:
        self.round_id = round_id
        self.stt = stt
        super().__init__(f"Đợt kiểm tra số {round_id} không có đơn vị số thứ tự {stt}.")


class UnitNotOnSiteError(InputError):
    """Only an on-site unit has minutes (or can be "not inspected")."""

    code = "unit_not_on_site"
    title = "Đơn vị không kiểm tra tại trụ sở"
    status = 409

    def __init__(self, stt: int, name: str) -> None:
        self.stt = stt
        self.unit = name
        super().__init__(f"{name} (STT {stt}) được kiểm tra qua báo cáo, không kiểm tra tại "
                         "trụ sở: không có biên bản kiểm tra.")


class UnitNotByReportError(InputError):
    """Only a by-report unit sends a report instead of being inspected."""

    code = "unit_not_by_report"
    title = "Đơn vị không kiểm tra qua báo cáo"
    status = 409

    def __init__(self, stt: int, name: str) -> None:
        self.stt = stt
        self.unit = name
        super().__init__(f"{name} (STT {stt}) được kiểm tra tại trụ sở, không kiểm tra qua "
                         "báo cáo.")


class MinutesRegisteredError(InputError):
    """A numbered (issued) minutes stays as it was issued."""

    code = "minutes_already_registered"
    title = "Biên bản đã được cấp số"
    status = 409

    def __init__(self, stt: int, name: str, symbol: str) -> None:
        self.stt = stt
        self.unit = name
        self.symbol = symbol
        super().__init__(f"Biên bản kiểm tra tại {name} (STT {stt}) đã được cấp số {symbol} "
                         "trong sổ đăng ký văn bản đi; không thay thế được.")


class UnitHasMinutesError(InputError):
    code = "unit_has_minutes"
    title = "Đơn vị đã có biên bản kiểm tra"
    status = 409

    def __init__(self, stt: int, name: str) -> None:
        self.stt = stt
        self.unit = name
        super().__init__(f"{name} (STT {stt}) đã có biên bản kiểm tra; không thể ghi là "
                         "chưa kiểm tra được.")


class RoundIncompleteError(InputError):
    """On-site units with neither minutes nor a not-inspected mark: the report would lie."""

    code = "round_incomplete"
    title = "Đợt kiểm tra chưa đủ kết quả"
    status = 422

    def __init__(self, pending: Sequence[tuple[int, str]], *,
                 allow: str = "?allow_incomplete=true") -> None:
        #: (stt, name) of each on-site unit still without a result.
        self.pending = list(pending)
        shown = ", ".join(f"{name} (STT {stt})" for stt, name in self.pending[:5])
        more = f" và {len(self.pending) - 5} đơn vị khác" if len(self.pending) > 5 else ""
        super().__init__(
            f"Còn {len(self.pending)} đơn vị kiểm tra tại trụ sở chưa có biên bản cũng chưa "
            f"được ghi là chưa kiểm tra được: {shown}{more}. Hãy ghi kết quả, hoặc lập báo cáo "
            f"với {allow} (báo cáo sẽ nêu số đơn vị còn thiếu).")


class RoundNumberedError(InputError):
    """Once a document of the round is in the register, its unit list is what was issued."""

    code = "round_numbered"
    title = "Đợt kiểm tra đã có văn bản được cấp số"
    status = 409

    def __init__(self, round_id: int, symbol: str, what: str) -> None:
        self.round_id = round_id
        self.symbol = symbol
        super().__init__(f"Đợt kiểm tra số {round_id} đã có văn bản được cấp số ({symbol}) "
                         f"trong sổ đăng ký văn bản đi; không thể {what}.")


class UnitHasRecordsError(InputError):
    code = "unit_has_records"
    title = "Đơn vị đã có kết quả ghi nhận"
    status = 409

    def __init__(self, stt: int, name: str) -> None:
        self.stt = stt
        self.unit = name
        super().__init__(f"{name} (STT {stt}) đã có biên bản, báo cáo hoặc thông báo; không "
                         "thể bỏ đơn vị này, đổi tên hay đổi hình thức kiểm tra.")


class UnitWithoutMinutesError(InputError):
    code = "unit_has_no_minutes"
    title = "Đơn vị chưa có biên bản kiểm tra"
    status = 409

    def __init__(self, stt: int, name: str) -> None:
        self.stt = stt
        self.unit = name
        super().__init__(f"{name} (STT {stt}) chưa có biên bản kiểm tra; chưa lập được thông "
                         "báo kết quả kiểm tra.")


class NoSubmissionError(InputError):
    code = "submission_not_found"
    title = "Đơn vị chưa gửi báo cáo"
    status = 404

    def __init__(self, stt: int, name: str) -> None:
        self.stt = stt
        self.unit = name
        super().__init__(f"{name} (STT {stt}) chưa có báo cáo được ghi nhận.")


class AttachmentNotFoundError(InputError):
    code = "attachment_not_found"
    title = "Không có tệp đính kèm này"
    status = 404

    def __init__(self, attachment_id: int) -> None:
        self.attachment_id = attachment_id
        super().__init__(f"Không có tệp đính kèm số {attachment_id}.")
