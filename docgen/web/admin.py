"""The administrators' page: the document types, their template versions, upload, deploy.

    GET  /admin/templates                      every loaded type; upload a new type's pack
    GET  /admin/templates/<id>                 its versions; upload a template or a pack;
                                               deploy any version (a roll-back too)
    POST /admin/login, /admin/logout           sign in with an administrator key

After an upload the type's page shows what ``docgen check`` found (the warnings; errors
refuse the upload and are listed with the refusal). Signing in takes a key from ``DOCGEN_ADMIN_KEYS``; the session (Flask's signed cookie,
``DOCGEN_SECRET_KEY``) then holds the key's fingerprint — never the key — which the store
records as the author. Every form carries a CSRF token bound to the session. Without
administrator keys the page says so and changes nothing. Uploads go through the same
:class:`~docgen.store.TemplateStore` calls as the API, so a refusal is the same message.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import (
    Blueprint,
    Flask,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response as WerkzeugResponse

from docgen.catalog import DOCUMENT_TYPES, get_type
from docgen.config import Settings
from docgen.errors import DocgenError, InputError, TooManyAttemptsError
from docgen.http import csrf, throttle
from docgen.http.access_log import note
from docgen.http.security import admin_fingerprint
from docgen.store import EXTENSION, Added, TemplateStore

bp = Blueprint("admin_web", __name__, url_prefix="/admin", template_folder="templates")

SESSION_KEY = "docgen_admin"


def _store() -> TemplateStore:
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]


def csrf_token() -> str:
    """The pages' one CSRF token (docgen.http.csrf): every page POST, these included, is
    checked for it and for its origin before the view runs."""
    return csrf.token()


def _admin() -> str | None:
    return session.get(SESSION_KEY)


def _locked() -> bool:
    return not current_app.config["DOCGEN"].admin_keys


def _page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(template, admin=_admin(), locked=_locked(),
                           csrf=csrf_token(), **context), status


@bp.get("/templates")
def types_page() -> tuple[str, int]:
    if not _admin():
        return _page("admin_login.html", 403 if _locked() else 200)
    store = _store()
    numbers = {k.id: store.deployed_version(k.id) for k in DOCUMENT_TYPES.values()
               if k.source == "store"}
    return _page("admin_types.html", types=list(DOCUMENT_TYPES.values()), numbers=numbers,
                 message=request.args.get("ok", ""))


@bp.get("/templates/<doc_type>")
def type_page(doc_type: str, error: DocgenError | None = None, status: int = 200,
              added: Added | None = None, message: str = "") -> tuple[str, int]:
    if not _admin():
        return _page("admin_login.html", 403 if _locked() else 200)
    kind = get_type(doc_type)
    note(doc_type=kind.id)
    return _page("admin_type.html", status, kind=kind, versions=_store().versions(kind.id),
                 base=DOCUMENT_TYPES.base().get(kind.id), error=error, added=added,
                 message=message or request.args.get("ok", ""))


def _stored(added: Added, message: str) -> tuple[str, int]:
    """The type's page right after an upload, with what ``docgen check`` said of it (its
    warnings; errors refuse an upload): they are not stored, so they are shown now."""
    warnings = f" ({len(added.findings)} cảnh báo khi kiểm tra)" if added.findings else ""
    return type_page(added.info.type_id, status=201, added=added,
                     message=f"{message}{warnings}")


@bp.post("/login")
def login() -> Any:
    if _locked():
        return _page("admin_login.html", 403)
    try:
        throttle.check()
    except TooManyAttemptsError as exc:
        html, status = _page("admin_login.html", exc.status, wrong=exc.message)
        return html, status, {"Retry-After": str(exc.retry_after)}
    who = admin_fingerprint(request.form.get("key", "").strip())
    if who is None:
        throttle.failed()
        return _page("admin_login.html", 401, wrong=True)
    throttle.succeeded()
    session.clear()
    session[SESSION_KEY] = who
    return redirect(url_for("admin_web.types_page"))


@bp.post("/logout")
def logout() -> WerkzeugResponse:
    session.clear()
    return redirect(url_for("admin_web.types_page"))


def _signed_in() -> str:
    who = _admin()
    if who is None or _locked():
        from docgen.store.errors import AdminKeyRequiredError

        raise AdminKeyRequiredError("Đăng nhập bằng khóa quản trị trước khi thay đổi kho mẫu.")
    return who


def _file(field: str) -> tuple[bytes, str] | None:
    settings: Settings = current_app.config["DOCGEN"]
    request.max_content_length = settings.store_max_bytes + 64 * 1024
    try:
        upload = request.files.get(field)
    except RequestEntityTooLarge as exc:
        from docgen.store.errors import UploadTooLargeError

        raise UploadTooLargeError(f"Tệp gửi lên vượt giới hạn {settings.store_max_bytes:,} "
                                  "byte (DOCGEN_STORE_MAX_BYTES).".replace(",", ".")) from exc
    if upload is None or not upload.filename:
        return None
    return upload.read(), upload.filename


@bp.post("/templates")
def add_type() -> Any:
    who = _signed_in()
    try:
        found = _file("pack")
        if found is None:
            raise InputError("Chọn tệp gói (zip) để tải lên.")
        added = _store().add_type(found[0], name=found[1], author=who,
                                  comment=request.form.get("comment", "")[:2000])
    except InputError as exc:
        return _page("admin_types.html", exc.status, types=list(DOCUMENT_TYPES.values()),
                     numbers={}, error=exc)
    return _stored(added, f"Đã thêm loại {added.info.type_id}, phiên bản 1 (đang dùng).")


@bp.post("/templates/<doc_type>/versions")
def add_version(doc_type: str) -> Any:
    who = _signed_in()
    kind = get_type(doc_type)
    try:
        template, pack = _file("template"), _file("pack")
        if template is None and pack is None:
            raise InputError("Chọn một mẫu Word (.docx) hoặc một gói (zip) để tải lên.")
        comment = request.form.get("comment", "")[:2000]
        if pack is not None:
            added = _store().add_version(kind.id, pack=pack[0], name=pack[1], author=who,
                                         comment=comment)
        else:
            assert template is not None
            added = _store().add_version(kind.id, template=template[0], name=template[1],
                                         author=who, comment=comment)
    except InputError as exc:
        return type_page(kind.id, error=exc, status=exc.status)
    return _stored(added, f"Đã lưu phiên bản {added.info.version}; chưa triển khai.")


@bp.post("/templates/<doc_type>/versions/<version>/deploy")
def deploy(doc_type: str, version: str) -> Any:
    who = _signed_in()
    kind = get_type(doc_type)
    try:
        info = _store().deploy(kind.id, version, author=who)
    except InputError as exc:
        return type_page(kind.id, error=exc, status=exc.status)
    done = f"phiên bản {info.version}" if info is not None else "mẫu đi kèm"
    return redirect(url_for("admin_web.type_page", doc_type=kind.id,
                            ok=f"Đang dùng {done}."))


def init_app(app: Flask) -> None:
    """The page, and a session key: ``DOCGEN_SECRET_KEY`` or one per process."""
    settings: Settings = app.config["DOCGEN"]
    if not app.secret_key:
        app.secret_key = settings.secret_key or secrets.token_hex(32)
    if not app.config.get("SESSION_COOKIE_SAMESITE"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Strict"  # no cross-site post carries it
    app.register_blueprint(bp)
