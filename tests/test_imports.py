"""The import graph of docgen/: no cycles, no reaching into another package's privates.

Read from the source (ast), not by importing, so a cycle hidden behind a lazy import —
at the bottom of a file or inside a function — still shows: every import counts, at
module level or in a function (a lazy import keeps start-up light; it is no licence for a
cycle). ``if TYPE_CHECKING:`` imports are for the type checker only and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "docgen"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in ROOT.rglob("*.py") if "migrations" not in p.parts}


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".")
    if MODULES[module].name != "__init__.py":
        package = package[:-1]
    package = package[: len(package) - node.level + 1]
    return ".".join(package + ([node.module] if node.module else []))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(module: str) -> list[tuple[str, list[str], bool]]:
    """(imported module, names, at module level) for every docgen import of ``module``."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: list[tuple[str, list[str], bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            nested = top and not isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            if isinstance(child, ast.ClassDef):
                nested = top  # a class body runs at import time
            if isinstance(child, ast.Import):
                found.extend((a.name, [], top) for a in child.names
                             if a.name.startswith("docgen"))
            elif isinstance(child, ast.ImportFrom):
                target = _resolve(module, child)
                if target.startswith("docgen"):
                    found.append((target, [a.name for a in child.names], top))
            visit(child, nested)

    visit(tree, True)
    return found


def _owner(target: str, name: str) -> str:
    """``from docgen.x import y``: y is a module when docgen.x.y is one."""
    return f"{target}.{name}" if f"{target}.{name}" in MODULES else target


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        for target, names, _top in imports(module):
            for dep in {_owner(target, n) for n in names} or {target}:
                if dep in MODULES and dep != module:
                    edges[module].add(dep)
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def dfs(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(edges[node]):
            if state.get(dep) == 1:
                return stack[stack.index(dep):] + [dep]
            if dep not in state and (cycle := dfs(dep)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := dfs(node)):
            return cycle
    return None


def _package(module: str) -> str:
    """docgen.batch._readers -> docgen.batch; docgen.cli -> docgen.cli; docgen.app -> docgen."""
    path = MODULES[module]
    parts = module.split(".")
    return module if path.name == "__init__.py" else ".".join(parts[:-1])


def test_the_walker_sees_the_modules():
    assert "docgen.service" in MODULES and "docgen.http.files" in MODULES
    assert ("docgen.rendering", ["Output", "Rendered", "Renderer", "Validated"], True) in \
        imports("docgen.register.numbering")


def test_no_import_cycle():
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_private_name_of_another_package():
    offences = []
    for module in MODULES:
        here = _package(module)
        for target, names, _top in imports(module):
            if target not in MODULES:
                continue
            owner = _package(target) if MODULES[target].name != "__init__.py" else target
            private_module = any(part.startswith("_") and part != "__init__"
                                 for part in target.split(".")[len(owner.split(".")):]) \
                or target.split(".")[-1].startswith("_")
            for name in names or [""]:
                dep = _owner(target, name) if name else target
                if dep in MODULES and dep != target:  # `from pkg import _mod`
                    private = dep.split(".")[-1].startswith("_")
                    dep_owner = _package(target) if MODULES[target].name != "__init__.py" \
                        else target
                else:
                    private = private_module or name.startswith("_")
                    dep_owner = owner
                if private and dep_owner != here and not here.startswith(dep_owner + "."):
                    offences.append(f"{module}: {target} {name}".strip())
    assert not offences, "private names used across packages:\n" + "\n".join(offences)


@pytest.mark.parametrize(("importer", "forbidden"), [
    ("docgen.api", "docgen.web"),
    ("docgen.web", "docgen.api"),
    ("docgen.engine", "flask"),
])
def test_layers_stay_apart(importer, forbidden):
    """api/ and web/ share docgen.http and never import each other; the engine has no Flask."""
    for module, path in MODULES.items():
        if module == importer or module.startswith(importer + "."):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                    [_resolve(module, node)] if isinstance(node, ast.ImportFrom) else [])
                assert not any(n == forbidden or n.startswith(forbidden + ".") for n in names), \
                    f"{module} imports {forbidden}"
