"""The render path with the template store attached costs what it cost without it.

Renders the ``notice`` example through one ``Renderer`` (warm cache) in three set-ups,
interleaved round by round so machine noise hits them alike:

1. ``packs``: the catalog with no store attached (the shipped pack);
2. ``store, empty``: a store attached on a SQLite register with nothing in it (the cost
   of asking it which versions are deployed, at most every DOCGEN_STORE_REFRESH s);
3. ``store, deployed``: another store with a version of ``notice`` deployed — the shipped
   template's very bytes, so only the path differs (the pack written once under the
   instance folder, loaded by the packs loader, compiled once).

Also times one upload (read, prove, store) and one deploy. Prints µs per render and the
ratios against ``packs``; the last line is JSON. Local files and 127.0.0.1 only.

    .venv/bin/python benchmarks/store.py [--renders 300] [--rounds 5]
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

from docgen.catalog import DOCUMENT_TYPES
from docgen.config import Settings
from docgen.register import Register
from docgen.rendering import Renderer
from docgen.store import open_store
from tests.register.storedata import example, shipped


def per_render(renderer: Renderer, data: dict, renders: int) -> float:
    start = time.perf_counter()
    for _ in range(renders):
        renderer.render("notice", data)
    return (time.perf_counter() - start) / renders * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    data = example("notice")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({}, instance_path=Path(tmp) / "instance")
        empty_register = Register.from_settings(settings)
        empty_register.upgrade()
        deployed_settings = Settings.from_env({}, instance_path=Path(tmp) / "deployed")
        register = Register.from_settings(deployed_settings)
        register.upgrade()
        renderer = Renderer(settings)
        empty = open_store(empty_register, settings)
        store = open_store(register, deployed_settings)
        start = time.perf_counter()
        added = store.add_version("notice", template=shipped("notice", "template.docx"),
                                  author="bench")
        upload_ms = (time.perf_counter() - start) * 1e3
        start = time.perf_counter()
        store.deploy("notice", str(added.info.version), author="bench")
        deploy_ms = (time.perf_counter() - start) * 1e3
        setups = {"packs": None, "store, empty": empty, "store, deployed": store}
        times: dict[str, list[float]] = {name: [] for name in setups}
        for name, source in setups.items():  # warm each once
            DOCUMENT_TYPES.attach_store(source)
            per_render(renderer, data, 20)
        for _ in range(args.rounds):
            for name, source in setups.items():
                DOCUMENT_TYPES.attach_store(source)
                times[name].append(per_render(renderer, data, args.renders))
        DOCUMENT_TYPES.attach_store(store)
        assert DOCUMENT_TYPES["notice"].source == "store"  # the deployed one was measured
        DOCUMENT_TYPES.attach_store(None)
        empty_register.dispose()
        register.dispose()
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["packs"]
    for name, value in medians.items():
        print(f"{name:16} {value:8.0f} µs per render   ×{value / base:.3f}")
    print(f"upload (read, prove, store) {upload_ms:.0f} ms; deploy {deploy_ms:.1f} ms")
    print(json.dumps({
        "render_us_packs": round(base), "render_us_store_empty": round(medians["store, empty"]),
        "render_us_store_deployed": round(medians["store, deployed"]),
        "ratio_store_empty": round(medians["store, empty"] / base, 3),
        "ratio_store_deployed": round(medians["store, deployed"] / base, 3),
        "upload_ms": round(upload_ms), "deploy_ms": round(deploy_ms, 1)}))


if __name__ == "__main__":
    main()
