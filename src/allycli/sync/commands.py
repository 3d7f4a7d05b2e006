"""The use cases behind `ally sync`: sync, --status, --show-key, --forget.

cli/ and shell/ read the environment (ALLY_SYNC_URL, ALLY_SYNC_KEY) and passes its values here.
Nothing heavy loads before a command needs it, and a missing sync extra is one sentence.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import TYPE_CHECKING

from allycli.core.errors import SyncError, UsageError

if TYPE_CHECKING:
    from allycli.journal.context import Context
    from allycli.sync.engine import SyncResult

EXTRA = ("psycopg", "cryptography", "sqlalchemy")


@dataclass(frozen=True)
class SyncStatus:
    hub: str | None  # without its password; None when sync is not set up
    last_sync: str | None
    waiting: int
    answer: str  # "answers", "answers, empty", or the sentence that says why it does not


def require_extra() -> None:
    missing = [m for m in EXTRA if importlib.util.find_spec(m) is None]
    if missing:
        raise SyncError(
            f"`ally sync` needs packages that are not installed ({', '.join(missing)}); "
            "install them with: pip install 'allycli[sync]' (from a checkout: pip install "
            "'.[sync]')."
        )


def _choose_url(given: str | None, stored: str | None) -> str:
    url = given or stored
    if not url:
        raise UsageError(
            "No hub yet: give one with `ally sync --url postgresql://user:password@host/db` "
            "or ALLY_SYNC_URL; later a plain `ally sync` remembers it."
        )
    return url


def run(ctx: Context, url: str | None, key_text: str | None) -> SyncResult:
    require_extra()
    from allycli.store import synced as local
    from allycli.sync.engine import sync

    with ctx.store.reading() as conn:
        stored = local.settings(conn).get(local.URL)
    return sync(ctx.store, _choose_url(url, stored), key_text, ctx.now)


def status(ctx: Context, url: str | None) -> SyncStatus:
    from allycli.store import synced as local
    from allycli.sync import urls

    with ctx.store.reading() as conn:
        stored = local.settings(conn)
        waiting = local.waiting(conn)
    chosen = url or stored.get(local.URL)
    if not chosen:
        return SyncStatus(None, None, waiting, "not set up")
    urls.check(chosen)
    require_extra()
    from allycli.sync import hub

    try:
        with hub.session(chosen, lock=False) as h:
            state = h.prepare(chosen, create=False)
        answer = "answers" if state is not None else "answers, empty"
    except SyncError as exc:
        answer = exc.message
    return SyncStatus(urls.redact(chosen), stored.get(local.LAST), waiting, answer)


def show_key(ctx: Context, key_text: str | None) -> str:
    from allycli.store import synced as local
    from allycli.sync.cipher import parse_key, show_key

    if key_text:
        return show_key(parse_key(key_text))
    with ctx.store.reading() as conn:
        stored = local.settings(conn).get(local.KEY)
    if not stored:
        raise SyncError(
            "There is no sync key here yet: the first `ally sync` with an empty hub makes "
            "one, and a machine that joins a hub takes it from ALLY_SYNC_KEY."
        )
    return stored


def forget(ctx: Context) -> bool:
    from allycli.store import synced as local

    with ctx.store.writing() as conn:
        return local.forget(conn)
