"""Encryption's cost, as ratios measured in one run (whole-process wall time, medians).

    python bench/encrypted.py [--entries 20000] [--big 100000] [--runs 7]

1. With the key cached (`ally unlock`), `ally log` and `ally report --week` on an encrypted
   journal of --entries entries, against the same commands on the same journal in plain; runs
   alternate between the two, each on a fresh copy for `log`.
2. `ally encrypt` of a --big journal against `ally backup` of it (each on a fresh copy).

Needs the encrypt extra and a kernel keyring that keeps keys (Linux); without one the first
figure is taken with ALLY_PASSPHRASE_CMD and says so.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdata import SEED, practice_records, write_ally_db

ALLY = [sys.executable, "-m", "allycli"]
PASSPHRASE = "bench passphrase"


def env_for(db: Path, root: Path, **extra: str) -> dict[str, str]:
    from allycli.shell.session import isolated_env

    env = dict(os.environ)
    env.update(isolated_env(root, db))
    env.update(NO_COLOR="1", ALLY_PAGER="cat")
    env.pop("ALLY_PASSPHRASE_CMD", None)
    env.update(extra)
    return env


CPU: dict[str, list[float]] = {}  # CPU time (user + sys) of the same runs, by label


def timed(args: list[str], env: dict[str, str], label: str = "") -> float:
    """Whole-process wall time; the process's CPU time goes to CPU[label] (on a busy machine
    the wall time mostly measures the others' load)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([*ALLY, *args], env=env, capture_output=True, check=False)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    CPU.setdefault(label, []).append(cpu)
    if done.returncode != 0:
        raise SystemExit(f"ally {' '.join(args)} failed: {done.stderr.decode()[-300:]}")
    return took


def cpu_ratio(first: str, second: str) -> str:
    a, b = statistics.median(CPU[first]), statistics.median(CPU[second])
    return f"CPU {b:.3f} s against {a:.3f} s, ratio {b / a:.2f}"


def fresh(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".pub"):
        side = target.with_name(target.name + suffix)
        side.unlink(missing_ok=True)
        original = source.with_name(source.name + suffix)
        if original.exists():
            shutil.copy(original, side)
    shutil.rmtree(target.parent / "backups", ignore_errors=True)


def cached_key_ratio(root: Path, entries: int, runs: int) -> str:
    plain = root / "plain" / "ally.db"
    locked = root / "locked" / "ally.db"
    for folder in (plain.parent, locked.parent):
        folder.mkdir(parents=True)
    write_ally_db(plain, practice_records(entries, SEED, date.today()))
    fresh(plain, locked)
    with_cmd = {"ALLY_PASSPHRASE_CMD": f"printf '%s\\n' '{PASSPHRASE}'"}
    timed(["encrypt"], env_for(locked, root, **with_cmd))
    unlocked = subprocess.run(
        [*ALLY, "unlock", "--for", "1h"], env=env_for(locked, root, **with_cmd),
        capture_output=True, check=False,
    )  # fmt: skip
    how = "key cached by `ally unlock`"
    extra: dict[str, str] = {}
    if unlocked.returncode != 0:
        how = "no kernel keyring here: ALLY_PASSPHRASE_CMD (a key derivation per command)"
        extra = with_cmd
    plain_log, locked_log = root / "plain-log" / "ally.db", root / "locked-log" / "ally.db"
    plain_log.parent.mkdir()
    locked_log.parent.mkdir()
    lines = [f"{entries} entries, {how}, median of {runs}:"]
    for args in (["log", "listening", "--note", "bench"], ["report", "--week"]):
        times: dict[str, list[float]] = {"plain": [], "encrypted": []}
        for _ in range(runs):
            for name, source, work in (
                ("plain", plain, plain_log),
                ("encrypted", locked, locked_log),
            ):
                fresh(source, work)
                env = env_for(work, root, **extra)
                if name == "encrypted" and not extra:  # the cache is keyed by the path
                    subprocess.run([*ALLY, "unlock", "--for", "1h"],
                                   env=env_for(work, root, **with_cmd), capture_output=True,
                                   check=False)  # fmt: skip
                times[name].append(timed(args, env, f"{args[0]} {name}"))
        p, e = statistics.median(times["plain"]), statistics.median(times["encrypted"])
        lines.append(f"  ally {' '.join(args[:2])}: plain {p:.3f} s, encrypted {e:.3f} s, "
                     f"ratio {e / p:.2f}; "
                     f"{cpu_ratio(f'{args[0]} plain', f'{args[0]} encrypted')}")  # fmt: skip
    for work in (locked, locked_log):
        subprocess.run([*ALLY, "lock"], env=env_for(work, root), capture_output=True, check=False)
    return "\n".join(lines)


def encrypt_ratio(root: Path, entries: int, runs: int) -> str:
    source = root / "big" / "ally.db"
    work = root / "big-work" / "ally.db"
    source.parent.mkdir()
    work.parent.mkdir()
    write_ally_db(source, practice_records(entries, SEED, date.today()))
    with_cmd = {"ALLY_PASSPHRASE_CMD": f"printf '%s\\n' '{PASSPHRASE}'"}
    times: dict[str, list[float]] = {"backup": [], "encrypt": []}
    for _ in range(runs):
        for name in ("backup", "encrypt"):
            fresh(source, work)
            (work.parent / "ally.db.pub").unlink(missing_ok=True)
            times[name].append(timed([name], env_for(work, root, **with_cmd), name))
    b, e = statistics.median(times["backup"]), statistics.median(times["encrypt"])
    return (f"{entries} entries, median of {runs}: ally backup {b:.3f} s, ally encrypt "
            f"{e:.3f} s, ratio {e / b:.2f}; {cpu_ratio('backup', 'encrypt')}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ally-bench-encrypted-") as tmp:
        root = Path(tmp)
        print(cached_key_ratio(root, args.entries, args.runs))
        print(encrypt_ratio(root, args.big, max(3, args.runs // 2)))


if __name__ == "__main__":
    main()
