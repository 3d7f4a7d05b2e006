"""Encryption at rest, as a person meets it: the real `ally` in its own process, real SQLCipher
files, a pseudo-terminal for the passphrase, the kernel keyring, and a scan of every byte ally
may have written for words from the notes."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pexpect
import pytest

from allycli.store.schema import MIGRATIONS, SCHEMA_VERSION
from tests.integration.helpers import (
    ALLY,
    ally,
    cli_env,
    export_objects,
    make_db,
    one_line_error,
    practice,
)

sqlcipher3 = pytest.importorskip("sqlcipher3", reason="the encrypt extra (in the test extra)")

PASS = "correct horse battery"
MARKERS = (b"redliningmarker", b"picketmarker", b"vigilmarker", b"answermarker")
SQLITE_HEADER = b"SQLite format 3\x00"


def passphrase_cmd(words: str) -> str:
    return f"printf '%s\\n' '{words}'"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    return cli_env(tmp_path, tmp_path / "journal" / "ally.db", XDG_RUNTIME_DIR=str(runtime))


def db_of(env: dict[str, str]) -> Path:
    return Path(env["ALLY_DB"])


def keyed(env: dict[str, str], words: str = PASS) -> dict[str, str]:
    return {**env, "ALLY_PASSPHRASE_CMD": passphrase_cmd(words)}


def scanned(env: dict[str, str]) -> list[str]:
    """Every file under the journal's folder, the state folder and $TMPDIR that holds a
    marker word (the journal's folder and $TMPDIR are this test's own)."""
    found = []
    roots = {db_of(env).parent, Path(env["XDG_STATE_HOME"]), Path(env["TMPDIR"])}
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink():
                data = path.read_bytes()
                found += [f"{path}: {m.decode()}" for m in MARKERS if m in data]
    return found


def run_ok(env: dict[str, str], *args: str, input: str | None = None) -> str:
    done = ally(env, *args, input=input)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def journal_with_markers(env: dict[str, str]) -> None:
    run_ok(env, "log", "training", "--note", "read on redliningmarker")
    run_ok(env, "log", "protest", "--note", "the picketmarker line")
    run_ok(env, "backup")
    run_ok(env, "log", "listening", "--note", "at the vigilmarker")


def cipher_value(db: Path, sql: str, passphrase: str | None = PASS) -> Any:
    """One value read through SQLCipher itself, with the passphrase as any SQLCipher 4 tool
    takes it (its default key derivation), not through ally."""
    conn = sqlcipher3.connect(str(db))
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if passphrase is not None:
            conn.execute(f"PRAGMA key = '{passphrase}'")
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def entry_count(db: Path, passphrase: str | None = PASS) -> int:
    return int(cipher_value(db, "SELECT count(*) FROM entry", passphrase))


def test_encrypt_leaves_no_word_in_clear_and_any_sqlcipher_opens_it(env: dict[str, str]) -> None:
    journal_with_markers(env)
    assert scanned(env)  # the scan can fail: the plain journal holds the words
    said = run_ok(keyed(env), "encrypt")
    assert "3 entries and 1 backup" in said
    assert "SSD" in said
    assert scanned(env) == []
    db = db_of(env)
    assert db.read_bytes()[:16] != SQLITE_HEADER
    assert not db.with_name("ally.db-wal").exists()
    assert oct(db.with_name("ally.db.pub").stat().st_mode & 0o777) == "0o600"
    assert entry_count(db) == 3
    (backup,) = (db.parent / "backups").iterdir()
    assert entry_count(backup) == 2
    listed = run_ok(keyed(env), "list")
    assert "redliningmarker" in listed and "vigilmarker" in listed
    exported = ally(keyed(env), "export")
    assert "vigilmarker" in exported.stdout
    assert exported.stderr == "ally: the export was written in clear (not encrypted).\n"
    assert "redliningmarker" in run_ok(keyed(env), "search", "redliningmarker")
    run_ok(keyed(env), "log", "money", "--note", "to the vigilmarker fund")
    run_ok(keyed(env), "backup")
    assert scanned(env) == []
    for each in (db.parent / "backups").iterdir():  # a new backup: same passphrase
        assert entry_count(each) in (2, 4)


def test_wrong_passphrase_is_one_sentence_and_changes_nothing(env: dict[str, str]) -> None:
    journal_with_markers(env)
    run_ok(keyed(env), "encrypt")
    db = db_of(env)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    done = ally(keyed(env, "wrong words"), "list")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "does not open the journal" in done.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert "Traceback" not in done.stderr


def test_a_damaged_file_is_told_from_a_wrong_key(env: dict[str, str]) -> None:
    journal_with_markers(env)
    run_ok(keyed(env), "encrypt")
    db = db_of(env)
    data = bytearray(db.read_bytes())
    for at in range(4096 + 100, len(data) - 100, 4096):  # every page but the first
        data[at] ^= 0xFF
    db.write_bytes(bytes(data))
    damaged = ally(keyed(env), "list")
    assert damaged.returncode == 1
    assert "is damaged" in damaged.stderr
    assert damaged.stderr.count("\n") == 1  # SQLCipher's own log is silenced
    wrong = ally(keyed(env, "not it"), "list")
    assert wrong.returncode == 1
    assert "does not open the journal" in wrong.stderr
    assert "is damaged" not in wrong.stderr


def test_capture_while_locked_then_unlock_merges_twice_without_duplicates(
    env: dict[str, str],
) -> None:
    journal_with_markers(env)
    run_ok(keyed(env), "encrypt")
    inbox = db_of(env).parent / "inbox"
    for round_ in (1, 2):
        said = run_ok(env, "log", "advocacy", "--note", f"answermarker capture {round_}")
        assert "joins the journal the next time it is unlocked" in said
        said = run_ok(env, "reflect", "--answer", f"answermarker reflection {round_}")
        assert "joins the journal" in said
        wrong = ally(keyed(env, "wrong"), "log", "voting", "--note", f"answermarker {round_}")
        assert wrong.returncode == 0  # a wrong passphrase command: captured too
        assert len(list(inbox.iterdir())) == 3
        assert scanned(env) == []
        listed = run_ok(keyed(env), "list", "--limit", "100")
        assert f"answermarker capture {round_}" in listed
        assert f"answermarker reflection {round_}" in listed
        assert list(inbox.iterdir()) == []
    listed = run_ok(keyed(env), "list", "--limit", "100")
    assert listed.count("answermarker capture") == 2
    assert listed.count("answermarker reflection") == 2
    assert entry_count(db_of(env)) == 3 + 6


def test_other_writes_without_the_key_keep_a_sealed_draft(env: dict[str, str]) -> None:
    journal_with_markers(env)
    run_ok(keyed(env), "encrypt")
    listed = run_ok(keyed(env), "list")
    entry_id = listed.split()[0]
    done = ally(env, "edit", entry_id, "--note", "answermarker edited")
    assert done.returncode == 1
    assert ".sealed" in done.stderr
    assert scanned(env) == []
    draft = next(p.rstrip(",;.`") for p in done.stderr.split() if ".sealed" in p)
    run_ok(keyed(env), "import", draft.strip("`"))
    assert "answermarker edited" in run_ok(keyed(env), "list")


def test_decrypt_and_passwd(env: dict[str, str]) -> None:
    journal_with_markers(env)
    run_ok(keyed(env), "encrypt")
    db = db_of(env)
    refused = ally(keyed(env), "decrypt")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    changed = ally({**keyed(env), "ALLY_NEW_PASSPHRASE_CMD": passphrase_cmd("new words")}, "passwd")
    assert changed.returncode == 0, changed.stderr
    assert ally(keyed(env), "list").returncode == 1
    assert "vigilmarker" in run_ok(keyed(env, "new words"), "list")
    (backup,) = (db.parent / "backups").iterdir()
    assert entry_count(backup, "new words") == 2
    assert scanned(env) == []
    run_ok(keyed(env, "new words"), "decrypt", "--yes")
    assert db.read_bytes()[:16] == SQLITE_HEADER
    assert backup.read_bytes()[:16] == SQLITE_HEADER
    assert not db.with_name("ally.db.pub").exists()
    assert "vigilmarker" in run_ok(env, "list")


def test_restore_into_an_encrypted_journal_keeps_it_encrypted(
    env: dict[str, str], tmp_path: Path
) -> None:
    journal_with_markers(env)
    outside = tmp_path / "plain-copy.db"  # a plain copy made before encrypting, elsewhere
    run_ok(env, "backup", "--output", str(outside))
    run_ok(keyed(env), "encrypt")
    run_ok(keyed(env), "log", "money", "--note", "answermarker after")
    (backup,) = (db_of(env).parent / "backups").iterdir()
    said = run_ok(keyed(env), "restore", "--yes", str(backup))
    assert "before-restore" in said
    assert entry_count(db_of(env)) == 2
    run_ok(keyed(env), "restore", "--yes", str(outside))
    assert entry_count(db_of(env)) == 3
    outside.unlink()  # the person's own plain copy, not ally's
    assert scanned(env) == []  # the copies kept before each restore are encrypted too
    for each in (db_of(env).parent / "backups").iterdir():
        assert entry_count(each) in (2, 3, 4)
    run_ok(env, "log", "advocacy", "--note", "answermarker captured")  # captures still open
    assert "answermarker captured" in run_ok(keyed(env), "list")


def test_completion_never_asks_and_offers_nothing_while_locked(
    env: dict[str, str], tmp_path: Path
) -> None:
    journal_with_markers(env)
    run_ok(keyed(env), "encrypt")
    asked = tmp_path / "asked"
    done = ally(
        {**env, "ALLY_PASSPHRASE_CMD": f"touch {asked}; echo '{PASS}'",
         "_ALLY_COMPLETE": "complete_bash", "COMP_WORDS": "ally show ", "COMP_CWORD": "2"},
    )  # fmt: skip
    assert done.returncode == 0
    assert done.stdout.strip() == ""
    assert not asked.exists()


def test_salvage_of_an_encrypted_journal_imports_whole_into_a_new_one(
    env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    journal_with_markers(env)
    run_ok(keyed(env), "encrypt")
    db = db_of(env)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    outside = tmp_path_factory.mktemp("salvaged")  # the person's own folder, outside the scan
    target = outside / "salvaged.jsonl"
    wrong = ally(keyed(env, "wrong words"), "export", "--salvage", "--output", str(target))
    assert "does not open the journal" in one_line_error(wrong)
    assert list(outside.iterdir()) == []
    done = ally(keyed(env), "export", "--salvage", "--output", str(target))
    assert done.returncode == 0, done.stderr
    said = "Salvaged 3 entries, 0 rhythms and 0 pauses in clear (not encrypted) to "
    assert done.stderr.startswith(said)
    assert "vigilmarker" in target.read_text()
    piped = ally(keyed(env), "export", "--salvage")
    assert len(piped.stdout.splitlines()) == 3
    assert piped.stderr.startswith("Salvaged 3 entries, 0 rhythms and 0 pauses in clear (")
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert scanned(env) == []
    fresh = cli_env(outside, outside / "fresh" / "ally.db")
    run_ok(fresh, "import", str(target))
    assert export_objects(fresh) == export_objects(keyed(env))


def stepped_back(db: Path, passphrase: str = PASS) -> None:
    """Undo the last migration of an encrypted journal through SQLCipher with the passphrase
    (drop what it created, lower user_version), as if an earlier ally had written it."""
    made = []
    for statement in MIGRATIONS[-1].statements:
        m = re.match(r"\s*CREATE (TABLE|INDEX|TRIGGER) (\w+)", statement)
        assert m, "the last migration does more than create: step it back another way"
        made.append(f"DROP {m.group(1)} IF EXISTS {m.group(2)}")
    conn = sqlcipher3.connect(str(db), isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = '{passphrase}'")
        for drop in reversed(made):
            conn.execute(drop)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    finally:
        conn.close()


def user_version(db: Path) -> int:
    return int(cipher_value(db, "PRAGMA user_version"))


def test_the_copy_kept_before_an_upgrade_is_encrypted_under_the_journal_key(
    env: dict[str, str],
) -> None:
    journal_with_markers(env)
    run_ok(keyed(env), "encrypt")
    db = db_of(env)
    stepped_back(db)
    assert user_version(db) == SCHEMA_VERSION - 1
    copy = db.with_name(f"ally.db.v{SCHEMA_VERSION - 1}.bak")
    assert not copy.exists()
    assert "vigilmarker" in run_ok(keyed(env), "list")  # the upgrade, with the key
    assert user_version(db) == SCHEMA_VERSION
    assert copy.read_bytes()[:16] == db.read_bytes()[:16]  # the journal's salt
    assert copy.read_bytes()[:16] != SQLITE_HEADER
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    assert scanned(env) == []
    assert entry_count(copy) == 3  # the passphrase opens it, as any SQLCipher 4 tool would
    assert user_version(copy) == SCHEMA_VERSION - 1
    locked = run_ok(env, "doctor")  # no key cached and no passphrase command: locked
    assert f"{copy} (encrypted; checked once unlocked)" in locked
    assert f"{copy} (3 entries)" in run_ok(keyed(env), "doctor")  # the command opens it
    if _keyring_refused() is None:  # with the key cached, doctor checks each copy with it
        run_ok(keyed(env), "unlock")
        try:
            doctor = run_ok(env, "doctor")
        finally:
            run_ok(env, "lock")
        assert f"{copy} (3 entries)" in doctor
        assert "does not open" not in doctor and "damaged" not in doctor


def complete(env: dict[str, str], words: str) -> list[str]:
    """What bash's TAB offers after `words` (a trailing space: a new word)."""
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    done = ally({**env, "_ALLY_COMPLETE": "complete_bash", "COMP_WORDS": words,
                 "COMP_CWORD": str(cword)})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout.split()


