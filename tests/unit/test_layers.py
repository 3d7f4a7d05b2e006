"""The house: folders are floors, and imports flow down them in one total order.

cli -> shell -> render -> journal (sync beside it) -> store -> core. A module may import
from its own folder or from a floor below, never from a floor above; no two modules import
each other, at any distance; no module takes another's `_private` name; only the shell reads
the clock, the environment and the terminal; only store/ (and sync's hub) speaks SQL.
Imports under `if TYPE_CHECKING:` count too: a type lives where its users can see it
without climbing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import allycli

SRC = Path(allycli.__file__).parent
FLOORS = {"cli": 0, "shell": 1, "render": 2, "journal": 3, "sync": 3, "store": 4, "core": 5}
MODULES = sorted(p for p in SRC.rglob("*.py") if p.parent != SRC or p.stem == "__main__")


def _name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _floor(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in FLOORS else None


def _imports(tree: ast.AST) -> set[str]:
    """Every module (and module.name) that `tree` imports, relative imports resolved."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _runtime(tree: ast.Module) -> ast.Module:
    """The module without its `if TYPE_CHECKING:` blocks (those imports never run)."""
    for node in ast.walk(tree):
        for field in ("body", "orelse"):
            body = getattr(node, field, None)
            if isinstance(body, list):
                body[:] = [
                    n
                    for n in body
                    if not (isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
                ]
    return tree


KNOWN = {_name(p) for p in MODULES} | {"allycli"}


def _allycli_imports(path: Path) -> set[str]:
    """The allycli modules that `path` imports (a name imported from a package counts as its
    module when it is one)."""
    out = set()
    for name in _imports(_tree(path)):
        if not name.startswith("allycli"):
            continue
        while name not in KNOWN and "." in name:
            name = name.rsplit(".", 1)[0]
        if name != "allycli" and name != _name(path):
            out.add(name)
    return out


GRAPH = {_name(p): _allycli_imports(p) for p in MODULES}


def test_every_module_lives_on_a_floor() -> None:
    loose = sorted(p.name for p in SRC.glob("*.py") if p.stem not in ("__init__", "__main__"))
    assert loose == []
    assert {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(
        FLOORS
    )


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_flow_down(module: str) -> None:
    here = _floor(module)
    if here is None:  # allycli.__main__ stands above the house and calls cli
        return
    up = sorted(
        name
        for name in GRAPH[module]
        if _floor(name) is not None and FLOORS[_floor(name)] < FLOORS[here]  # type: ignore[index]
    )
    assert up == [], f"{module} imports from a floor above it: {up}"


def test_no_circles() -> None:
    """No module reaches itself through the modules it imports."""
    seen: dict[str, int] = {}  # 1 on the current path, 2 done
    circles = []

    def visit(node: str, path: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(GRAPH.get(node, ())):
            if seen.get(nxt) == 1:
                circles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in seen:
                visit(nxt, [*path, nxt])
        seen[node] = 2

    for start in sorted(GRAPH):
        if start not in seen:
            visit(start, [start])
    assert circles == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_private_names_from_other_modules(path: Path) -> None:
    taken = [
        f"{node.module}.{a.name}"
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("allycli")
        for a in node.names
        if a.name.startswith("_") and not a.name.startswith("__")
    ]
    assert taken == []


# What each floor may never import from outside the project, at any depth of its own code.
OUTSIDE = {
    "core": {"sqlite3", "sqlmodel", "sqlalchemy", "typer", "rich", "psycopg", "platformdirs"},
    "store": {"typer", "rich", "psycopg", "platformdirs"},
    "journal": {"typer", "rich", "sqlmodel", "sqlalchemy", "psycopg", "platformdirs"},
    "render": {"sqlite3", "sqlmodel", "sqlalchemy", "typer", "psycopg", "platformdirs"},
    "shell": {"sqlite3", "sqlmodel", "sqlalchemy", "psycopg"},
    "sync": {"typer", "rich", "platformdirs"},
}
# Modules that must stay light whatever their floor allows: every TAB runs completion; the
# editor and the line reader are handed what they need.
LIGHT = {
    "allycli.shell.completion": {"sqlmodel", "sqlalchemy", "yaml", "rich", "allycli.journal"},
    "allycli.shell.editor": {"rich", "platformdirs", "allycli.journal", "allycli.store"},
    "allycli.shell.reader": {"rich", "platformdirs", "allycli.journal", "allycli.store"},
    "allycli.render.fit": {"allycli"},
}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_floors_keep_to_their_trade(path: Path) -> None:
    module = _name(path)
    banned = OUTSIDE.get(_floor(module) or "", set()) | LIGHT.get(module, set())
    imported = _imports(_runtime(_tree(path)))
    bad = {
        name
        for name in imported
        for b in banned
        if (name == b or name.startswith(b + ".")) and not name.startswith("allycli.render.fit")
    }
    assert not bad, f"{module} imports {sorted(bad)}"


# Only the shell reads the clock, the environment and the terminal.
SHELL_ONLY = ("datetime.now", "date.today", "os.environ", "os.getenv", "sys.stdin", "isatty")


@pytest.mark.parametrize(
    "path",
    # cli's commands read standard input and ask whether it is a terminal, as the shell does;
    # sync's URL may come from ALLY_SYNC_URL
    [p for p in MODULES if _floor(_name(p)) not in ("shell", "cli")],
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_only_the_shell_reads_clock_environment_and_terminal(path: Path) -> None:
    source = ast.unparse(_tree(path))
    assert [word for word in SHELL_ONLY if word in source] == []


def test_the_layer_test_can_fail() -> None:
    """The circle finder finds a circle, and the floor check sees a climb."""
    saved = {m: set(GRAPH[m]) for m in ("allycli.core.dates", "allycli.core.taxonomy")}
    try:
        GRAPH["allycli.core.dates"].add("allycli.core.taxonomy")
        GRAPH["allycli.core.taxonomy"].add("allycli.core.dates")
        with pytest.raises(AssertionError):
            test_no_circles()
        GRAPH["allycli.core.dates"].add("allycli.cli.app")
        with pytest.raises(AssertionError):
            test_imports_flow_down("allycli.core.dates")
    finally:
        GRAPH.update(saved)
