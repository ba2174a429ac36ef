"""Errors of the job layer, in docgen's tree (``docgen.errors``) by inheritance:

    InputError
    ├── JobNotFoundError        job_not_found       404 (no such job, or expired)
    └── JobNotFinishedError     job_not_finished    409 (no result yet, or none: failed/cancelled)
    DocgenError
    └── JobsUnavailableError    jobs_unavailable    503 (the Celery broker cannot be reached)
"""

from __future__ import annotations

from docgen.errors import DocgenError, InputError


class JobNotFoundError(InputError):
    code = "job_not_found"
    title = "Không tìm thấy việc tạo hàng loạt"
    status = 404

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        super().__init__(
            f"Không có việc '{job_id}' (hoặc kết quả đã hết hạn lưu và bị xóa)."
        )


class JobNotFinishedError(InputError):
    code = "job_not_finished"
    title = "Việc chưa có kết quả"
    status = 409

    def __init__(self, job_id: str, state: str, state_title: str) -> None:
        self.job_id = job_id
        self.state = state
        super().__init__(f"Việc '{job_id}' chưa có kết quả để tải: {state_title.lower()}.")


class JobsUnavailableError(DocgenError):
    code = "jobs_unavailable"
    title = "Hàng đợi việc không sẵn sàng"
    status = 503


__all__ = ["JobNotFinishedError", "JobNotFoundError", "JobsUnavailableError"]
