"""A private PostgreSQL cluster in a temporary folder, for the sync tests and the benchmark.

It uses the server binaries of Debian's `postgresql` package (/usr/lib/postgresql/*/bin), or
those on PATH. initdb refuses to run as root, so as root the server runs as the `postgres`
user (or `nobody`, on a machine without one), which then owns the folder. It listens on
127.0.0.1 only, on a free port, and on a Unix socket in the folder; host connections need a
password (scram-sha-256), so the tests can put a real one in the URL.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ADMIN = "ally_admin"
ADMIN_PASSWORD = "admin-pw-3kq9"
USER = "ally"
PASSWORD = "s3cret-Pw-7fz2"  # distinctive: tests look for it in every output


def find_bindir() -> Path | None:
    """The newest PostgreSQL server binaries on this machine, or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


@dataclass
class Cluster:
    bindir: Path
    folder: Path
    port: int
    uid: int | None
    gid: int | None

    def url(self, db: str, user: str = USER, password: str = PASSWORD) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{db}"

    def admin_url(self, db: str = "postgres") -> str:
        return self.url(db, ADMIN, ADMIN_PASSWORD)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            user=self.uid,
            group=self.gid,
            extra_groups=[] if self.uid is not None else None,
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )

    def start(self) -> None:
        data = self.folder / "data"
        pwfile = self.folder / "pw"
        pwfile.write_text(ADMIN_PASSWORD + "\n")
        self._own(pwfile)
        self._run(
            "initdb", "-D", str(data), "-U", ADMIN, f"--pwfile={pwfile}", "-E", "UTF8",
            "--no-locale", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync",
        )  # fmt: skip
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=60 -c shared_buffers=64MB"
        )
        log = self.folder / "server.log"
        self._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
        self.admin_sql(f"CREATE ROLE {USER} LOGIN CREATEDB PASSWORD '{PASSWORD}'")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def admin_sql(self, sql: str, db: str = "postgres") -> list[tuple[object, ...]]:
        import psycopg

        with psycopg.connect(self.admin_url(db), autocommit=True) as conn:
            cur = conn.execute(sql)
            return cur.fetchall() if cur.description else []

    def create_db(self, name: str) -> str:
        self.admin_sql(f"CREATE DATABASE {name} OWNER {USER}")
        return self.url(name)

    def _own(self, path: Path) -> None:
        if self.uid is not None:
            os.chown(path, self.uid, self.gid if self.gid is not None else -1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_cluster(bindir: Path, attempts: int = 3) -> Cluster:
    """A started cluster. Each pytest-xdist worker starts its own; a port that another one
    took between `free_port` and the server's bind is retried with a new port."""
    uid = gid = None
    if os.geteuid() == 0:
        try:
            who = pwd.getpwnam("postgres")
        except KeyError:
            who = pwd.getpwnam("nobody")
        uid, gid = who.pw_uid, who.pw_gid
    for attempt in range(1, attempts + 1):
        folder = Path(tempfile.mkdtemp(prefix="ally-pg-"))
        cluster = Cluster(bindir, folder, free_port(), uid, gid)
        if uid is not None:
            os.chown(folder, uid, gid if gid is not None else -1)
        folder.chmod(0o700)
        try:
            cluster.start()
        except subprocess.CalledProcessError as exc:
            log = folder / "server.log"
            detail = log.read_text()[-2000:] if log.exists() else ""
            cluster.stop()
            if "already in use" in detail and attempt < attempts:
                continue
            raise RuntimeError(f"PostgreSQL did not start: {exc.stderr}\n{detail}") from None
        except BaseException:
            cluster.stop()
            raise
        return cluster
    raise AssertionError("unreachable: the last attempt returns or raises")
