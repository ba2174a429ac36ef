"""The report of a whole round: 120 units, 46 minutes, 74 by-report reports (issue 16).

Builds the round once on a temporary SQLite register (the Sóc Trăng units, every on-site
unit with its minutes, every by-report unit with its self-assessment), then times
``render_report`` — reading the records, counting, writing the six per-aspect paragraphs,
validating and rendering the .docx — and, apart, ``report_payload`` alone. Prints
milliseconds (median and worst of the runs); the last line is JSON. The issue's bound:
under one second.

    .venv/bin/python benchmarks/rounds_report.py [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.config import Settings
from docgen.register import Register
from docgen.rendering import Renderer
from docgen.rounds import store, workflow
from tests.register.roundsdata import (
    minutes_for,
    new_round,
    report_fields,
    soc_trang_units,
    submission_for,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    renderer = Renderer(Settings.from_env(environ={}))
    with tempfile.TemporaryDirectory() as folder:
        register = Register.from_settings(Settings.from_env(
            environ={"DOCGEN_INSTANCE_PATH": folder}))
        register.upgrade()
        factory = register.session_factory
        round_ = store.create_round(factory, new_round(soc_trang_units(marks=False)))
        minutes = reports = 0
        for unit in round_.units:
            if unit.mode == "on_site":
                store.record_minutes(renderer, factory, round_.id, unit.stt,
                                     minutes_for(unit.name, unit.stt))
                minutes += 1
            else:
                workflow.record_submission(factory, round_.id, unit.stt,
                                           submission_for(unit.name, unit.stt))
                reports += 1
        request = store.ReportRequest(report_fields())
        store.render_report(renderer, factory, round_.id, request)  # warm: template compiled
        renders, payloads = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            rendered, _ = store.render_report(renderer, factory, round_.id, request)
            renders.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            store.report_payload(factory, round_.id, request)
            payloads.append((time.perf_counter() - start) * 1000)
        register.dispose()
    figures = {
        "units": len(round_.units), "minutes": minutes, "reports": reports,
        "render_report_ms_median": round(statistics.median(renders), 1),
        "render_report_ms_max": round(max(renders), 1),
        "report_payload_ms_median": round(statistics.median(payloads), 1),
        "docx_bytes": len(rendered.content), "runs": args.runs,
        "under_one_second": max(renders) < 1000,
    }
    print(f"round of {figures['units']} units, {minutes} minutes, {reports} reports")
    print(f"render_report  median {figures['render_report_ms_median']} ms, "
          f"worst {figures['render_report_ms_max']} ms ({args.runs} runs)")
    print(f"report_payload median {figures['report_payload_ms_median']} ms")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
