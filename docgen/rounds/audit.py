"""The audit log of a round: every action a clerk takes, who took it and when.

:func:`log` adds a line inside the caller's writing transaction (the line commits with
the change it records, or not at all); :func:`events` reads them back, newest last.
``actor`` is who acted as docgen knows them: ``api:<12 hex>`` (the API key's
fingerprint), ``trang:<12 hex>`` (a page login), ``cli:<user>`` (the command line) —
with the name the clerk gave (``X-Docgen-User``, ``--user``) after it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.register.models import utcnow
from docgen.rounds.models import RoundEvent

__all__ = ["ACTIONS", "events", "log"]

#: action -> what the page shows for it.
ACTIONS = {
    "upgrade": "Nâng cấp dữ liệu",
    "create": "Tạo đợt kiểm tra",
    "edit": "Sửa đợt kiểm tra",
    "units": "Sửa danh sách đơn vị",
    "delete": "Xóa đợt kiểm tra (dự thảo)",
    "plan": "Kế hoạch kiểm tra",
    "decision": "Quyết định thành lập Đoàn kiểm tra",
    "minutes": "Biên bản kiểm tra",
    "not_inspected": "Chưa kiểm tra được",
    "reported": "Nhận báo cáo",
    "submission": "Nhận báo cáo",
    "attachment": "Tệp đính kèm báo cáo",
    "letter": "Công văn đề nghị gửi báo cáo",
    "notice": "Thông báo kết quả kiểm tra",
    "corrections": "Báo cáo khắc phục",
    "report": "Báo cáo kết quả kiểm tra",
}

MAX_ACTOR = 200
UNKNOWN = "không rõ"


def log(session: Session, round_id: int, actor: str, action: str, detail: str,
        stt: int | None = None) -> None:
    session.add(RoundEvent(round_id=round_id, at=utcnow(), actor=(actor or UNKNOWN)[:MAX_ACTOR],
                           action=action, stt=stt, detail=detail))


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


#: Ids are 32-bit integers in the database: a larger one names no round (and SQLite
#: would overflow binding it).
MAX_ID = 2**31 - 1


def events(session: Session, round_id: int) -> list[dict[str, Any]]:
    if not 0 < round_id <= MAX_ID:
        return []
    rows = session.scalars(select(RoundEvent).where(RoundEvent.round_id == round_id)
                           .order_by(RoundEvent.id)).all()
    return [{"at": _utc(e.at).isoformat(timespec="seconds"), "actor": e.actor,
             "action": e.action, "what": ACTIONS.get(e.action, e.action), "stt": e.stt,
             "detail": e.detail} for e in rows]
