"""The settings this work adds: the PDF pool sized per web worker, webhook prefixes, log format."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docgen.app import create_app
from docgen.config import Settings, SettingsError, default_pdf_workers


@pytest.mark.parametrize(("web", "cores", "expected"), [
    (1, 2, 2),
    (2, 2, 1),   # the image: gunicorn -w 2 on 2 cores -> one instance each, not two
    (3, 2, 1),   # never zero
    (2, 8, 4),
    (0, 4, 4),   # a nonsense worker count is taken as one process
])
def test_default_pdf_workers(web: int, cores: int, expected: int) -> None:
    assert default_pdf_workers(web, cores=cores) == expected


def test_web_concurrency_sizes_the_pool_unless_told_otherwise() -> None:
    cores = os.cpu_count() or 1
    assert Settings.from_env({}).pdf_workers == cores
    assert Settings.from_env({"WEB_CONCURRENCY": "2"}).web_workers == 2
    assert Settings.from_env({"WEB_CONCURRENCY": "2"}).pdf_workers == max(1, cores // 2)
    assert Settings.from_env({"WEB_CONCURRENCY": "2", "DOCGEN_WEB_WORKERS": "1"}).web_workers == 1
    assert Settings.from_env({"WEB_CONCURRENCY": "2", "DOCGEN_PDF_WORKERS": "3"}).pdf_workers == 3
    # '³' is a digit to str.isdigit, not to int: ignored like any other unusable value
    assert Settings.from_env({"WEB_CONCURRENCY": "³"}).web_workers == 1


def test_the_apps_pool_gets_its_share(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1)))
    app = create_app({"instance_path": tmp_path})
    assert app.extensions["docgen.renderer"].converter.workers == 1


@pytest.mark.parametrize(("value", "fragment"), [
    ("ftp://127.0.0.1/", "not an http"),
    ("http://portal.example", "end the host with '/'"),
])
def test_webhook_prefixes_are_checked(value: str, fragment: str) -> None:
    with pytest.raises(SettingsError, match=fragment):
        Settings.from_env({"DOCGEN_WEBHOOK_ALLOW": value})
    assert Settings.from_env({"DOCGEN_WEBHOOK_ALLOW": " http://a.example/hooks/ , https://b/ "}
                             ).webhook_allow == ("http://a.example/hooks/", "https://b/")


def test_log_format_and_secret_are_kept_out_of_repr() -> None:
    with pytest.raises(SettingsError, match="DOCGEN_LOG_FORMAT"):
        Settings.from_env({"DOCGEN_LOG_FORMAT": "xml"})
    settings = Settings.from_env({"DOCGEN_WEBHOOK_SECRET": "bi-mat"})
    assert "bi-mat" not in repr(settings)
