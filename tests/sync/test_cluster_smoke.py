from __future__ import annotations

import psycopg

from tests.sync.pgcluster import PASSWORD, Cluster


def test_the_private_server_needs_the_password(pg: Cluster, hub_url: str) -> None:
    with psycopg.connect(hub_url) as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("ally",)
    try:
        psycopg.connect(hub_url.replace(PASSWORD, "wrong"))
    except psycopg.OperationalError as exc:
        assert "password authentication failed" in str(exc)
    else:
        raise AssertionError("a wrong password was accepted")
