"""What every use case is given, and how every write keeps its words when it cannot finish.

`Context` carries the store, `today` and `now` (aware, with the local offset) and where
prompts and drafts are: nothing in journal/ reads the clock, the environment or the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from allycli.core.errors import AllyError, Drafted, Interrupted, Locked, StorageError
from allycli.core.prompts import Prompt
from allycli.core.records import Record
from allycli.core.taxonomy import Kinds
from allycli.store import promptfiles
from allycli.store.database import Store

T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    store: Store
    today: date
    now: datetime  # aware, local offset
    prompt_paths: tuple[Path, ...] = ()
    drafts_dir: Path | None = None  # ally's user state folder's drafts/
    tmp_drafts_dir: Path | None = None  # $TMPDIR/ally-<uid>, the last resort
    # told why a prompts file of one's own is left aside (the built-in prompts serve)
    prompts_left_aside: Callable[[str], None] | None = None
    warn: Callable[[str], None] | None = None  # says a one-line warning on stderr

    def load_prompts(self) -> tuple[Prompt, ...]:
        return promptfiles.load(self.prompt_paths, self.prompts_left_aside)

    def prompts_for(self, kinds: Kinds) -> tuple[Prompt, ...]:
        """The prompts, a prompt tagged with an action type the journal does not know left
        aside with a one-line warning (a prompts file may tag one's own types)."""
        from allycli.core.prompts import with_kinds

        kept, warnings = with_kinds(self.load_prompts(), kinds)
        for warning in warnings:
            if self.warn is not None:
                self.warn(warning)
        return kept

    def draft_folders(self) -> tuple[Path, ...]:
        from allycli.store.drafts import folders

        return folders(self.store.path, self.drafts_dir, self.tmp_drafts_dir)


def write_or_draft(
    ctx: Context,
    objects: Sequence[Mapping[str, Any]],
    write: Callable[[], T],
    what: str = "your entry",
    *,
    capture: bool = False,
) -> T:
    """Run a write; if it cannot be completed, keep `objects` (jsonl objects, as `ally import`
    reads them) as a draft and say where; if no draft can be written anywhere, hand them to
    the shell for standard output rather than lose them. For log, reflect, edit, rhythm and
    pause. With `capture` (log, reflect), a locked journal that could ask no one for its key
    takes the objects sealed into its inbox instead."""
    try:
        return write()
    except KeyboardInterrupt as stop:  # Ctrl-C, SIGTERM or SIGHUP while a write waits or runs
        keep_as_draft(ctx, objects, None, what, stop)
    except StorageError as exc:
        if capture and isinstance(exc, Locked) and exc.capture:
            from allycli.journal.sealed import capture as seal_into_inbox

            seal_into_inbox(ctx.store.path, objects, what)
        keep_as_draft(ctx, objects, exc, what)


def keep_as_draft(
    ctx: Context,
    objects: Sequence[Mapping[str, Any]],
    reason: AllyError | None,
    what: str = "your entry",
    stop: KeyboardInterrupt | None = None,
) -> NoReturn:
    """Keep what could not be written as a draft and raise the error that names it; the
    `reason` (None: the person pressed Ctrl-C, or `stop`, the signal that asked to end)
    says why. With no folder to write a draft
    in, the objects go to standard output as jsonl instead. For every step of a write,
    the reads before it included."""
    from allycli.store import drafts

    seal = None
    if ctx.store.encrypted():  # an encrypted journal's words are never written in clear
        from allycli.journal.sealed import seal_text

        def seal(text: bytes) -> bytes:
            return seal_text(ctx.store.path, text)

    draft = drafts.keep(objects, ctx.draft_folders(), seal=seal)
    if reason is None:
        if draft is None:
            raise stop or KeyboardInterrupt()
        stopped = Interrupted(
            f"Stopped; {what} was kept in {draft}, and `ally import {draft}` adds it later."
        )
        stopped.exit_code = getattr(stop, "exit_code", Interrupted.exit_code)
        raise stopped from None
    said = reason.message.rstrip(".")
    if draft is not None:
        raise Drafted(
            f"{said}; {what} was kept in {draft}, and `ally import {draft}` adds it later."
        ) from None
    raise StorageError(
        f"{said}; no draft could be written anywhere, so {what} is printed on standard "
        "output as jsonl, and `ally import -` reads it back.",
        output=drafts.lines(objects),
    ) from None


def after_commit(step: Callable[[], object], what: str) -> str:
    """Run a step that follows a commit (a checkpoint, say). The change is stored whatever
    happens here, so a failure is never raised: it comes back as the sentence the shell
    says after "Saved;" (a committed change is never reported as failed)."""
    from allycli.store.opening import db_errors

    try:
        step()
    except AllyError as exc:
        return f"{what} ({exc.message.rstrip('.')})."
    except (OSError, *db_errors()) as exc:  # type: ignore[misc]  # a tuple built at run time
        return f"{what} ({getattr(exc, 'strerror', None) or type(exc).__name__})."
    return ""


def save(ctx: Context, record: Record, write: Callable[[], T], *, capture: bool = False) -> T:
    return write_or_draft(ctx, [record.to_json()], write, capture=capture)
