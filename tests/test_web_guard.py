"""The pages behind a login when keys are set, and CSRF on every page POST (issue 13, 6–7).

Before: with DOCGEN_API_KEYS set, /register and its exports gave anyone the whole
register, POST /forms/minutes with the register box issued a number and POST /batch
queued jobs, all without a key; the register page's "Tải" links pointed at /api/v1 and
answered 401; and a page on another origin could submit /forms/minutes with _register=1.
"""

from __future__ import annotations

import io
import os
import re
import stat
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from werkzeug.datastructures import MultiDict

from docgen.http import csrf, sessions

from .conftest import raw_client
from .docx_text import docx_text
from .test_api_documents import problem

KEY = "clerk-key-0123456789abcdef"
OTHER_KEY = "portal-key-fedcba9876543210"
BEARER = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture
def secured(tmp_path: Path):
    from docgen.app import create_app

    return create_app({"instance_path": tmp_path / "instance", "api_keys": (KEY, OTHER_KEY)})


def register_total(app: Any) -> int:
    """How many entries the register holds, read through the API with a key."""
    response = app.test_client().get("/api/v1/register", headers=BEARER)
    assert response.status_code == 200
    return int(response.get_json()["total"])


def minutes_form(client: Any) -> MultiDict:
    """What the clerk's browser posts for the example minutes, token included."""
    doc = lxml.html.fromstring(client.get("/forms/minutes?example=1").get_data(as_text=True))
    (form,) = doc.xpath("//form[@data-docgen-form]")  # not the header's logout form
    return MultiDict([(k, v) for k, v in form.form_values() if "__i__" not in k])


def log_in(client: Any, key: str = KEY, next_: str = "/") -> Any:
    page = lxml.html.fromstring(client.get(f"/login?next={next_}").get_data(as_text=True))
    token = page.forms[0].fields["_csrf"]
    return client.post("/login", data={"key": key, "next": next_, "_csrf": token})


# --- 6. pages behind a login -----------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/forms/minutes", "/register", "/register/export.csv",
                                  "/register/export.xlsx", "/register/entries/1/file", "/batch",
                                  "/batch/template/minutes"])
def test_with_keys_every_page_asks_for_a_login(secured, path):
    client = secured.test_client()
    browser = client.get(path, headers={"Accept": "text/html"})
    assert browser.status_code == 303
    assert browser.headers["Location"] == "/login?next=" + path.replace("?", "%3F")
    body = problem(client.get(path, headers={"Accept": "application/json"}), 401,
                   "login_required")
    assert "/login" in body["detail"]
    # A key in a header opens the API, not the pages.
    assert client.get(path, headers={**BEARER, "Accept": "application/json"}).status_code == 401


def test_without_a_login_a_posted_form_issues_no_number_and_queues_no_job(secured, tmp_path):
    client = secured.test_client()
    response = client.post("/forms/minutes", data={"_register": "1", "number": "1"})
    problem(response, 401, "login_required")
    assert register_total(secured) == 0
    sheet = io.BytesIO("Tên đơn vị\nUBND\n".encode())
    response = client.post("/batch", data={"type": "minutes", "file": (sheet, "u.csv")})
    problem(response, 401, "login_required")
    jobs_dir = tmp_path / "instance" / "jobs"
    assert not jobs_dir.exists() or not any(jobs_dir.iterdir())


def test_open_paths_stay_open(secured):
    client = secured.test_client()
    for path in ("/healthz", "/readyz", "/login", "/static/form.css", "/api/openapi.json",
                 "/api/docs", "/favicon.ico"):
        with client.get(path, headers={"Accept": "text/html"}) as response:
            assert response.status_code in (200, 204), path


def test_login_with_a_key_opens_the_pages_and_the_register_downloads(secured, example):
    client = secured.test_client()
    # Two numbered minutes, through the API with a key.
    for _ in range(2):
        issued = client.post("/api/v1/register/documents/minutes", json=example("minutes"),
                             headers=BEARER)
        assert issued.status_code == 200
    wrong = log_in(client, key="not-the-key")
    assert wrong.status_code == 401
    assert "Khóa truy cập không đúng." in wrong.get_data(as_text=True)
    assert client.get("/register", headers={"Accept": "text/html"}).status_code == 303

    response = log_in(client, next_="/register")
    assert (response.status_code, response.headers["Location"]) == (303, "/register")
    page = client.get("/register")
    assert page.status_code == 200
    doc = lxml.html.fromstring(page.get_data(as_text=True))
    assert "Đăng xuất" in doc.xpath("string(//header)")
    links = [a.get("href") for a in doc.xpath("//tbody//a") if a.text_content() == "Tải"]
    assert sorted(links) == ["/register/entries/1/file", "/register/entries/2/file"]
    for link in links:
        download = client.get(link)
        assert download.status_code == 200 and download.data[:2] == b"PK"
        assert download.headers["X-Docgen-Register-Entry"] == link.split("/")[3]
        assert "Biên bản" in docx_text(download.data)
    export = client.get("/register/export.csv")
    assert export.status_code == 200 and "01/BB-ĐKT" in export.get_data(as_text=True)
    assert client.get("/register/entries/99/file").status_code == 404
    # The session never authorises the API: a key is still needed there, GET or POST.
    problem(client.get("/api/v1/register/entries/1/file"), 401, "unauthorized")
    problem(client.post("/api/v1/documents/minutes", json=example("minutes")), 401,
            "unauthorized")


