"""``docgen render TYPE … -o FILE`` from the command line, start to exit (budget: < 0.25 s).

Runs the real console script (``.venv/bin/docgen``) as a new process, as a clerk's shell
does, for every shipped type, rounds interleaved; prints medians with p25–p75 and the
ratio to the budget. Then where the time goes: the bare interpreter (``python -c pass``),
``import docgen.cli``, and the minutes render with an empty compiled-template cache
(the first run after an install or a template change: ``DOCGEN_CACHE_DIR``).

Each figure is measured twice when this environment keeps no bytecode for docgen
(``PYTHONDONTWRITEBYTECODE`` set, as in an editable install here): as it is, and with
bytecode, as a ``pip install`` or the Docker image has it (``PYTHONPYCACHEPREFIX`` pointing
at a temporary folder the first run fills). The machine's load average is printed
beside them: on 2 shared cores, a busy neighbour moves every figure.

    .venv/bin/python benchmarks/startup.py              # 20 rounds
    .venv/bin/python benchmarks/startup.py --rounds 40 --types minutes

The last line is JSON: ``cli_render_seconds`` (minutes, as this environment runs it),
``cli_render_seconds_bytecode``, per-type medians, ``cli_render_ratio_vs_budget``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "schemas" / "examples"
TYPES = ("minutes", "plan", "decision", "report", "approval", "notice", "letter")
BUDGET = 0.25
DOCGEN = Path(sys.executable).with_name("docgen")


def spread(samples: Sequence[float]) -> tuple[float, float, float]:
    """(median, p25, p75)."""
    q1, median, q3 = statistics.quantiles(samples, n=4, method="inclusive")
    return median, q1, q3


def fmt(figure: tuple[float, float, float]) -> str:
    median, q1, q3 = figure
    return f"{median * 1000:6.0f} ms ({q1 * 1000:.0f}–{q3 * 1000:.0f})"


def timed(command: Sequence[str], env: Mapping[str, str]) -> tuple[float, float]:
    """Wall seconds from spawning ``command`` to its exit, and the CPU seconds it used
    (user + system: less moved by neighbours than the wall time). It must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode(errors='replace')}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, cpu


def wall(command: Sequence[str], env: Mapping[str, str]) -> float:
    """Seconds from spawning ``command`` to its exit; it must succeed."""
    return timed(command, env)[0]


def render_command(doc_type: str, out: Path) -> list[str]:
    return [str(DOCGEN), "render", doc_type, str(EXAMPLES / f"{doc_type}.json"), "-o", str(out)]


def has_bytecode(env: Mapping[str, str]) -> bool:
    """Whether a process started with ``env`` finds (or writes) docgen's bytecode."""
    if env.get("PYTHONPYCACHEPREFIX"):
        return True
    cached = (ROOT / "docgen" / "__pycache__").is_dir()
    return cached or not env.get("PYTHONDONTWRITEBYTECODE")


Figures = dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]]


def measure(env: dict[str, str], types: Sequence[str], rounds: int, work: Path) -> Figures:
    """Interleaved rounds: python, import docgen.cli, each type's render, a cold-cache
    render; (wall, cpu) spreads by name."""
    commands = {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        "import docgen.cli": ([sys.executable, "-c", "import docgen.cli"], env),
        **{t: (render_command(t, work / f"{t}.docx"), env) for t in types},
    }
    for command, command_env in commands.values():  # warm the page and template caches
        timed(command, command_env)
    names = [*commands, "minutes, cold cache"]
    walls: dict[str, list[float]] = {name: [] for name in names}
    cpus: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(rounds):
        cold = {**env, "DOCGEN_CACHE_DIR": tempfile.mkdtemp(dir=work, prefix="cold-")}
        runs = {**commands, "minutes, cold cache": (render_command("minutes", work / "c.docx"),
                                                    cold)}
        for name, (command, command_env) in runs.items():
            elapsed, cpu = timed(command, command_env)
            walls[name].append(elapsed)
            cpus[name].append(cpu)
    return {name: (spread(walls[name]), spread(cpus[name])) for name in names}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--types", nargs="+", default=list(TYPES), choices=TYPES)
    args = parser.parse_args()
    if not DOCGEN.exists():
        raise SystemExit(f"no console script at {DOCGEN}: run `make install` first")

    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f}; python {sys.version.split()[0]}; {args.rounds} rounds")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = {**os.environ, "DOCGEN_CACHE_DIR": str(work / "cache")}
        modes = {"as this environment runs it": base}
        if not has_bytecode(base):
            bytecode = {k: v for k, v in base.items() if k != "PYTHONDONTWRITEBYTECODE"}
            bytecode["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
            modes["with bytecode (pip install, the image)"] = bytecode
        results: dict[str, dict[str, tuple[float, float, float]]] = {}
        for mode, env in modes.items():
            figures = measure(env, args.types, args.rounds, work)
            results[mode] = {name: pair[0] for name, pair in figures.items()}
            print(f"== {mode}" + ("" if has_bytecode(env) else
                                  " (no bytecode for docgen: PYTHONDONTWRITEBYTECODE)"))
            print(f"  {'':32} {'wall, median (p25–p75)':24} {'cpu':>8}")
            for name, (elapsed, cpu) in figures.items():
                ratio = f"  {elapsed[0] / BUDGET:.2f} of the 0.25 s budget" \
                    if name in args.types else ""
                label = f"docgen render {name}" if name in args.types else name
                print(f"  {label:32} {fmt(elapsed):24} {cpu[0] * 1000:5.0f} ms{ratio}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")

    first, *rest = results.values()
    out: dict[str, object] = {
        "cli_render_seconds": round(first["minutes"][0], 4) if "minutes" in first else None,
        "cli_render_p25_p75": [round(first["minutes"][1], 4), round(first["minutes"][2], 4)]
        if "minutes" in first else None,
        "cli_render_ratio_vs_budget": round(first["minutes"][0] / BUDGET, 3)
        if "minutes" in first else None,
        "cli_render_seconds_by_type": {t: round(first[t][0], 4) for t in args.types},
        "cli_render_cold_cache_seconds": round(first["minutes, cold cache"][0], 4),
        "python_seconds": round(first["python -c pass"][0], 4),
        "import_cli_seconds": round(first["import docgen.cli"][0], 4),
        "load_average": round(load[0], 2),
    }
    if rest and "minutes" in rest[0]:
        out["cli_render_seconds_bytecode"] = round(rest[0]["minutes"][0], 4)
        out["cli_render_seconds_by_type_bytecode"] = {t: round(rest[0][t][0], 4)
                                                      for t in args.types}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
