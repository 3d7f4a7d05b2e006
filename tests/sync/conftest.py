"""A private PostgreSQL server for the whole session, a fresh hub database per test, and
two machines' journals (`a`, a laptop, and `b`, a desktop) to sync through it."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.helpers import Journal
from tests.sync.pgcluster import PASSWORD, USER, Cluster, find_bindir, start_cluster

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg() -> Iterator[Cluster]:
    bindir = find_bindir()
    if bindir is None:
        message = (
            "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin or initdb on PATH); "
            "install Debian's postgresql package to run the sync tests"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    cluster = start_cluster(bindir)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pgpass(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A libpq password file for the private server: how the README keeps passwords out of
    command lines."""
    path = tmp_path_factory.mktemp("pgpass") / "pgpass"
    path.write_text(f"127.0.0.1:*:*:{USER}:{PASSWORD}\n")
    path.chmod(0o600)
    return str(path)


@pytest.fixture(autouse=True)
def _password_file(pgpass: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGPASSFILE", pgpass)


@pytest.fixture
def hub_url(pg: Cluster) -> str:
    """A new, empty database on the private server; the URL carries a password."""
    return pg.create_db(f"hub{next(_numbers)}")


@pytest.fixture
def a(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "laptop" / "ally.db")


@pytest.fixture
def b(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "desktop" / "ally.db")
