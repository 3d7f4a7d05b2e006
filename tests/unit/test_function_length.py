"""Functions a reader can hold: none in src is longer than 80 lines.

A use case that runs longer hides its steps; name them, and let the top function read as
the list of steps. The length is counted from the `def` line to the last line of the body,
docstring and comments included (decorators are not).
"""

from __future__ import annotations

import ast
from pathlib import Path

import allycli

SRC = Path(allycli.__file__).parent
LIMIT = 80


def long_functions(root: Path, limit: int = LIMIT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno is not None
                lines = node.end_lineno - node.lineno + 1
                if lines > limit:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {node.name}: {lines}")
    return found


def test_no_function_in_src_is_longer_than_80_lines() -> None:
    assert long_functions(SRC) == []


def test_the_count_sees_a_long_function(tmp_path: Path) -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(LIMIT))
    (tmp_path / "long.py").write_text(f"def long():\n{body}\n\ndef short():\n    pass\n")
    assert long_functions(tmp_path) == [f"long.py:1 long: {LIMIT + 1}"]
    assert long_functions(tmp_path, limit=LIMIT + 1) == []
