"""The template store (issue 14): upload, list, deploy, render a given version, roll back,
the register entry's template version, concurrent uploads, administrator keys.

Each test that takes ``database_url`` runs on SQLite and on a real PostgreSQL cluster.
What a version renders is told by the text of the rendered .docx: the uploaded templates
carry a marker paragraph the shipped ones do not.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from docgen.app import create_app
from docgen.catalog import DOCUMENT_TYPES
from docgen.store import TemplateStore
from docgen.store.models import StoredType, StoredVersion

from ..docx_text import docx_text
from .storedata import edited, example, pack, shipped

ADMIN = {"Authorization": "Bearer admin-key-1"}


def make_app(tmp_path: Path, database_url: str, **config: Any) -> Flask:
    config = {"instance_path": tmp_path / "instance", "database_url": database_url,
              "admin_keys": "admin-key-1,admin-key-2", **config}
    return create_app(config)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> Iterator[Flask]:
    yield make_app(tmp_path, database_url)
    DOCUMENT_TYPES.attach_store(None)  # later tests see the packs alone


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def upload(client: FlaskClient, path: str, headers: dict[str, str] | None = ADMIN,
           **files: Any) -> Any:
    data = {k: (io.BytesIO(v), f"{k}.bin") if isinstance(v, bytes) else v
            for k, v in files.items()}
    return client.post(path, data=data, headers=headers or {},
                       content_type="multipart/form-data")


def render_text(client: FlaskClient, doc_type: str, query: str = "", data: Any = None) -> str:
    response = client.post(f"/api/v1/documents/{doc_type}{query}",
                           json=data if data is not None else example(doc_type))
    assert response.status_code == 200, response.get_json()
    return docx_text(response.data)


def stored_rows(app: Flask) -> tuple[int, int]:
    store: TemplateStore = app.extensions["docgen.store"]
    with store.session_factory() as session:
        return (session.scalar(select(func.count()).select_from(StoredType)) or 0,
                session.scalar(select(func.count()).select_from(StoredVersion)) or 0)


# --- a new type -------------------------------------------------------------------------

def test_a_new_type_from_a_pack_is_listed_rendered_and_has_a_form(client):
    answer = upload(client, "/api/v1/document-types",
                    pack=pack("notice", new_id="permit",
                              template=edited("notice", "GIẤY PHÉP THỬ")))
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["document_type"] == "permit" and body["version"] == 1
    assert body["deployed"] is True and len(body["sha256"]) == 64 and body["findings"] == []

    listed = {t["id"]: t for t in client.get("/api/v1/document-types").get_json()
              ["document_types"]}
    assert listed["permit"]["source"] == "store"
    assert listed["permit"]["version"] == body["sha256"]
    assert listed["permit"]["deployed_version"] == 1
    assert listed["notice"]["source"] == "shipped" and listed["notice"]["deployed_version"] is None
    assert listed["permit"]["links"]["render"] == "/api/v1/documents/permit"

    # No route was generated for it at start: the generic one serves it.
    assert "GIẤY PHÉP THỬ" in render_text(client, "permit", data=example("notice"))
    check = client.post("/api/v1/documents/permit/validate", json=example("notice"))
    assert check.status_code == 200 and check.get_json()["document_type"] == "permit"
    form = client.get("/forms/permit")
    assert form.status_code == 200 and "Đơn vị được kiểm tra" in form.get_data(as_text=True)

    again = upload(client, "/api/v1/document-types", pack=pack("notice", new_id="permit"))
    assert again.status_code == 409 and again.get_json()["code"] == "document_type_exists"
    shipped_id = upload(client, "/api/v1/document-types", pack=pack("notice"))
    assert shipped_id.status_code == 409


# --- versions, deploy, a given version, roll back, the register -------------------------

def test_versions_deploy_render_a_given_version_and_roll_back(client, app):
    base = client.get("/api/v1/document-types/notice/versions").get_json()
    assert base["source"] == "shipped" and base["versions"] == []
    shipped_sha = base["version"]

    added = upload(client, "/api/v1/document-types/notice/versions",
                   template=edited("notice", "MẪU SỬA LẦN HAI"), comment="Sửa lời văn")
    assert added.status_code == 201, added.get_json()
    v1 = added.get_json()
    assert v1["version"] == 1 and v1["deployed"] is False and v1["sha256"] != shipped_sha

    # Not deployed: the default render is the shipped template; ?version= renders the new.
    assert "MẪU SỬA LẦN HAI" not in render_text(client, "notice")
    assert "MẪU SỬA LẦN HAI" in render_text(client, "notice", f"?version={v1['sha256']}")
    assert "MẪU SỬA LẦN HAI" in render_text(client, "notice", "?version=1")
    missing = client.post(f"/api/v1/documents/notice?version={'0' * 64}",
                          json=example("notice"))
    assert missing.status_code == 404
    assert missing.get_json()["code"] == "template_version_not_found"

    deployed = client.post(f"/api/v1/document-types/notice/versions/{v1['sha256']}/deploy",
                           headers=ADMIN)
    assert deployed.status_code == 200, deployed.get_json()
    assert deployed.get_json() == {"document_type": "notice", "source": "store",
                                   "version": 1, "sha256": v1["sha256"]}
    assert "MẪU SỬA LẦN HAI" in render_text(client, "notice")

    # The register records the version that produced the entry.
    numbered = client.post("/api/v1/documents/notice?register=true", json=example("notice"))
    assert numbered.status_code == 200
    entry_id = numbered.headers["X-Docgen-Register-Entry"]
    entries = client.get("/api/v1/register").get_json()["items"]
    entry = next(e for e in entries if str(e["id"]) == entry_id)
    assert entry["template_version"] == v1["sha256"]

    v2 = upload(client, "/api/v1/document-types/notice/versions",
                template=edited("notice", "MẪU LẦN BA")).get_json()
    assert v2["version"] == 2
    client.post("/api/v1/document-types/notice/versions/2/deploy", headers=ADMIN)
    assert "MẪU LẦN BA" in render_text(client, "notice")

    listing = client.get("/api/v1/document-types/notice/versions").get_json()
    assert [(v["version"], v["deployed"]) for v in listing["versions"]] == [(2, True),
                                                                           (1, False)]
    assert listing["versions"][1]["comment"] == "Sửa lời văn"
    assert listing["versions"][1]["author"].startswith("admin:")
    assert "admin-key" not in str(listing)  # the key itself is never recorded

    # Roll back to version 1, then to the shipped pack (its own sha256).
    client.post("/api/v1/document-types/notice/versions/1/deploy", headers=ADMIN)
    assert "MẪU SỬA LẦN HAI" in render_text(client, "notice")
    back = client.post(f"/api/v1/document-types/notice/versions/{shipped_sha}/deploy",
                       headers=ADMIN)
    assert back.get_json() == {"document_type": "notice", "source": "shipped",
                               "version": None, "sha256": shipped_sha}
    text = render_text(client, "notice")
    assert "MẪU SỬA LẦN HAI" not in text and "MẪU LẦN BA" not in text

    # The issued entry can still be re-rendered from its exact template.
    assert "MẪU SỬA LẦN HAI" in render_text(client, "notice",
                                            f"?version={entry['template_version']}")


def test_a_whole_pack_as_a_new_version_changes_the_declaration(client):
    declaration = shipped("notice", "type.toml").decode().replace(
        'label = "Đơn vị được kiểm tra"', 'label = "Cơ quan được kiểm tra"')
    added = upload(client, "/api/v1/document-types/notice/versions",
                   pack=pack("notice", declaration=declaration, folder="notice/"))
    assert added.status_code == 201, added.get_json()
    client.post("/api/v1/document-types/notice/versions/1/deploy", headers=ADMIN)
    assert "Cơ quan được kiểm tra" in client.get("/forms/notice").get_data(as_text=True)
    other = upload(client, "/api/v1/document-types/notice/versions", pack=pack("letter"))
    assert other.status_code == 422 and other.get_json()["code"] == "pack_id_mismatch"


def test_a_new_template_for_a_type_with_hooks_keeps_them(client):
    """report's schema is a hook of docgen's code: a template-only version keeps it."""
    added = upload(client, "/api/v1/document-types/report/versions",
                   template=edited("report", "BÁO CÁO SỬA"))
    assert added.status_code == 201, added.get_json()
    assert "BÁO CÁO SỬA" in render_text(client, "report", "?version=1")


def test_concurrent_uploads_get_distinct_versions(app):
    store: TemplateStore = app.extensions["docgen.store"]
    results: list[int] = []
    errors: list[BaseException] = []

    def add(i: int) -> None:
        try:
            added = store.add_version("notice", template=edited("notice", f"BẢN {i}"),
                                      author="test", comment=str(i))
            results.append(added.info.version)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [1, 2, 3, 4, 5, 6]
    assert stored_rows(app) == (1, 6)
    comments = {v.version: v.comment for v in store.versions("notice")}
    assert len(set(comments.values())) == 6


def test_another_process_sees_a_deploy(app, tmp_path):
    """A second store on the same database (another worker, the CLI) reads the deploy."""
    store: TemplateStore = app.extensions["docgen.store"]
    other = TemplateStore(store.session_factory, tmp_path / "other-cache", refresh=0)
    assert dict(other.deployed()) == {}
    added = store.add_version("notice", template=edited("notice", "X"), author="t")
    store.deploy("notice", str(added.info.version), author="t")
    assert other.deployed()["notice"].version == added.info.sha256


# --- administrator keys --------------------------------------------------------------------

def test_without_admin_keys_the_store_cannot_be_changed(tmp_path, database_url):
    app = make_app(tmp_path, database_url, admin_keys="")
    try:
        client = app.test_client()
        for path, files in (("/api/v1/document-types", {"pack": pack("notice", new_id="x")}),
                            ("/api/v1/document-types/notice/versions",
                             {"template": edited("notice", "Y")})):
            answer = upload(client, path, **files)
            assert answer.status_code == 403
            assert answer.get_json()["code"] == "store_locked"
            assert "DOCGEN_ADMIN_KEYS" in answer.get_json()["detail"]
        deploy = client.post("/api/v1/document-types/notice/versions/1/deploy", headers=ADMIN)
        assert deploy.status_code == 403
        assert stored_rows(app) == (0, 0)
    finally:
        DOCUMENT_TYPES.attach_store(None)


@pytest.mark.parametrize("headers", [
    None,
    {"Authorization": "Bearer wrong"},
    {"X-API-Key": "admin-key-1"},  # the store takes the Bearer form only
    {"Authorization": "Bearer api-key-1"},  # an API key is not an administrator key
])
def test_a_missing_or_wrong_admin_key_changes_nothing(tmp_path, sqlite_url, headers):
    app = make_app(tmp_path, sqlite_url, api_keys="api-key-1")
    try:
        client = app.test_client()
        answer = upload(client, "/api/v1/document-types/notice/versions", headers=headers,
                        template=edited("notice", "Z"))
        assert answer.status_code == 401
        assert answer.get_json()["code"] in ("admin_key_required", "unauthorized")
        assert stored_rows(app) == (0, 0)
        # An administrator key opens the rest of the API too.
        assert client.get("/api/v1/document-types", headers=ADMIN).status_code == 200
    finally:
        DOCUMENT_TYPES.attach_store(None)


def test_migration_0003_keeps_old_entries_and_adds_the_store(database_url, renderer, example):
    """A register made before the store keeps its entries (without a template version);
    entries made after record theirs; a downgrade drops the store's tables."""
    from alembic import command
    from sqlalchemy import inspect

    from docgen.register import register_and_render
    from docgen.register.db import alembic_config, make_engine, make_session_factory, upgrade

    from .olddata import old_entry

    engine = make_engine(database_url)
    try:
        upgrade(engine, "0002_rounds")
        old_id = old_entry(engine, symbol="99/BB-ĐKT", number=99)  # no counter: 01 stays free
        assert upgrade(engine, "0003_store") == "0003_store"
        assert {"store_types", "store_versions"} <= set(inspect(engine).get_table_names())
        _, entry = register_and_render(renderer, make_session_factory(engine), "minutes",
                                       example("minutes"))
        with engine.connect() as conn:
            rows = dict(conn.exec_driver_sql(
                "SELECT id, template_version FROM register_entries").all())
        assert rows[old_id] is None
        assert rows[entry.id] == DOCUMENT_TYPES["minutes"].version
        command.downgrade(alembic_config(engine), "0002_rounds")
        assert not inspect(engine).has_table("store_versions")
        columns = {c["name"] for c in inspect(engine).get_columns("register_entries")}
        assert "template_version" not in columns and "symbol" in columns
    finally:
        engine.dispose()