def test_a_logged_in_clerk_numbers_through_the_form(secured):
    client = secured.test_client()
    log_in(client)
    values = minutes_form(client)
    values["_register"] = "1"
    response = client.post("/forms/minutes", data=values)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert response.headers["X-Docgen-Register-Number"] == "1"
    assert register_total(secured) == 1


def test_logout_ends_the_session(secured):
    client = secured.test_client()
    log_in(client)
    assert client.get("/register").status_code == 200
    doc = lxml.html.fromstring(client.get("/").get_data(as_text=True))
    (logout,) = [f for f in doc.forms if f.action == "/logout"]
    response = client.post("/logout", data=dict(logout.form_values()))
    assert (response.status_code, response.headers["Location"]) == (303, "/login")
    assert client.get("/register", headers={"Accept": "text/html"}).status_code == 303


def test_a_session_ends_when_its_key_is_removed(secured, tmp_path):
    from docgen.app import create_app

    client = secured.test_client()
    log_in(client, key=OTHER_KEY)
    assert client.get("/register").status_code == 200
    cookie = client.get_cookie(sessions.COOKIE_NAME)
    assert cookie is not None and OTHER_KEY not in cookie.value
    # The same instance (same secret key) without that key: the cookie is still signed
    # right, but names a key that is no longer there.
    rotated = create_app({"instance_path": tmp_path / "instance", "api_keys": (KEY,)})
    other = rotated.test_client()
    other.set_cookie(sessions.COOKIE_NAME, cookie.value)
    assert other.get("/register", headers={"Accept": "text/html"}).status_code == 303


def test_the_proxy_header_signs_in_only_when_configured(tmp_path):
    from docgen.app import create_app

    trusting = create_app({"instance_path": tmp_path / "a", "api_keys": (KEY,),
                           "trusted_user_header": "X-Remote-User"})
    client = trusting.test_client()
    page = client.get("/register", headers={"X-Remote-User": "nguyen.van.a"})
    assert page.status_code == 200
    assert "nguyen.van.a" in lxml.html.fromstring(page.data).xpath("string(//header)")
    assert client.get("/register", headers={"Accept": "text/html"}).status_code == 303
    assert client.get("/register", headers={"X-Remote-User": " "}).status_code == 401
    # The header is no login where it is not configured: anyone could send it.
    plain = create_app({"instance_path": tmp_path / "b", "api_keys": (KEY,)}).test_client()
    assert plain.get("/register", headers={"X-Remote-User": "nguyen.van.a"}).status_code == 401


def test_without_keys_the_pages_stay_open(client, app):
    assert client.get("/register").status_code == 200
    assert client.get("/batch").status_code == 200
    # nothing to sign in to
    response = client.get("/login?next=/register")
    assert (response.status_code, response.headers["Location"]) == (303, "/register")
    assert "Đăng xuất" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("target, expected", [
    ("/register?year=2026", "/register?year=2026"),
    ("//evil.example/", "/"),          # scheme-relative: another site
    ("/\\evil.example/", "/"),         # browsers read a backslash as a slash
    ("https://evil.example/", "/"),
    ("/\t/evil.example/", "/"),        # a browser drops the tab: "//evil.example/"
    ("/x\r\nSet-Cookie: a=b", "/"),    # no header injection, no 500
    ("", "/"),
])
def test_login_goes_back_only_to_this_site(secured, target, expected):
    client = secured.test_client()
    page = lxml.html.fromstring(client.get("/login", query_string={"next": target}).data)
    token = page.forms[0].fields["_csrf"]
    assert page.forms[0].fields["next"] == expected
    response = client.post("/login", data={"key": KEY, "next": target, "_csrf": token})
    assert response.headers["Location"] == expected


def test_session_cookie_flags(secured):
    client = secured.test_client()
    log_in(client)
    cookie = client.get_cookie(sessions.COOKIE_NAME)
    assert cookie is not None
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure
    over_tls = secured.test_client()
    page = lxml.html.fromstring(over_tls.get("/login", base_url="https://localhost").data)
    response = over_tls.post("/login", base_url="https://localhost",
                             headers={"Origin": "https://localhost"},
                             data={"key": KEY, "_csrf": page.forms[0].fields["_csrf"]})
    assert response.status_code == 303
    header = response.headers["Set-Cookie"]
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


