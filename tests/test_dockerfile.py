"""The Dockerfile's recipe agrees with the repository (no Docker engine needed).

It installs exactly the runtime packages of scripts/install-system-deps.sh, copies
only paths that exist, runs as a non-root user, checks /healthz with Python (no
curl in the image), and starts gunicorn on an app factory that imports.
"""

from __future__ import annotations

import importlib
import json
import re
import shlex
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
DEPS_SCRIPT = ROOT / "scripts" / "install-system-deps.sh"

#: What docgen.pdf needs at run time, whatever else the list holds.
PDF_PACKAGES = {"libreoffice-writer-nogui", "python3-uno", "fonts-liberation2"}


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str


def parse_dockerfile(text: str) -> list[Instruction]:
    """Instructions with continuation lines joined and comments dropped."""
    instructions: list[Instruction] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if current and line.startswith("#"):  # comment inside a continued instruction
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        keyword, _, args = current.strip().partition(" ")
        instructions.append(Instruction(keyword.upper(), args.strip()))
        current = ""
    assert not current, "Dockerfile ends inside a continued line"
    return instructions


def exec_form(args: str) -> list[str]:
    """JSON (exec) form of CMD/ENTRYPOINT/HEALTHCHECK CMD, else shell words."""
    args = args.strip()
    if args.startswith("["):
        return json.loads(args)
    return shlex.split(args)


def script_runtime_packages() -> list[str]:
    match = re.search(r"^RUNTIME_PACKAGES=\(([^)]*)\)", DEPS_SCRIPT.read_text(), re.MULTILINE)
    assert match, "RUNTIME_PACKAGES=(...) not found in install-system-deps.sh"
    return match.group(1).split()


def apt_packages(run_args: str) -> list[str]:
    """Package names after ``apt-get install`` in one RUN line."""
    packages: list[str] = []
    for command in re.split(r"&&|;|\|\|", run_args):
        words = shlex.split(command)
        if len(words) >= 2 and words[0] in ("apt-get", "apt") and "install" in words:
            after = words[words.index("install") + 1 :]
            packages += [w for w in after if not w.startswith("-")]
    return packages


@pytest.fixture(scope="module")
def instructions() -> list[Instruction]:
    assert DOCKERFILE.is_file(), "no Dockerfile at the repository root"
    return parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))


def of(instructions: list[Instruction], keyword: str) -> list[str]:
    return [i.args for i in instructions if i.keyword == keyword]


def test_base_image_is_python_311_slim_bookworm(instructions) -> None:
    assert instructions[0].keyword == "FROM"
    assert instructions[0].args.split()[0] == "python:3.11-slim-bookworm"


def test_installs_exactly_the_runtime_packages(instructions) -> None:
    runtime = script_runtime_packages()
    assert PDF_PACKAGES <= set(runtime)
    runs = of(instructions, "RUN")
    via_script = [r for r in runs if "install-system-deps.sh" in r]
    if via_script:
        assert all("--runtime" in r.split() for r in via_script), via_script
        # The script must be in the image before it runs.
        copied = " ".join(of(instructions, "COPY"))
        assert "scripts/install-system-deps.sh" in copied
        installed = set(runtime)
    else:
        installed = {p for r in runs for p in apt_packages(r)}
        assert all("--no-install-recommends" in r for r in runs if apt_packages(r))
    assert installed == set(runtime)


def test_every_copy_source_exists(instructions) -> None:
    copies = of(instructions, "COPY") + of(instructions, "ADD")
    assert copies
    for args in copies:
        words = [w for w in shlex.split(args) if not w.startswith("--")]
        if any(w.startswith("--from") for w in shlex.split(args)):
            continue  # from another build stage
        *sources, _dest = words
        assert sources, args
        for source in sources:
            assert (ROOT / source).exists(), f"COPY source missing: {source}"


def copy_destinations(instructions: list[Instruction]) -> dict[str, str]:
    """COPY source -> absolute destination, resolving relative ones against WORKDIR."""
    workdir, result = "/", {}
    for ins in instructions:
        if ins.keyword == "WORKDIR":
            workdir = str(Path(workdir, ins.args))
        elif ins.keyword == "COPY":
            *sources, dest = [w for w in shlex.split(ins.args) if not w.startswith("--")]
            for source in sources:
                target = str(Path(workdir, dest))
                if dest.endswith("/") and len(sources) > 1:
                    target = str(Path(target, Path(source).name))
                result[source.rstrip("/")] = target
    return result