def files_under(folder: Path) -> dict[str, str]:
    """Every file under `folder` and a digest of its bytes (a -shm by name only: SQLite's
    readers mark in it where they read)."""
    return {
        str(p.relative_to(folder)): ""
        if p.name.endswith("-shm")
        else hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_completion_with_the_key_cached_offers_as_on_a_plain_journal(
    env: dict[str, str], tmp_path: Path
) -> None:
    refused = _keyring_refused()
    if refused:
        pytest.skip(f"the kernel keyring refuses keys here ({refused}); without a cached key "
                    "completion offers nothing")  # fmt: skip
    journal_with_markers(env)
    run_ok(env, "type", "add", "mutual-aid", "--pillar", "action")
    ids = complete(env, "ally show ")
    assert len(ids) == 3
    assert complete(env, "ally export --type mu") == ["mutual-aid"]
    run_ok(keyed(env), "encrypt")
    run_ok(keyed(env), "unlock", "--for", "10m")
    try:
        asked = tmp_path / "asked"
        tab = {**env, "ALLY_PASSPHRASE_CMD": f"touch {asked}; echo '{PASS}'"}
        before = files_under(db_of(env).parent)
        assert complete(tab, "ally show ") == ids
        assert complete(tab, f"ally delete {ids[1][:6]}") == [ids[1]]
        assert complete(tab, "ally export --type mu") == ["mutual-aid"]
        assert "mutual-aid" in complete(tab, "ally log mu")
        assert files_under(db_of(env).parent) == before  # read-only: nothing made or changed
        run_ok(env, "log", "money", "--note", "answermarker")  # now with a -wal beside it
        before = files_under(db_of(env).parent)
        assert "ally.db-wal" in before
        offered = complete(tab, "ally show ")
        assert len(offered) == 4 and offered[1:] == ids
        assert files_under(db_of(env).parent) == before
        assert not asked.exists()
    finally:
        run_ok(env, "lock")
    assert complete(tab, "ally show ") == []  # locked again: nothing offered, nothing asked
    assert not asked.exists()


def test_doctor_says_encrypted_and_waiting_captures(env: dict[str, str]) -> None:
    journal_with_markers(env)
    run_ok(keyed(env), "encrypt")
    run_ok(env, "log", "advocacy", "--note", "answermarker")
    locked = ally(env, "doctor")
    assert "encrypted" in locked.stdout and "locked" in locked.stdout
    assert "1 sealed capture(s) wait" in locked.stdout
    assert ally(env, "report").returncode == 1  # nothing asks without a terminal or command


def test_a_passphrase_at_the_terminal_three_tries(env: dict[str, str]) -> None:
    journal_with_markers(env)
    child = pexpect.spawn(sys.executable, [*ALLY[1:], "encrypt"], env=env, timeout=60)
    child.expect("New passphrase: ")
    child.sendline(PASS)
    child.expect("The same passphrase again: ")
    child.sendline(PASS)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert PASS.encode() not in (child.before or b"")
    child = pexpect.spawn(sys.executable, [*ALLY[1:], "list"], env=env, timeout=60)
    for words in ("wrong", "also wrong"):
        child.expect("Passphrase for ")
        child.sendline(words)
        child.expect("does not open this journal")
        assert words.encode() not in (child.before or b"")  # typed, never shown
    child.expect("Passphrase for ")
    child.sendline(PASS)
    child.expect("vigilmarker")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    child = pexpect.spawn(
        sys.executable,
        [*ALLY[1:], "log", "protest", "--note", "answermarker typed"],
        env=env,
        timeout=60,
    )
    for _ in range(3):
        child.expect("Passphrase for ")
        child.sendline("wrong")
    child.expect(pexpect.EOF)
    child.close()
    out = (child.before or b"").decode()
    assert child.exitstatus == 1
    assert "Three passphrases" in out and ".sealed" in out
    assert scanned(env) == []


def test_without_the_extra_nothing_is_written_in_clear(env: dict[str, str], tmp_path: Path) -> None:
    journal_with_markers(env)
    run_ok(keyed(env), "encrypt")
    blocker = tmp_path / "no-extra"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(
        "import sys\nsys.modules['sqlcipher3'] = None\n"  # an ally installed without the extra
    )
    bare = {**env, "PYTHONPATH": str(blocker)}
    before = sorted(p.name for p in db_of(env).parent.rglob("*"))
    done = ally(bare, "log", "protest", "--note", "answermarker without extra")
    assert done.returncode == 1
    assert done.stdout == ""
    assert f"{sys.executable} -m pip install 'sqlcipher3>=0.6' 'cryptography>=42'" in done.stderr
    assert sorted(p.name for p in db_of(env).parent.rglob("*")) == before
    assert scanned(env) == []
    plain = cli_env(tmp_path / "other", tmp_path / "other" / "ally.db", PYTHONPATH=str(blocker))
    (tmp_path / "other").mkdir()
    run_ok(plain, "log", "protest")
    refused = ally({**plain, "ALLY_PASSPHRASE_CMD": "echo x"}, "encrypt")
    assert refused.returncode == 1 and "-m pip install" in refused.stderr


def _keyring_refused() -> str | None:
    """Why this machine's kernel keyring cannot hold a key, or None when it can."""
    code = (
        "from pathlib import Path; from allycli.shell import keyring\n"
        "p = Path('/nonexistent/ally-probe')\n"
        "try:\n keyring.store(p, b'k' * 32, 0, 5); keyring.drop(p); print('ok')\n"
        "except keyring.Refused as e: print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    return None if out.stdout.strip() == "ok" else out.stdout.strip() or out.stderr[-200:]


def test_unlock_keeps_the_key_for_its_time_and_lock_drops_it(env: dict[str, str]) -> None:
    refused = _keyring_refused()
    if refused:
        pytest.skip(f"the kernel keyring refuses keys here ({refused}); unlock names "
                    "ALLY_PASSPHRASE_CMD instead")  # fmt: skip
    journal_with_markers(env)
    run_ok(keyed(env), "encrypt")
    said = run_ok(keyed(env), "unlock", "--for", "10m")
    assert "Unlocked until" in said
    assert "vigilmarker" in run_ok(env, "list")  # no passphrase command: the cache
    assert "key cached until" in run_ok(env, "doctor")
    assert "Locked" in run_ok(env, "lock")
    done = ally(env, "list")
    assert done.returncode == 1 and "`ally unlock`" in done.stderr
    run_ok(keyed(env), "unlock", "--for", "3s")
    deadline = time.monotonic() + 60  # no timing assert: the kernel drops it after 3 s
    while ally(env, "list").returncode == 0:
        assert time.monotonic() < deadline, "the key outlived its timeout"
        time.sleep(1)
    assert PASS not in done.stderr


# -- kill -9 at spread moments -------------------------------------------------------------


@pytest.fixture(scope="module")
def big_journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("big") / "ally.db"
    make_db(db, (practice(n, note=f"picketmarker {n}") for n in range(1, 20_001)))
    return db


@pytest.mark.slow
@pytest.mark.parametrize("command", ["encrypt", "passwd", "decrypt"])
def test_a_kill_at_any_moment_leaves_the_journal_whole(
    command: str, big_journal: Path, tmp_path: Path
) -> None:
    import shutil

    old: str | None = PASS
    new: str | None = "the new words"
    if command == "encrypt":  # encrypt's passphrase comes from ALLY_PASSPHRASE_CMD
        old, new = None, PASS
    if command == "decrypt":
        new = None
    args = [command, "--yes"] if command == "decrypt" else [command]

    def ready(name: str) -> dict[str, str]:
        root = tmp_path / name
        (root / "journal").mkdir(parents=True)
        env = cli_env(root, root / "journal" / "ally.db")
        shutil.copy(big_journal, db_of(env))
        if command != "encrypt":
            run_ok(keyed(env), "encrypt")
        return env

    def start(env: dict[str, str]) -> dict[str, str]:
        return {**keyed(env, old or PASS), "ALLY_NEW_PASSPHRASE_CMD": passphrase_cmd(new or "")}

    # the kill moments spread over the command as long as it takes on this machine now
    env = ready("timed")
    began = time.monotonic()
    run_ok(start(env), *args)
    took = time.monotonic() - began
    for n, share in enumerate((0.2, 0.4, 0.6, 0.8, 0.95)):
        env = ready(f"run{n}")
        proc = subprocess.Popen(
            [*ALLY, *args], env=start(env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(took * share)
        proc.kill()
        proc.wait(timeout=60)
        db = db_of(env)
        if db.read_bytes()[:16] == SQLITE_HEADER:
            words = None
        else:
            words = next(
                w for w in (old, new) if w is not None and _opens(db, w)
            )  # whole under the old key or the new
        assert entry_count(db, words) == 20_000
        count = ally(keyed(env, words or "x"), "list", "--limit", "1")
        assert count.returncode == 0, count.stderr


def _opens(db: Path, words: str) -> bool:
    try:
        entry_count(db, words)
    except sqlcipher3.DatabaseError:
        return False
    return True
