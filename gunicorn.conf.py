"""gunicorn settings docgen needs whatever the command line says (gunicorn reads
./gunicorn.conf.py by default; the image's WORKDIR /app holds this file).

- Prometheus multiprocess mode (docgen/metrics.py): with PROMETHEUS_MULTIPROC_DIR
  set, the folder is emptied when the master starts (values of a previous run must
  not be added in) and a worker's live gauges are dropped when it exits.
- DOCGEN_LOG_FORMAT=json: gunicorn's own loggers (gunicorn.error, gunicorn.access)
  write one JSON object per line, like docgen's.
- DOCGEN_WEB_WORKERS: the worker count gunicorn really runs (-w, WEB_CONCURRENCY or
  this file), set before the workers load the app, so each sizes its PDF pool to its
  share of the cores (docgen/config.py, default_pdf_workers). A value already in the
  environment wins. (With --preload the app is built before this hook runs; set
  DOCGEN_WEB_WORKERS yourself then.)
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

_METRICS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR")

if os.environ.get("DOCGEN_LOG_FORMAT") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "docgen.logs.JsonFormatter"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json",
                        "stream": "ext://sys.stderr"},
            "error_console": {"class": "logging.StreamHandler", "formatter": "json",
                              "stream": "ext://sys.stderr"},
        },
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"],
                               "propagate": False, "qualname": "gunicorn.error"},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"],
                                "propagate": False, "qualname": "gunicorn.access"},
        },
    }


def on_starting(server: Any) -> None:
    os.environ.setdefault("DOCGEN_WEB_WORKERS", str(server.cfg.workers))
    if _METRICS_DIR:
        folder = Path(_METRICS_DIR)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    if _METRICS_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
