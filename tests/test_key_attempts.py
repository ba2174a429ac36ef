"""Guessing a key (docgen.http.throttle): after DOCGEN_KEY_ATTEMPTS wrong keys from one
address in the window, the API, /login and the administrators' login answer 429
``too_many_attempts`` with Retry-After — the right key included — until the window has
passed; other addresses are not affected. Behind a proxy (DOCGEN_PROXY_HOPS) the address
is the client's, and the pages' origin check takes the host the proxy was asked for.

The window is driven by the counter's clock, set by the test: no test waits."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from docgen.http.throttle import EXTENSION, MAX_ADDRESSES, Attempts

KEY = "khoa-dung-0123456789abcdef"
ADMIN = "khoa-quan-tri-0123456789ab"
WRONG = "khoa-sai-0000000000000000"
URL = "/api/v1/document-types"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_app(tmp_path: Path, **config: Any) -> tuple[Any, Clock]:
    from docgen.app import create_app

    app = create_app({"instance_path": tmp_path / "instance", "api_keys": KEY,
                      "admin_keys": ADMIN, "key_attempts": 3, **config})
    clock = Clock()
    app.extensions[EXTENSION].clock = clock
    return app, clock


def api(client: Any, key: str, address: str = "192.0.2.10", **headers: str) -> Any:
    return client.get(URL, headers={"Authorization": f"Bearer {key}", **headers},
                      environ_base={"REMOTE_ADDR": address})


def test_the_api_after_three_wrong_keys(tmp_path):
    app, clock = make_app(tmp_path)
    client = app.test_client()
    assert [api(client, WRONG).status_code for _ in range(3)] == [401, 401, 401]
    refused = api(client, KEY)  # the right key is not even looked at now
    assert refused.status_code == 429
    body = refused.get_json()
    assert body["code"] == "too_many_attempts"
    assert body["detail"] == ("Đã nhập sai khóa quá nhiều lần từ địa chỉ này; thử lại sau "
                              "300 giây.")
    assert refused.headers["Retry-After"] == "300"
    assert api(client, KEY, address="192.0.2.11").status_code == 200  # another address
    clock.now += 120
    assert api(client, KEY).headers["Retry-After"] == "180"
    clock.now += 181  # the oldest failure is out of the window
    assert api(client, KEY).status_code == 200
    # a right key cleared the count: three more wrong ones before the next refusal
    assert [api(client, WRONG).status_code for _ in range(4)] == [401, 401, 401, 429]


def test_no_key_is_not_a_wrong_key(tmp_path):
    app, _ = make_app(tmp_path)
    client = app.test_client()
    for _ in range(5):
        assert client.get(URL, environ_base={"REMOTE_ADDR": "192.0.2.10"}).status_code == 401
    assert api(client, KEY).status_code == 200


def test_zero_turns_it_off(tmp_path):
    app, _ = make_app(tmp_path, key_attempts=0)
    client = app.test_client()
    assert {api(client, WRONG).status_code for _ in range(20)} == {401}
    assert api(client, KEY).status_code == 200


def _token(page: str) -> str:
    found = re.search(r'name="_csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def _login(client: Any, key: str, path: str = "/login", form: str = "/login",
           **headers: str) -> Any:
    """POST ``key`` to ``path`` with the CSRF token of the page ``form``."""
    page = client.get(form, headers=headers)
    return client.post(path, data={"key": key, "_csrf": _token(page.get_data(as_text=True)),
                                   "next": "/register"},
                       headers={"Origin": "http://localhost", **headers})


def test_the_login_page_after_three_wrong_keys(tmp_path):
    app, clock = make_app(tmp_path)
    client = app.test_client()
    assert [_login(client, WRONG).status_code for _ in range(3)] == [401, 401, 401]
    refused = _login(client, KEY)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "300"
    assert "thử lại sau 300 giây" in refused.get_data(as_text=True)
    assert client.get("/register").status_code == 401  # not signed in
    clock.now += 301
    assert _login(client, KEY).status_code == 303
    assert client.get("/register").status_code == 200


def test_the_admin_login_counts_with_the_rest(tmp_path):
    app, _ = make_app(tmp_path)
    client = app.test_client()
    assert _login(client, KEY).status_code == 303  # the administrators' page is a page
    admin = "/admin/templates"
    assert _login(client, WRONG, "/login", admin).status_code == 401  # the pages' login
    assert api(client, WRONG, address="127.0.0.1").status_code == 401  # the API
    assert _login(client, WRONG, "/admin/login", admin).status_code == 401
    refused = _login(client, ADMIN, "/admin/login", admin)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "300"
    assert "thử lại sau 300 giây" in refused.get_data(as_text=True)


def test_behind_a_proxy_the_clients_address_counts(tmp_path):
    app, _ = make_app(tmp_path, proxy_hops=1)
    client = app.test_client()
    for _ in range(3):
        assert api(client, WRONG, **{"X-Forwarded-For": "203.0.113.7"}).status_code == 401
    assert api(client, KEY, **{"X-Forwarded-For": "203.0.113.7"}).status_code == 429
    assert api(client, KEY, **{"X-Forwarded-For": "203.0.113.8"}).status_code == 200


def test_without_proxy_hops_forwarded_headers_are_not_believed(tmp_path):
    app, _ = make_app(tmp_path)
    client = app.test_client()
    for n in range(3):  # a client cannot pick a new address for each guess
        assert api(client, WRONG, **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code == 401
    assert api(client, KEY, **{"X-Forwarded-For": "203.0.113.99"}).status_code == 429


@pytest.mark.parametrize(("hops", "status"), [(1, 303), (0, 403)])
def test_the_origin_check_takes_the_host_the_proxy_was_asked_for(tmp_path, hops, status):
    """nginx passes 127.0.0.1:8000 as Host and the public name in X-Forwarded-Host: with
    one hop believed, the page's own POST from https://docgen.soctrang.gov.vn is ours."""
    app, _ = make_app(tmp_path, proxy_hops=hops)
    client = app.test_client()
    public = {"X-Forwarded-Host": "docgen.soctrang.gov.vn", "X-Forwarded-Proto": "https"}
    page = client.get("/login", headers=public).get_data(as_text=True)
    answer = client.post("/login", data={"key": KEY, "_csrf": _token(page), "next": "/"},
                         headers={**public, "Origin": "https://docgen.soctrang.gov.vn"})
    assert answer.status_code == status
    if hops:
        assert answer.headers["Location"] == "/"


def test_the_counter_keeps_a_bounded_number_of_addresses():
    clock = Clock()
    attempts = Attempts(2, 60, clock)
    for n in range(MAX_ADDRESSES + 5):
        attempts.failed(f"10.{n // 65536}.{n // 256 % 256}.{n % 256}")
    assert len(attempts._failures) == MAX_ADDRESSES
    attempts.failed("10.0.0.5")  # the oldest are forgotten, the newest kept
    attempts.failed("10.0.0.5")
    assert attempts.retry_after("10.0.0.5") == 60
    assert attempts.retry_after("10.0.0.1") is None