def test_the_store_operations_are_documented(client):
    spec = client.get("/api/openapi.json").get_json()
    ops = {op["operationId"]: (path, method, op) for path, item in spec["paths"].items()
           for method, op in item.items() if isinstance(op, dict) and "operationId" in op}
    expected = {
        "add_document_type": ("/api/v1/document-types", "post"),
        "list_template_versions": ("/api/v1/document-types/{doc_type}/versions", "get"),
        "add_template_version": ("/api/v1/document-types/{doc_type}/versions", "post"),
        "deploy_template_version":
            ("/api/v1/document-types/{doc_type}/versions/{version}/deploy", "post"),
    }
    for operation_id, (path, method) in expected.items():
        assert ops[operation_id][:2] == (path, method)
        summary = ops[operation_id][2]["summary"]
        assert any(c in summary for c in "ạảãáàăâấầẩẫậêếềểễệôốồổỗộơớờởỡợưứừửữựđ"), summary
    assert ops["add_template_version"][2]["security"] == [{"bearer": []}]
    assert "403" in ops["add_template_version"][2]["responses"]
    render = spec["paths"]["/api/v1/documents/notice"]["post"]
    assert "version" in {p["name"] for p in render["parameters"]}
    entry = spec["components"]["schemas"]["Entry"]["properties"]
    assert "template_version" in entry


def test_a_batch_renders_the_deployed_version_in_the_job_worker(tmp_path, sqlite_url):
    """The local pool's processes are spawned: each attaches its own store, so a batch of a
    stored type works and a shipped type's batch uses its deployed version."""
    import json
    import zipfile

    from ..batch.conftest import wait_for

    app = make_app(tmp_path, sqlite_url)
    try:
        client = app.test_client()
        upload(client, "/api/v1/document-types",
               pack=pack("notice", new_id="permit", template=edited("notice", "LÔ GIẤY PHÉP")))
        started = client.post("/api/v1/batches/permit", json=[example("notice")] * 2)
        assert started.status_code == 202, started.get_json()
        done = wait_for(client, started.headers["Location"], timeout=60)
        assert done["state"] == "done" and done["rows"]["ok"] == 2, done
        with client.get(done["links"]["result"]) as result:
            archive = zipfile.ZipFile(io.BytesIO(result.data))
            documents = [archive.read(n) for n in archive.namelist() if n.endswith(".docx")]
        assert len(documents) == 2
        assert all("LÔ GIẤY PHÉP" in docx_text(d) for d in documents), json.dumps(done)
    finally:
        app.extensions["docgen.jobs"].close()
        DOCUMENT_TYPES.attach_store(None)
