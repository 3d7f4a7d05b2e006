"""A reader that closes the pipe early (`ally export | head -1`) ends ally quietly with
exit 0, every time, so scripts with `set -o pipefail` keep going."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.helpers import ally, cli_env, ok


@pytest.mark.slow
def test_export_into_head_exits_0_fifty_times_under_pipefail(tmp_path: Path) -> None:
    env = cli_env(tmp_path, tmp_path / "ally.db")
    # about 400 kB of export: far more than a pipe holds, so head leaves while ally writes
    rows = [
        {"id": f"{n:08x}-0000-4000-8000-000000000000", "kind": "practice",
         "date": "2026-11-20", "created_at": "2026-11-20T09:00:00+00:00",
         "pillar": "action", "action_type": "protest", "note": "a note " * 20, "minutes": 30}
        for n in range(1, 1501)
    ]  # fmt: skip
    seed = tmp_path / "seed.jsonl"
    seed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    ok(ally(env, "import", str(seed)))
    errors = tmp_path / "errors.txt"
    script = (
        "set -o pipefail\n"
        "for i in $(seq 50); do\n"
        f"  '{sys.executable}' -m allycli export 2>>'{errors}' | head -1 >/dev/null"
        ' || { echo "run $i: exit $?"; exit 1; }\n'
        "done\n"
    )
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True,
                          timeout=900, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert errors.read_text() == ""
