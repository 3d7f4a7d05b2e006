"""Completion in real shells, driven through a pseudo-terminal with the keys a person presses.

Each test sources the script `ally --show-completion SHELL` prints, types a partial command
and TAB, then Ctrl-A and `echo ` and Enter: the shell echoes the completed command line, which
is easy to read back whatever escape codes the shell drew on the way. zsh and fish are tested
where they are installed (Debian: `apt-get install zsh fish`), and skipped with the reason
otherwise.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from allycli.core.records import Record
from allycli.shell.session import isolated_env
from allycli.store.database import Store

BIN = Path(sys.executable).parent
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[=>()][0-9A-B]?")
ENTRY = "0000aa02-0000-4000-8000-000000000000"

pytestmark = pytest.mark.skipif(
    not (BIN / "ally").exists(), reason="the ally entry point is not installed here"
)


class Terminal:
    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the shell
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.seen = ""

    def send(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def read(self, seconds: float) -> str:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                self.seen += chunk.decode("utf-8", "replace")
        return self.seen

    def wait_for(self, pattern: str, seconds: float = 120) -> str:  # a ceiling, not a measure
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.read(0.2)
            if re.search(pattern, clean(self.seen), re.M):
                return clean(self.seen)
        raise AssertionError(f"{pattern!r} never appeared in:\n{clean(self.seen)[-2000:]}")

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.fd)


def clean(text: str) -> str:
    return ANSI.sub("", text).replace("\r", "")


@pytest.fixture
def shell_env(tmp_path: Path, db_path: Path) -> dict[str, str]:
    Store(db_path).insert(
        [
            Record(
                id=ENTRY,
                kind="practice",
                day="2026-11-24",
                created_at="2026-11-24T10:00:00+00:00",
                pillar="action",
                action_type="protest",
            ).row(),
        ]
    )
    home = tmp_path / "home"
    env = {
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        **isolated_env(home, db_path),
        "XDG_CONFIG_DIRS": str(home / "etc"),
        "TERM": "xterm",
        "LANG": "C.UTF-8",
        "PS1": "$ ",
        "NO_COLOR": "1",
    }
    return env


def completed_line(term: Terminal, typed: str, expected: str, tabs: int = 1) -> None:
    """Type `typed`, TAB, then turn the line into `echo LINE` and check what it printed."""
    term.send(typed)
    term.read(0.3)
    for _ in range(tabs):
        term.send("\t")
        term.read(0.3)
    term.send("\x01echo \r")  # Ctrl-A: to the start of the line
    term.wait_for(rf"^{re.escape(expected)}\s*$")


def _bash(env: dict[str, str]) -> Terminal:
    term = Terminal(["bash", "--norc", "--noprofile", "-i"], env)
    term.send("source <(ally --show-completion bash); echo READY\r")
    term.wait_for(r"^READY$")
    return term


def bash_offers(env: dict[str, str], typed: str, expected: str | None, listed: str) -> None:
    """In bash, `typed` and TAB complete to `expected`; where `expected` is None (several
    words fit), TAB twice lists them, and the screen matches `listed`."""
    term = _bash(env)
    try:
        if expected is None:
            term.send(typed + "\t\t")
            term.wait_for(listed)
            return
        completed_line(term, typed, expected)
    finally:
        term.close()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ally cal", "ally calendar"),  # `ally lo` is log or lock
        ("ally log prot", "ally log protest"),
        ("ally log protest --date yes", "ally log protest --date yesterday"),
        ("ally export --format cs", "ally export --format csv"),
        ("ally reflect --prompt reflect-yielding-0", None),  # several: filled below
        ("ally delete 0000aa", f"ally delete {ENTRY}"),
        ("ally calendar --pil", "ally calendar --pillar"),
        ("ally reflect --theme abl", "ally reflect --theme ableism"),
    ],
    ids=["command", "activity", "date", "format", "prompt", "entry-id", "option", "theme"],
)
def test_bash_completes(shell_env: dict[str, str], typed: str, expected: str | None) -> None:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    # several prompt ids: TAB twice lists them
    bash_offers(shell_env, typed, expected, r"(?s)reflect-yielding-01.*reflect-yielding-08")


def test_bash_offers_every_format_on_a_double_tab(shell_env: dict[str, str]) -> None:
    term = _bash(shell_env)
    try:
        term.send("ally export --format \t\t")
        term.wait_for(r"csv\s+jsonl\s+md")
    finally:
        term.close()


def test_zsh_completes(shell_env: dict[str, str]) -> None:
    if shutil.which("zsh") is None:
        pytest.skip("zsh is not installed (Debian: apt-get install zsh)")
    env = {**shell_env, "ZDOTDIR": shell_env["HOME"]}
    Path(env["HOME"]).mkdir(parents=True, exist_ok=True)
    term = Terminal(["zsh", "-f", "-i"], env)
    try:
        term.send(
            "PS1='$ '; autoload -Uz compinit && compinit -u -D; "
            "source <(ally --show-completion zsh); echo READY\r"
        )
        term.wait_for(r"^READY$")
        completed_line(term, "ally cal", "ally calendar")
        completed_line(term, "ally delete 0000aa", f"ally delete {ENTRY}")
    finally:
        term.close()


def test_fish_completes(shell_env: dict[str, str]) -> None:
    if shutil.which("fish") is None:
        pytest.skip("fish is not installed (Debian: apt-get install fish)")
    Path(shell_env["HOME"]).mkdir(parents=True, exist_ok=True)
    term = Terminal(["fish", "--no-config", "-i"], shell_env)
    try:
        term.send("ally --show-completion fish | source; echo READY\r")
        term.wait_for(r"^READY$")
        completed_line(term, "ally cal", "ally calendar")
        completed_line(term, "ally export --format cs", "ally export --format csv")
    finally:
        term.close()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ally log mutu", "ally log mutual-aid"),
        ("ally log ai", "ally log aid"),  # an alias
        ("ally list --type mutu", "ally list --type mutual-aid"),
        ("ally rhythm mutu", "ally rhythm mutual-aid"),
        ("ally type rename mutu", "ally type rename mutual-aid"),
        ("ally type re", None),  # rename and retire: filled below
    ],
    ids=["log", "alias", "list-type", "rhythm", "rename", "subcommand"],
)
def test_bash_offers_own_types(shell_env: dict[str, str], typed: str, expected: str | None) -> None:
    from allycli.core.taxonomy import OwnType
    from allycli.store import types as type_store

    with Store(Path(shell_env["ALLY_DB"])).writing() as conn:
        type_store.put(conn, OwnType("mutual-aid", "mutual-aid", "action", None, ("aid",),
                                     False, "2026-11-24T10:00:00+00:00"))  # fmt: skip
    bash_offers(shell_env, typed, expected, r"rename\s+retire")


def test_a_tab_on_a_plain_journal_creates_no_file(tmp_path: Path) -> None:
    """TAB reads the journal without leaving a -wal, a -shm or a lock file beside it, even
    when none is there (as after the last connection of any SQLite program closed)."""
    import sqlite3

    from tests.integration.helpers import ally, cli_env, ok

    db = tmp_path / "journal" / "ally.db"
    env = cli_env(tmp_path, db)
    ok(ally(env, "log", "protest", "--note", "first"))
    conn = sqlite3.connect(db)
    conn.execute("SELECT count(*) FROM entry").fetchall()
    conn.close()  # the last connection to close removes the -wal and -shm
    before = sorted(p.name for p in (tmp_path / "journal").iterdir())
    assert not any(name.endswith(("-wal", "-shm")) for name in before)
    for words, cword in (("ally show ", "2"), ("ally log --type ", "3")):
        done = ally({**env, "_ALLY_COMPLETE": "complete_bash", "COMP_WORDS": words,
                     "COMP_CWORD": cword})  # fmt: skip
        assert done.returncode == 0 and done.stdout.strip(), done.stderr
        assert sorted(p.name for p in (tmp_path / "journal").iterdir()) == before
