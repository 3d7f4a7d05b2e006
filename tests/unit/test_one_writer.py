"""One writer per table and one way to create a file, held by reading the source.

A rule written twice drifts: a second INSERT into a table skips what the first one keeps
(a tombstone lifted, a row counted), and a second way of creating a file forgets a flag
(O_NOFOLLOW, say). These tests fail when a second one appears.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import allycli

SRC = Path(allycli.__file__).parent
MIGRATIONS = SRC / "store" / "schema.py"  # the schema's own history copies rows once


def _calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)]


def _name(call: ast.Call) -> str:
    return ast.unparse(call.func)


def test_files_are_created_only_by_privatefile_create() -> None:
    creating = []
    for path in sorted(SRC.rglob("*.py")):
        where = path.relative_to(SRC)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "O_CREAT" in line:
                creating.append(f"{where}:{number}")
        for call in _calls(path):
            name = _name(call)
            mode = ast.unparse(call.args[1]) if len(call.args) > 1 else ""
            target = ast.unparse(call.args[0]) if call.args else ""
            if name.endswith(
                (".write_text", ".write_bytes", ".touch", "mkstemp", "TemporaryFile")
            ) or (
                name in ("open", "io.open")
                and any(c in mode for c in "wxa")
                and target != "os.devnull"
            ):
                creating.append(f"{where}:{call.lineno} {name}")
    assert [place.split(":")[0] for place in creating] == ["store/privatefile.py"], creating


def test_each_table_has_one_insert() -> None:
    inserts: dict[str, list[str]] = {}
    pattern = re.compile(r"INSERT (?:OR \w+ )?INTO (\w+)")
    for path in sorted(SRC.rglob("*.py")):
        if path == MIGRATIONS:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for table in pattern.findall(line):
                inserts.setdefault(table, []).append(f"{path.relative_to(SRC)}:{number}")
    for table in ("rhythm", "pause", "tombstone"):
        assert len(inserts.get(table, [])) == 1, (table, inserts.get(table))
    # the entry table: its one module writes a new entry, or a whole version over one
    assert {place.split(":")[0] for place in inserts["entry"]} == {"store/entries.py"}
