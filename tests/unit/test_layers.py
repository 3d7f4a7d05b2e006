"""Imports flow down: the shell on top, pure modules at the bottom (STYLE.md, Layout)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import allycli

SRC = Path(allycli.__file__).parent
PURE = (
    "taxonomy",
    "dates",
    "insights",
    "prompts",
    "records",
    "errors",
    "intake",
    "heatmap",
    "rhythm_specs",
    "rhythms",
    "exchange_objects",
    "sanitize",
)
FORBIDDEN = {
    # module: what it may never import, at any depth of its own code
    **{
        m: {
            "sqlite3",
            "sqlmodel",
            "sqlalchemy",
            "typer",
            "rich",
            "allycli.store",
            "allycli.queries",
            "allycli.journal",
            "allycli.cli",
            "allycli.shell",
            "allycli.render",
        }
        for m in PURE
    },
    "store": {
        "sqlmodel",
        "sqlalchemy",
        "typer",
        "rich",
        "allycli.queries",
        "allycli.models",
        "allycli.journal",
        "allycli.cli",
        "allycli.shell",
        "allycli.render",
    },
    "opening": {
        "sqlmodel",
        "sqlalchemy",
        "typer",
        "rich",
        "allycli.queries",
        "allycli.models",
        "allycli.journal",
        "allycli.cli",
        "allycli.shell",
        "allycli.render",
    },
    "render": {
        "sqlite3",
        "sqlmodel",
        "sqlalchemy",
        "typer",
        "allycli.store",
        "allycli.queries",
        "allycli.cli",
        "allycli.shell",
    },
    "journal": {"typer", "allycli.cli", "allycli.shell", "allycli.render"},
    "reporting": {"typer", "allycli.cli", "allycli.shell", "allycli.render"},
    # rhythms and pauses: plain sqlite3 below, use cases above it, rendering apart
    "rhythm_store": {
        "sqlmodel",
        "sqlalchemy",
        "typer",
        "rich",
        "allycli.queries",
        "allycli.models",
        "allycli.journal",
        "allycli.cli",
        "allycli.shell",
        "allycli.render",
    },
    "rhythm_cases": {
        "sqlmodel",
        "sqlalchemy",
        "typer",
        "rich",
        "allycli.queries",
        "allycli.models",
        "allycli.cli",
        "allycli.shell",
        "allycli.render",
    },
    "render_report": {
        "sqlite3",
        "sqlmodel",
        "sqlalchemy",
        "typer",
        "allycli.store",
        "allycli.queries",
        "allycli.cli",
        "allycli.shell",
    },
    "render_rhythms": {
        "sqlite3",
        "sqlmodel",
        "sqlalchemy",
        "typer",
        "allycli.store",
        "allycli.queries",
        "allycli.rhythm_store",
        "allycli.cli",
        "allycli.shell",
    },
    "exchange": {"typer", "rich", "sqlite3", "allycli.cli", "allycli.shell", "allycli.store"},
    "drafts": {"typer", "rich", "sqlite3", "allycli.cli", "allycli.shell", "allycli.store"},
    # every TAB runs completion: no YAML, no SQLModel, no Rich, no use cases
    "completion": {
        "sqlmodel",
        "sqlalchemy",
        "yaml",
        "rich",
        "allycli.store",
        "allycli.queries",
        "allycli.journal",
        "allycli.prompts",
        "allycli.cli",
        "allycli.render",
    },
    "picture": {
        "sqlite3",
        "sqlmodel",
        "sqlalchemy",
        "typer",
        "allycli.store",
        "allycli.queries",
        "allycli.cli",
        "allycli.shell",
    },
    "fit": {"sqlite3", "sqlmodel", "sqlalchemy", "typer", "allycli"},
    # the editor and the line reader are handed what they need (command, folder, terminal)
    **{
        m: {
            "sqlite3",
            "sqlmodel",
            "sqlalchemy",
            "typer",
            "rich",
            "platformdirs",
            "allycli.store",
            "allycli.queries",
            "allycli.journal",
            "allycli.cli",
            "allycli.shell",
            "allycli.render",
        }
        for m in ("editor", "reader")
    },
}
# Only the shell reads the clock, the environment and the terminal.
SHELL_ONLY = ("datetime.now", "date.today", "os.environ", "os.getenv", "sys.stdin", "isatty")


def _imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def _runtime_tree(path: Path) -> ast.Module:
    """The module without its `if TYPE_CHECKING:` blocks (those imports never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
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


@pytest.mark.parametrize("module", sorted(FORBIDDEN))
def test_imports_flow_down(module: str) -> None:
    imported = _imports(_runtime_tree(SRC / f"{module}.py"))
    bad = {
        name
        for name in imported
        for banned in FORBIDDEN[module]
        if name == banned or name.startswith(banned + ".")
    }
    assert not bad, f"{module}.py imports {sorted(bad)}"


@pytest.mark.parametrize(
    "path",
    # cli_files and cli_sync hold commands moved out of cli.py, with the environment and
    # terminal reads they had there
    sorted(p for p in SRC.rglob("*.py") if p.stem not in ("cli", "cli_files", "cli_sync", "shell")),
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_only_the_shell_reads_clock_environment_and_terminal(path: Path) -> None:
    source = ast.unparse(ast.parse(path.read_text(encoding="utf-8")))
    assert [word for word in SHELL_ONLY if word in source] == []
