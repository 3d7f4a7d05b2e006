from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
import time_machine
from typer.testing import CliRunner, Result

from allycli.cli.app import app

Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, ok: bool = True) -> Result:
        result = runner.invoke(app, list(args), input=input, prog_name="ally")
        if ok:
            assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
        return result

    return invoke


@pytest.fixture
def export(run: Run) -> Callable[[], list[dict[str, Any]]]:
    def _export() -> list[dict[str, Any]]:
        out = run("export").stdout
        return [json.loads(line) for line in out.splitlines()]

    return _export


MONDAY_7_DECEMBER = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def on_monday_7_december() -> Iterator[None]:
    """The clock stands at noon on Monday 7 December 2026 (a week of one day so far)."""
    with time_machine.travel(MONDAY_7_DECEMBER, tick=False):
        yield
