"""The use cases behind `ally sync`: sync, --status, --show-key, --forget.

cli/ and shell/ read the environment (ALLY_SYNC_URL, ALLY_SYNC_KEY) and passes its values here.
Nothing heavy loads before a command needs it, and a missing sync extra is one sentence.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from allycli.core.errors import SyncError, UsageError

if TYPE_CHECKING:
    from allycli.journal.context import Context
    from allycli.sync.engine import SyncResult

EXTRA = ("psycopg", "cryptography")
# What pip installs for sync: the `sync` extra of pyproject.toml, named as published packages
# (allycli itself is not on PyPI, so `allycli[sync]` would find nothing, or a stranger's).
SYNC_REQUIREMENTS = ("psycopg[binary]>=3.1", "cryptography>=42")


@dataclass(frozen=True)
class SyncStatus:
    hub: str | None  # without its password; None when sync is not set up
    last_sync: str | None
    waiting: int
    answer: str  # "answers", "answers, empty", or the sentence that says why it does not
    fingerprint: str = ""  # of the journal's ids, times and deleted flags
    refused: int = 0  # rows on the hub that did not open here at the last sync
    # when the hub uses another key: the fingerprints of its key check and of the key here
    keys: tuple[str, str] | None = None
    kept: bool = False  # the key here is an unconfirmed one kept after a hub refused it


@dataclass(frozen=True)
class ShownKey:
    key: str
    confirmed: bool  # False until a hub has accepted it
    other_hub: str | None = None  # the key check fingerprint of a hub that uses another key


def install_command() -> str:
    """The command that installs sync's packages into the Python that runs this ally."""
    import shlex
    import sys

    wanted = " ".join(shlex.quote(r) for r in SYNC_REQUIREMENTS)
    return f"{shlex.quote(sys.executable or 'python3')} -m pip install {wanted}"


def require_extra() -> None:
    missing = [m for m in EXTRA if importlib.util.find_spec(m) is None]
    if missing:
        raise SyncError(
            f"`ally sync` needs packages that are not installed here ({', '.join(missing)}); "
            f"install them into this ally's own Python with `{install_command()}`."
        )


def _choose_url(given: str | None, stored: str | None) -> str:
    url = given or stored
    if not url:
        raise UsageError(
            "No hub yet: give one with `ally sync --url postgresql://user@host/db` (the "
            "password in ~/.pgpass) or ALLY_SYNC_URL; later a plain `ally sync` remembers it."
        )
    return url


def run(
    ctx: Context,
    url: str | None,
    key_text: str | None,
    on_wait: Callable[[str], None] | None = None,
) -> SyncResult:
    require_extra()
    from allycli.store import synced as local
    from allycli.sync.engine import sync

    with ctx.store.reading() as conn:
        stored = local.settings(conn).get(local.URL)
    return sync(ctx.store, _choose_url(url, stored), key_text, ctx.now, on_wait)


def password_in(url: str | None) -> bool:
    """Whether a URL given on the command line carries a password (it is never stored)."""
    from allycli.sync import urls

    return bool(url) and bool(urls.secrets(url or ""))


def status(ctx: Context, url: str | None, key_text: str | None) -> SyncStatus:
    from allycli.store import synced as local
    from allycli.sync import urls

    with ctx.store.reading() as conn:
        stored = local.settings(conn)
        waiting = local.waiting(conn)
        fingerprint = local.fingerprint(conn)
        refused = len(local.refused(conn))
    chosen = url or stored.get(local.URL)
    if not chosen:
        return SyncStatus(None, None, waiting, "not set up", fingerprint)
    urls.check(chosen)
    try:
        require_extra()
    except SyncError as exc:  # what is known here is still worth saying
        return SyncStatus(
            urls.redact(chosen), stored.get(local.LAST), waiting, exc.message, fingerprint, refused
        )
    from allycli.sync import hub
    from allycli.sync.cipher import Sealer, check_fingerprint, key_fingerprint, parse_key

    text = key_text or stored.get(local.KEY)
    key = parse_key(text) if text else None
    keys = None
    try:
        with hub.session(chosen, lock=False) as h:
            state = h.prepare(create=False)
        if state is None or state.key_check is None:
            answer = "answers, empty"
        elif key is None:
            answer = "answers, no key here"
        elif Sealer(key).matches(state.key_check):
            answer = "answers"
        else:
            answer = "answers, another key"
            keys = (check_fingerprint(state.key_check), key_fingerprint(key))
    except SyncError as exc:
        answer = exc.message
    return SyncStatus(
        urls.redact(chosen), stored.get(local.LAST), waiting, answer, fingerprint, refused,
        keys, kept=not key_text and bool(stored.get(local.UNCONFIRMED)),
    )  # fmt: skip


def show_key(ctx: Context, key_text: str | None) -> ShownKey:
    from allycli.store import synced as local
    from allycli.sync.cipher import parse_key, show_key

    if key_text:
        return ShownKey(show_key(parse_key(key_text)), True)
    with ctx.store.reading() as conn:
        stored = local.settings(conn)
    if not stored.get(local.KEY):
        raise SyncError(
            "There is no sync key here yet: the first `ally sync` with an empty hub makes "
            "one, and a machine that joins a hub takes it from ALLY_SYNC_KEY."
        )
    return ShownKey(
        stored[local.KEY], not stored.get(local.UNCONFIRMED), stored.get(local.NOT_THE_HUBS)
    )


def repair(ctx: Context, url: str | None, key_text: str | None) -> int:
    """Remove from the hub the rows that did not open here (and that no version here could
    overwrite) at the last sync; returns how many it removed."""
    require_extra()
    from allycli.store import synced as local
    from allycli.sync import hub, urls
    from allycli.sync.cipher import Sealer, parse_key

    with ctx.store.reading() as conn:
        stored = local.settings(conn)
        bad = local.refused(conn)
    chosen = urls.check(_choose_url(url, stored.get(local.URL)))
    text = key_text or stored.get(local.KEY)
    if not bad or not text:
        return 0
    with hub.session(chosen) as h:
        state = h.prepare(create=False)
        if (
            state is None
            or state.key_check is None
            or not Sealer(parse_key(text)).matches(state.key_check)
        ):
            raise SyncError(
                f"The hub at {urls.redact(chosen)} does not accept this key any more; "
                "nothing was removed."
            )
        removed = h.remove(bad)
    with ctx.store.writing() as conn:
        local.unrecord(conn, (row.ref for row in bad))
    return removed


def forget(ctx: Context) -> bool:
    from allycli.store import synced as local

    with ctx.store.writing() as conn:
        return local.forget(conn)
