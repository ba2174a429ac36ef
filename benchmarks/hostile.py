"""Hostile inputs of issue 13: time, answer size and peak memory of each attack.

Each attack runs in a fresh interpreter (so its peak RSS is its own) against an
app made with ``create_app`` (the Flask test client, no network), with the
default request limit (5 MiB). An attack that has not answered after
``--timeout`` seconds is killed and reported as such.

    python benchmarks/hostile.py [--timeout 60] [attack ...]

Prints one line per attack; the last line is a JSON object for scripts.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a bare checkout

EXAMPLES = ROOT / "schemas" / "examples"
#: The columns of a minutes sheet (benchmarks/batch.py's), the rest from shared values.
_HEADERS = ["STT", "Tên đơn vị được kiểm tra", "Số văn bản", "Ngày ban hành",
            "Trích yếu nội dung", "Bắt đầu lúc", "Kết thúc lúc", "Địa điểm kiểm tra",
            "Đại diện đơn vị được kiểm tra 1.Họ và tên", "Đại diện đơn vị được kiểm tra 1.Chức vụ",
            "Người ký đại diện đơn vị.Họ và tên", "Người ký đại diện đơn vị.Chức vụ"]


def _example(doc_type: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{doc_type}.json").read_text(encoding="utf-8"))


def _client(tmp: Path) -> Any:
    from docgen.app import create_app

    return create_app({"instance_path": tmp / "instance"}).test_client()


_SST_TYPE = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
             b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')


def sparse_xlsx() -> bytes:
    """A 7 KB-class workbook declaring A1:XFD1048576 with its one data row at 1048576."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(_HEADERS)
    sheet.cell(row=1_048_576, column=16_384, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def shared_strings_bomb(expanded: int = 300 * 1024 * 1024) -> bytes:
    """A valid-looking workbook whose sharedStrings.xml expands to ``expanded`` bytes."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(_HEADERS)
    sheet.append(["Sở Y tế"] * len(_HEADERS))
    plain = io.BytesIO()
    workbook.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename == "xl/sharedStrings.xml":
                continue
            data = src.read(item)
            if item.filename == "[Content_Types].xml":  # make openpyxl read the part
                data = data.replace(b"</Types>", _SST_TYPE + b"</Types>")
            dst.writestr(item, data)
        member = zipfile.ZipInfo("xl/sharedStrings.xml")
        member.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(member, "w", force_zip64=True) as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            # Many 1 KB strings (one huge text node is refused by lxml itself).
            item = b"<si><t>" + b"A" * 1009 + b"</t></si>"
            chunk = item * 1024
            for _ in range(expanded // len(chunk)):
                part.write(chunk)
            part.write(b"</sst>")
    return out.getvalue()


def _post_json(path: str, body: bytes) -> Callable[[Any], Any]:
    return lambda client: client.post(path, data=body, content_type="application/json")


def _upload(path: str, content: bytes, name: str) -> Callable[[Any], Any]:
    from benchmarks.batch import shared_defaults

    defaults = json.dumps(shared_defaults()).encode()
    return lambda client: client.post(
        path, data={"file": (io.BytesIO(content), name),
                    "defaults": (io.BytesIO(defaults), "chung.json")},
        content_type="multipart/form-data")


def _minutes_with(**changes: Any) -> bytes:
    data = _example("minutes")
    data.update(changes)
    return json.dumps(data).encode()


def _round_id(client: Any) -> int:
    units = [{"stt": i, "name": f"Đơn vị {i}", "mode": "on_site"} for i in range(1, 4)]
    body = {"issuer": _example("report")["agency"], "year": 2017, "title": "Kiểm tra",
            "units": units}
    answer = client.post("/api/v1/rounds", json=body)
    assert answer.status_code == 201, answer.get_data(as_text=True)[:300]
    return int(answer.get_json()["id"])


class _Answer:
    """What a direct (non-HTTP) attack reports, shaped like a test client response."""

    is_json = False

    def __init__(self, status: int, data: bytes) -> None:
        self.status_code, self._data = status, data

    def get_data(self) -> bytes:
        return self._data


def _pattern_attack(client: Any) -> Any:
    """19 file names from ``{unit_name:>100000000}``, as the batch job makes them."""
    from docgen.batch._names import FilenamePattern
    from docgen.errors import InputError

    try:
        pattern = FilenamePattern("{unit_name:>100000000}", ["unit_name", "stt"], "docx")
    except InputError as exc:
        return _Answer(422, exc.message.encode())
    names = [pattern.format({"unit_name": f"Đơn vị {i}", "stt": i}) for i in range(19)]
    return _Answer(200, "\n".join(names).encode())


def _surrogate_rows(client: Any) -> Any:
    rows = [_example("minutes")]
    body = json.dumps({"rows": rows, "defaults": {"archive": "\ud800"}})  # \ud800 stays escaped
    return client.post("/api/v1/batches/minutes", data=body, content_type="application/json")


def _nested_not_inspected(client: Any) -> Any:
    rid = _round_id(client)
    return client.post(f"/api/v1/rounds/{rid}/units/1/not-inspected", data=b"[" * 100_000,
                       content_type="application/json")


def _digits_not_inspected(client: Any) -> Any:
    rid = _round_id(client)
    return client.post(f"/api/v1/rounds/{rid}/units/1/not-inspected",
                       data=b'{"reason": ' + b"9" * 5000 + b"}",
                       content_type="application/json")


#: name -> a factory, called before the clock starts, returning the attack itself.
ATTACKS: dict[str, Callable[[], Callable[[Any], Any]]] = {
    "recipients_zeros_1M": lambda: _post_json("/api/v1/documents/minutes/validate",
                                              _minutes_with(recipients=[0] * 1_000_000)),
    "members_empty_100k": lambda: _post_json("/api/v1/documents/minutes",
                                             _minutes_with(members=[{}] * 100_000)),
    "sparse_xlsx_batch": lambda: _upload("/api/v1/batches/minutes", sparse_xlsx(), "units.xlsx"),
    "shared_strings_bomb": lambda: _upload("/api/v1/batches/minutes", shared_strings_bomb(),
                                           "units.xlsx"),
    "pattern_width": lambda: _pattern_attack,
    "surrogate_defaults": lambda: _surrogate_rows,
    "nested_not_inspected": lambda: _nested_not_inspected,
    "digits_not_inspected": lambda: _digits_not_inspected,
    "huge_entry_id_file": lambda: lambda c: c.get("/api/v1/register/entries/" + "9" * 30
                                                  + "/file"),
    "huge_register_page": lambda: lambda c: c.get("/register?page=" + "9" * 30),
}


def run_one(name: str) -> dict[str, Any]:
    """Run one attack here (in this process) and measure it."""
    with tempfile.TemporaryDirectory() as tmp:
        client = _client(Path(tmp))
        attack = ATTACKS[name]()
        start = time.perf_counter()
        answer = attack(client)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {"attack": name, "status": answer.status_code, "seconds": round(elapsed, 3),
                "bytes": len(answer.get_data()), "peak_rss_mib": round(peak, 1),
                "code": (answer.get_json(silent=True) or {}).get("code", "")
                if answer.is_json else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("attacks", nargs="*", default=list(ATTACKS))
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    results = []
    for name in args.attacks:
        start = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True,
                                  text=True, timeout=args.timeout, check=False)
            lines = done.stdout.strip().splitlines()
            result = json.loads(lines[-1]) if lines else {
                "attack": name, "status": "crashed", "stderr": done.stderr[-300:]}
        except subprocess.TimeoutExpired:
            result = {"attack": name, "status": "killed",
                      "seconds": round(time.perf_counter() - start, 1)}
        results.append(result)
        print(f"{name:24} status {result.get('status')!s:>7}  {result.get('seconds', '?')!s:>7} s"
              f"  {result.get('bytes', '?')!s:>10} B  peak {result.get('peak_rss_mib', '?')} MiB"
              f"  {result.get('code', '')}", flush=True)
    print(json.dumps({"hostile": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
