from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
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
