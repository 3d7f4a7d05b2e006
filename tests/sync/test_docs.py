"""docs/sync.md's examples run as written, against a real hub: the password in ~/.pgpass,
the first machine's setup, the second machine joining with the key, and `--status`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sync.helpers import Journal, practice, stamp
from tests.sync.pgcluster import PASSWORD, USER, Cluster

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "sync.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent


def _run(script: str, home: Path, db: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PGPASSFILE", "ALLY_SYNC_KEY")}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", HOME=str(home), ALLY_DB=str(db),
        NO_COLOR="1",
    )  # fmt: skip
    return subprocess.run(
        ["bash", "-ec", script], env=env, capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL, check=False,
    )  # fmt: skip


def test_the_setup_examples_run_against_a_real_hub(
    pg: Cluster, hub_url: str, tmp_path: Path
) -> None:
    db = hub_url.rsplit("/", 1)[1]
    real = {
        "db.example.org:5432:ally:me:the-password": f"127.0.0.1:{pg.port}:{db}:{USER}:{PASSWORD}",
        "postgresql://me@db.example.org/ally": f"postgresql://{USER}@127.0.0.1:{pg.port}/{db}",
    }
    pgpass, first, second = re.findall(r"```sh\n(.*?)```", DOC, flags=re.S)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    a, b = Journal(tmp_path / "a" / "ally.db"), Journal(tmp_path / "b" / "ally.db")
    a.add(practice("From the first machine", stamp(0)))

    def real_script(block: str) -> str:
        for example, value in real.items():
            block = block.replace(example, value)
        return block

    done = _run(real_script(pgpass), home, a.path)
    assert done.returncode == 0, done.stderr
    assert (home / ".pgpass").stat().st_mode & 0o777 == 0o600
    done = _run(real_script(first), home, a.path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no password on the command line: no warning
    synced, key = done.stdout.strip().splitlines()[0], done.stdout.strip().splitlines()[-1]
    assert synced.startswith("Synced with postgresql://ally@127.0.0.1:")
    assert re.fullmatch(r"[a-z2-7]{52}", key)
    done = _run(real_script(second).replace("abcd...", key), home, b.path)
    assert done.returncode == 0, done.stderr
    assert "received 1 change" in done.stdout
    assert a.export() == b.export()
    status = _run("ally sync --status", home, b.path)
    assert "(it answers and accepts this key)" in status.stdout


@pytest.mark.parametrize(
    "command", [line[2:] for line in DOC.splitlines() if line.startswith("$ ")]
)
def test_the_console_examples_run(command: str, tmp_path: Path) -> None:
    done = _run(command, tmp_path, tmp_path / "data" / "ally.db")
    assert done.returncode == 0, (command, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