def test_templates_are_copied_where_the_settings_point(instructions) -> None:
    env = " ".join(of(instructions, "ENV"))
    assert re.search(r"\bDOCGEN_TEMPLATE_DIR=/app/templates\b", env)
    assert copy_destinations(instructions).get("templates") == "/app/templates"


def test_project_is_installed_with_the_pdf_and_server_extras(instructions) -> None:
    runs = " ".join(of(instructions, "RUN"))
    match = re.search(r"pip install [^&]*?\.\[([a-z,]+)\]", runs)
    assert match, "no `pip install .[...]` line"
    extras = set(match.group(1).split(","))
    assert {"pdf", "server"} <= extras
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert extras <= set(declared["optional-dependencies"])
    assert any(d.startswith("gunicorn") for d in declared["optional-dependencies"]["server"])


def test_runs_as_a_non_root_user(instructions) -> None:
    users = of(instructions, "USER")
    assert users, "no USER instruction: the app would run as root"
    assert users[-1].split(":")[0] not in ("root", "0")
    # Nothing after the last USER needs root.
    last_user = max(i for i, ins in enumerate(instructions) if ins.keyword == "USER")
    assert not [i for i in instructions[last_user:] if i.keyword == "RUN"]


def test_exposes_8000_and_checks_healthz_with_python(instructions) -> None:
    assert "8000" in " ".join(of(instructions, "EXPOSE")).split()
    (health,) = of(instructions, "HEALTHCHECK")
    _, _, command = health.partition("CMD")
    words = exec_form(command)
    assert words[0].startswith("python")
    assert "http://127.0.0.1:8000/healthz" in " ".join(words)
    assert not re.search(r"\b(curl|wget)\b", health)


def test_cmd_starts_gunicorn_on_an_app_factory_that_imports(instructions, tmp_path) -> None:
    (cmd,) = of(instructions, "CMD")
    words = exec_form(cmd)
    assert words[0] == "gunicorn"
    assert "0.0.0.0:8000" in words
    target = words[-1]
    match = re.fullmatch(r"([\w.]+):(\w+)(\(\))?", target)
    assert match, f"not a gunicorn app spec: {target}"
    module, name, called = match.groups()
    factory = getattr(importlib.import_module(module), name)
    assert callable(factory)
    if called:
        app = factory({"instance_path": tmp_path / "instance"})
        rules = {rule.rule for rule in app.url_map.iter_rules()}
        assert "/healthz" in rules  # what the HEALTHCHECK asks for


def test_parsers_on_a_hand_written_recipe() -> None:
    text = (
        "# comment\nFROM python:3.11-slim-bookworm\n"
        "RUN apt-get update \\\n    # why\n"
        "    && apt-get install -y --no-install-recommends a b \\\n    && rm -rf /x\n"
        'CMD ["gunicorn", "app:make()"]\n'
    )
    parsed = parse_dockerfile(text)
    assert [i.keyword for i in parsed] == ["FROM", "RUN", "CMD"]
    assert apt_packages(parsed[1].args) == ["a", "b"]
    assert exec_form(parsed[2].args) == ["gunicorn", "app:make()"]


def test_cmd_and_healthcheck_run_for_real(instructions, tmp_path) -> None:
    """The image's CMD (gunicorn on the app factory) serves, and its HEALTHCHECK passes.

    The same command as the image, on a free loopback port instead of 0.0.0.0:8000,
    from the repository (the image's /app), as the image's settings have it.
    """
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    (cmd,) = of(instructions, "CMD")
    words = exec_form(cmd)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    words[words.index("0.0.0.0:8000")] = f"127.0.0.1:{port}"
    words[words.index("-w") + 1] = "1"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {**os.environ, "DOCGEN_TEMPLATE_DIR": str(ROOT / "templates"),
           "DOCGEN_INSTANCE_PATH": str(tmp_path / "instance")}
    server = subprocess.Popen([str(gunicorn), *words[1:]], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        (health,) = of(instructions, "HEALTHCHECK")
        check = exec_form(health.partition("CMD")[2])
        check = [sys.executable if w == "python" else w.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
                 for w in check]
        assert subprocess.run(check, timeout=10, check=False).returncode == 0
        body = (ROOT / "schemas" / "examples" / "minutes.json").read_bytes()
        request = urllib.request.Request(base + "/api/v1/documents/minutes", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200 and response.read()[:2] == b"PK"
    finally:
        server.terminate()
        server.wait(timeout=20)
