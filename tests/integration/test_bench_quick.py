"""bench/run --quick: the speed benchmark still runs and prints every figure."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUN = REPO / "bench" / "run"
BIG, SMALL = 200, 50

FIGURES = {
    # figure: whether it has a reference run
    "--help vs import typer": True,
    "--version vs import typer": True,
    "complete 'ally lo' vs import typer": True,
    f"log ({SMALL}) vs jrnl ({SMALL})": True,  # jrnl is skipped when it is not installed
    f"log ({BIG}) vs log (empty)": True,
    f"report --year ({BIG}) vs (empty)": True,
    f"report --year --json ({BIG}) vs (empty)": True,
    f"report --year, rhythms ({BIG}) vs (empty)": True,
    f"rhythm --json ({BIG}) vs (empty)": True,
    f"calendar ({BIG}) vs (empty)": True,
    f"complete 'ally delete 3' ({BIG}) vs import typer": True,
    f"import ({BIG})": False,
    f"export jsonl ({BIG})": False,
    f"search quillwort ({BIG}, 1 match) vs (empty)": True,
    f"search redlining ({BIG}, ~4% match) vs (empty)": True,
    f"list --limit 10 ({BIG}) vs search redlining ({BIG})": True,
    f"report --week ({BIG}) vs search redlining ({BIG})": True,
    f"show ({BIG}) vs log ({BIG})": True,
    f"edit --note ({BIG}) vs log ({BIG})": True,
    f"export RSS ({BIG}) vs ({SMALL})": True,
    f"report --year RSS ({BIG}) vs (empty)": True,
    f"sync first ({BIG}) vs import ({BIG})": True,  # skipped where PostgreSQL is missing
    f"sync 10 new vs nothing new (hub of {BIG})": True,
    f"sync nothing new ({BIG}) vs ({SMALL})": True,
}
SYNC_FIGURES = {name for name in FIGURES if name.startswith("sync ")}
VALUE = re.compile(r"^\d+\.\d+ (s|MiB)$")


@pytest.mark.slow  # a whole benchmark run: about 30 s of processes
@pytest.mark.skipif(not RUN.exists(), reason="bench/ is not part of this source tree")
def test_quick_benchmark_prints_every_figure(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    done = subprocess.run(
        [str(RUN), "--quick", "--data", str(tmp_path / "data"), "--big", str(BIG),
         "--small", str(SMALL), "--json", str(results)],
        env={**os.environ, "PYTHON": sys.executable},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr

    lines = done.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("figure "))
    header = re.split(r"\s{2,}", lines[start])
    assert header == ["figure", "ally median", "reference median", "ratio", "target", "holds"]
    rows = {}
    for line in lines[start + 2 :]:
        if not line.strip():
            break
        cells = re.split(r"\s{2,}", line.strip())
        rows[cells[0]] = cells
    assert list(rows) == list(FIGURES)

    jrnl_figure = f"log ({SMALL}) vs jrnl ({SMALL})"
    jrnl_skipped = "jrnl is not installed here" in done.stdout
    sync_skipped = "skipped: no PostgreSQL server binaries" in done.stdout
    assert sync_skipped or "skipped:" not in done.stdout, done.stdout
    for name, referenced in FIGURES.items():
        _, ally, reference, ratio, target, holds = rows[name]
        if name in SYNC_FIGURES and sync_skipped:
            assert (ally, reference, ratio, holds) == ("-", "-", "-", "n/a"), name
            continue
        assert VALUE.match(ally), (name, ally)
        if referenced and not (name == jrnl_figure and jrnl_skipped):
            assert VALUE.match(reference), (name, reference)
            assert re.match(r"^\d+\.\d+x$", ratio), (name, ratio)
        else:
            assert (reference, ratio) == ("-", "-"), name
        assert target
        assert holds in ("yes", "NO", "n/a"), (name, holds)
    assert re.search(rf"^targets holding: \d+ of {len(FIGURES)}$", done.stdout, re.MULTILINE)

    data = json.loads(results.read_text())
    assert data["mode"] == "quick"
    assert [r["figure"] for r in data["rows"]] == list(FIGURES)
    measured = [r for r in data["rows"] if not (sync_skipped and r["figure"] in SYNC_FIGURES)]
    assert all(isinstance(r["ally"], float) and r["ally"] > 0 for r in measured)
    assert all(len(r["samples"]["ally"]) == 1 for r in measured)
