"""The prompts ship inside the wheel: a regular install finds them without the source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_carries_the_prompts_and_finds_them(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path),
         str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    [wheel] = tmp_path.glob("allycli-*.whl")
    with zipfile.ZipFile(wheel) as z:
        shipped = z.read("allycli/data/prompts.yaml")
    assert shipped == (ROOT / "data" / "prompts.yaml").read_bytes()

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target",
         str(target), str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    probe = (
        "import allycli.store.promptfiles as p; path = p.builtin_path(); "
        "ps = p.load([path]); print(path); print(len(ps))"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {probe}"],
        check=True, capture_output=True, text=True, cwd=tmp_path, timeout=60,
    ).stdout.split()  # fmt: skip
    assert Path(out[0]) == target / "allycli" / "data" / "prompts.yaml"
    assert int(out[1]) == len(__import__("yaml").safe_load(shipped.decode("utf-8"))["prompts"])
