"""Who is acting, for the audit logs (a round's log): never a key, only its fingerprint.

    api:<12 hex>     an API request: the SHA-256 of the key it offered (``api`` without keys)
    trang:<login>    a page, signed in: ``khóa <8 hex>`` (the session's keyed fingerprint of
                     its key) or the name of the trusted proxy's user header
    trang            a page on an installation without keys

``X-Docgen-User`` (API) or the page field ``_user`` add the clerk's own name, bounded and
stripped of control characters: ``api:3f2a9c1b7e4d (Nguyễn Thị Lan)``.
"""

from __future__ import annotations

import hashlib
import unicodedata

from flask import request

from docgen.http import sessions
from docgen.http.security import supplied_keys

__all__ = ["actor"]

MAX_NAME = 80


def _name(raw: str | None) -> str:
    text = "".join(c for c in unicodedata.normalize("NFC", raw or "")
                   if unicodedata.category(c)[0] != "C")
    return " ".join(text.split())[:MAX_NAME]


def actor() -> str:
    if request.path.startswith("/api/"):
        keys = supplied_keys()
        who = ("api:" + hashlib.sha256(keys[0].encode("utf-8")).hexdigest()[:12]) if keys \
            else "api"
        name = _name(request.headers.get("X-Docgen-User"))
    else:
        login = sessions.current_login()
        who = f"trang:{login.name[:100]}" if login is not None else "trang"
        name = _name(request.form.get("_user"))
    return f"{who} ({name})" if name else who