def test_the_secret_key_is_generated_once_and_private(tmp_path):
    from docgen.app import create_app

    first = create_app({"instance_path": tmp_path / "i"})
    second = create_app({"instance_path": tmp_path / "i"})  # another gunicorn worker
    path = tmp_path / "i" / sessions.SECRET_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert first.secret_key == second.secret_key == path.read_text().strip()
    assert len(str(first.secret_key)) >= 60
    assert [p.name for p in (tmp_path / "i").iterdir() if p.name.startswith(".")] == []
    given = create_app({"instance_path": tmp_path / "j", "secret_key": "from-the-settings"})
    assert given.secret_key == "from-the-settings"
    assert not (tmp_path / "j" / sessions.SECRET_FILE).exists()


# --- 7. CSRF ---------------------------------------------------------------------------------

def refused(response: Any, reason_hint: str = "") -> dict[str, Any]:
    body = problem(response, 403, "csrf_failed")
    assert "CSRF" in body["detail"] and "tải lại trang" in body["detail"]
    return body


@pytest.mark.parametrize("headers", [
    {},                                                    # neither Origin nor Referer
    {"Origin": "http://evil.example"},
    {"Origin": "null"},                                    # a sandboxed frame, a data: URL
    {"Origin": "http://localhost.evil.example"},
    {"Referer": "http://evil.example/forms/minutes"},      # no Origin, a foreign Referer
])
def test_a_post_from_another_origin_is_refused(client, app, headers):
    values = minutes_form(client)  # a real token, as a stolen one would be
    values["_register"] = "1"
    response = raw_client(app)
    response.set_cookie(sessions.COOKIE_NAME, client.get_cookie(sessions.COOKIE_NAME).value)
    refused(response.post("/forms/minutes", data=values,
                          headers={"Accept": "application/json", **headers}))
    assert register_total(app) == 0


def test_a_post_without_the_token_is_refused(client, app):
    values = minutes_form(client)
    values["_register"] = "1"
    for token in ("", "forged-token"):
        values["_csrf"] = token
        refused(client.post("/forms/minutes", data=values,
                            headers={"Accept": "application/json"}))
    # A fresh browser (no session cookie) with a token from somebody else's page.
    stranger = raw_client(app)
    refused(stranger.post("/forms/minutes", data=values,
                          headers={"Origin": "http://localhost", "Accept": "application/json"}))
    assert register_total(app) == 0


def test_same_origin_referer_without_origin_passes(client, app):
    values = minutes_form(client)
    values["_register"] = "1"
    response = client.post("/forms/minutes", data=values,
                           headers={"Origin": None, "Referer": "http://localhost/forms/minutes"})
    # (PageClient sets Origin only when the test gives none; None removes it.)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert register_total(app) == 1


def test_a_browser_gets_the_refusal_as_a_page(client):
    values = minutes_form(client)
    values["_csrf"] = "forged"
    response = client.post("/forms/minutes", data=values, headers={"Accept": "text/html"})
    assert response.status_code == 403 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "csrf_failed" in html and "tải lại trang" in html


def test_every_page_post_needs_the_token(client, app, tmp_path):
    sheet = io.BytesIO("Tên đơn vị\nUBND\n".encode())
    posts = {
        "/forms/minutes": {"_register": "1"},
        "/batch": {"type": "minutes", "file": (sheet, "u.csv")},
        "/batch/" + "0" * 32 + "/cancel": {},
        "/login": {"key": KEY},
        "/logout": {},
    }
    for path, data in posts.items():
        refused(client.post(path, data={**data, "_csrf": "forged"},
                            headers={"Accept": "application/json"}))
    jobs_dir = tmp_path / "instance" / "jobs"
    assert not jobs_dir.exists() or not any(jobs_dir.iterdir())


def test_every_page_form_carries_the_token(client, secured):
    token = client.csrf_token()
    for path in ("/forms/minutes", "/forms/plan", "/batch"):
        doc = lxml.html.fromstring(client.get(path).data)
        (form,) = [f for f in doc.forms if f.method.upper() == "POST"]
        assert form.fields["_csrf"] == token, path
    login = lxml.html.fromstring(secured.test_client().get("/login").data)
    assert re.fullmatch(r"[\w-]{40,}", login.forms[0].fields["_csrf"])
    assert csrf.FIELD == "_csrf"


def test_the_api_needs_no_token(client, example):
    response = raw_client(client.application).post(
        "/api/v1/documents/minutes", json=example("minutes"),
        headers={"Origin": "http://evil.example"})
    assert response.status_code == 200  # a key (in a header) is the API's only guard
