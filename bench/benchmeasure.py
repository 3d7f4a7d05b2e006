"""Running one command and measuring it: wall time, peak memory, medians, the table."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchdata import remove_db

MIB = 1024.0  # ru_maxrss is in KiB on Linux


# -- running one process -------------------------------------------------------------------

_W = os.O_WRONLY | os.O_CREAT | os.O_TRUNC

# Run one child and report its exit code and ru_maxrss (KiB). It runs in a fresh, small
# interpreter (-I -S), because a child's maxrss also counts its parent's memory at spawn.
RSS_HELPER = """\
import os, sys
out, err, *argv = sys.argv[1:]
w = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
acts = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, out, w, 0o600), (os.POSIX_SPAWN_OPEN, 2, err, w, 0o600)]
pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=acts)
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


@dataclass(frozen=True)
class Outcome:
    value: float  # seconds, or MiB
    code: int


def spawn_timed(argv: Sequence[str], env: Mapping[str, str], out: Path, err: Path) -> Outcome:
    acts = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(out), _W, 0o600),
        (os.POSIX_SPAWN_OPEN, 2, str(err), _W, 0o600),
    ]
    began = time.perf_counter()
    pid = os.posix_spawn(argv[0], list(argv), dict(env), file_actions=acts)
    _, status = os.waitpid(pid, 0)
    wall = time.perf_counter() - began
    return Outcome(wall, os.waitstatus_to_exitcode(status))


def spawn_rss(argv: Sequence[str], env: Mapping[str, str], out: Path, err: Path) -> Outcome:
    helper = [sys.executable, "-I", "-S", "-c", RSS_HELPER, str(out), str(err), *argv]
    done = subprocess.run(helper, env=dict(env), capture_output=True, text=True, check=True)
    code, kib = done.stdout.split()
    return Outcome(int(kib) / MIB, int(code))


# -- figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One command to run, with the datasets it gets a fresh copy of before each run."""

    argv: tuple[str, ...]
    env: Mapping[str, str]
    fresh: tuple[tuple[Path, Path], ...] = ()
    check: Callable[[str], str | None] | None = None  # stdout -> what is wrong, or None
    before: Callable[[], None] | None = None  # untimed set-up before each run (a hub's state)


@dataclass(frozen=True)
class Figure:
    name: str
    ally: Case
    reference: Case | None
    target: str
    max_ratio: float | None = None
    max_value: float | None = None
    memory: bool = False
    skipped: str | None = None  # why the reference was not run


@dataclass
class Row:
    name: str
    ally: float | None
    reference: float | None
    target: str
    memory: bool
    holds: bool | None
    note: str = ""
    samples: dict[str, list[float]] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.ally is None or not self.reference:
            return None
        return self.ally / self.reference

    def to_json(self) -> dict[str, object]:
        return {
            "figure": self.name,
            "ally": self.ally,
            "reference": self.reference,
            "ratio": self.ratio,
            "unit": "MiB" if self.memory else "s",
            "target": self.target,
            "holds": self.holds,
            "note": self.note,
            "samples": self.samples,
        }


def fresh_copy(source: Path, dest: Path) -> None:
    """Copy a dataset for one run, private and flushed, so no run pays for the copy."""
    remove_db(dest)
    shutil.copyfile(source, dest)
    os.chmod(dest, 0o600)
    fd = os.open(dest, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def measure(figure: Figure, runs: int, warmup: int, work: Path) -> Row:
    cases = [("ally", figure.ally)]
    if figure.reference is not None and figure.skipped is None:
        cases.append(("reference", figure.reference))
    spawn = spawn_rss if figure.memory else spawn_timed
    samples: dict[str, list[float]] = {label: [] for label, _ in cases}
    for i in range(warmup + runs):
        for label, case in cases:  # alternating: A, B, A, B, ...
            for source, dest in case.fresh:
                fresh_copy(source, dest)
            if case.before is not None:
                case.before()
            out, err = work / f"{label}.out", work / f"{label}.err"
            outcome = spawn(case.argv, case.env, out, err)
            if outcome.code != 0:
                said = err.read_text(errors="replace").strip().splitlines()
                why = said[-1] if said else "no message"
                return Row(figure.name, None, None, figure.target, figure.memory, False,
                           f"{label} exited {outcome.code}: {why[:100]}")  # fmt: skip
            if i >= warmup:
                samples[label].append(outcome.value)
    problems = []
    for label, case in cases:
        if case.check is not None:
            problem = case.check((work / f"{label}.out").read_text(errors="replace"))
            if problem:
                problems.append(f"{label}: {problem}")
    a = statistics.median(samples["ally"])
    b = statistics.median(samples["reference"]) if "reference" in samples else None
    row = Row(figure.name, a, b, figure.target, figure.memory, None, samples=samples)
    verdicts = []
    if figure.max_ratio is not None and row.ratio is not None:
        verdicts.append(row.ratio <= figure.max_ratio)
    if figure.max_value is not None:
        verdicts.append(a <= figure.max_value)
    if problems:
        row.holds, row.note = False, "; ".join(problems)
    elif figure.skipped:
        row.holds, row.note = (all(verdicts) if verdicts else None), figure.skipped
    else:
        row.holds = all(verdicts) if verdicts else None
    return row


# -- the table -----------------------------------------------------------------------------


def _value(v: float | None, memory: bool) -> str:
    if v is None:
        return "-"
    return f"{v:.1f} MiB" if memory else f"{v:.3f} s"


def table(rows: Sequence[Row]) -> str:
    header = ("figure", "ally median", "reference median", "ratio", "target", "holds")
    lines = [
        (
            r.name,
            _value(r.ally, r.memory),
            _value(r.reference, r.memory),
            "-" if r.ratio is None else f"{r.ratio:.2f}x",
            r.target,
            {True: "yes", False: "NO", None: "n/a"}[r.holds],
        )
        for r in rows
    ]
    widths = [max(len(str(x[i])) for x in (header, *lines)) for i in range(len(header))]

    def fmt(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    out = [fmt(header), fmt(["-" * w for w in widths])]
    out += [fmt(cells) for cells in lines]
    notes = [f"  {r.name}: {r.note}" for r in rows if r.note]
    if notes:
        out += ["", "notes:", *notes]
    return "\n".join(out)


def rss_floor(work: Path) -> float:
    """The measuring helper's own footprint: the least any child can show."""
    true = shutil.which("true") or "/bin/true"
    return spawn_rss([true], {}, work / "floor.out", work / "floor.err").value
