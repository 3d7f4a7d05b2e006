"""Use cases: log, reflect, list, export. Each takes a Context from the shell.

The report and the calendar are reporting.py's.

Nothing here reads the clock, the environment or the terminal: `Context` carries
`today` and `now`. Reads go through store/queries.py, writes through Store (both sqlite3).
"""

from __future__ import annotations

import dataclasses
import itertools
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any, NoReturn

from allycli.core import fields, prompts, taxonomy
from allycli.core.dates import stamp
from allycli.core.errors import AllyError, Locked, StorageError, UsageError
from allycli.core.fields import excerpt, storable
from allycli.core.prompts import Prompt
from allycli.core.records import Record
from allycli.journal.context import Context, keep_as_draft, save

# -- log -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Logged:
    record: Record
    streak: int | None  # None when it could not be read after the entry was saved
    today: date
    progress: tuple[Any, ...] = ()  # rhythm_cases.Progress of each touched unit


def log(
    ctx: Context,
    activity: str,
    *,
    note: str | None = None,
    day: date | None = None,
    pillar: str | None = None,
    minutes: int | None = None,
) -> Logged:
    from allycli.journal import types

    record = practice_record(ctx, activity, note=note, day=day, pillar=pillar, minutes=minutes)
    save(ctx, record, lambda: ctx.store.insert([record.row()]), capture=True)
    progress, streak = _progress(ctx, record)
    if record.action_type is not None and record.action_type not in taxonomy.ACTION_TYPES:
        known = types.kinds(ctx)
        progress = tuple(
            dataclasses.replace(p, category=known.name_of(p.category)) for p in progress
        )
        return Logged(types.shown_record(known, record), streak, ctx.today, progress)
    return Logged(record, streak, ctx.today, progress)


def practice_record(
    ctx: Context,
    activity: str,
    *,
    note: str | None,
    day: date | None,
    pillar: str | None,
    minutes: int | None,
) -> Record:
    """The practice entry `ally log` makes (checked, not yet stored)."""
    from allycli.journal import types

    resolved = types.resolve(ctx, lambda known: known.resolve_activity(activity))
    chosen_pillar = taxonomy.resolve_pillar(pillar) if pillar else resolved.pillar
    if minutes is not None:
        fields.from_flag("--minutes", minutes, fields.minutes)
    if note is not None:
        note = storable(note, "note")
        if not note.strip():
            note = None
    return Record(
        id=str(uuid.uuid4()),
        kind="practice",
        day=(day or ctx.today).isoformat(),
        created_at=stamp(ctx.now),
        pillar=chosen_pillar,
        action_type=resolved.action_type,
        note=note,
        minutes=minutes,
    )


def keep_note(ctx: Context, entry: Record, note: str, reason: AllyError) -> NoReturn:
    """The editor of `log --edit` failed with a text in it: keep `entry` with that note as a
    draft (sealed, on an encrypted journal), and say why it was not saved."""
    kept = dataclasses.replace(entry, note=storable(note, "note"))
    keep_as_draft(ctx, [kept.to_json()], reason, "your note")


def keep_answer(
    ctx: Context, prompt: Prompt, answer: str, *, day: date | None, reason: AllyError
) -> NoReturn:
    """The editor of `reflect --edit` failed with a text in it: keep the answer as a draft."""
    record = answered(ctx, prompt, answer, day)
    if record is None:
        raise reason
    keep_as_draft(ctx, [record.to_json()], reason, "your answer")


def _progress(ctx: Context, record: Record) -> tuple[tuple[Any, ...], int | None]:
    """The rhythm units the new entry touched and the current daily streak (None when they
    cannot be read: the entry is saved whatever this finds)."""
    from allycli.journal import rhythms as rhythm_cases

    touched = ["practice", record.pillar, *([record.action_type] if record.action_type else [])]
    try:
        with ctx.store.reading() as conn:
            return rhythm_cases.progress(conn, touched, date.fromisoformat(record.day), ctx.today)
    except StorageError:
        return (), None


# -- reflect -------------------------------------------------------------------------------


def todays_prompt(
    ctx: Context,
    *,
    day: date | None = None,
    prompt_id: str | None = None,
    another: bool = False,
    theme: str | None = None,
) -> Prompt:
    """The prompt to show: the one asked for, another one, or the prompt of the day.

    With `theme`, the day's prompt comes from that theme's reflection prompts (and another
    one too), without the lean toward a pillar.
    """
    from allycli.store import queries
    from allycli.store import types as type_store

    if theme is not None:
        all_prompts = ctx.load_prompts()
        wanted = prompts.resolve_theme(theme)
        chosen = prompts.theme_of_the_day(all_prompts, day or ctx.today, wanted)
        if another:
            return prompts.another(prompts.of_theme(all_prompts, wanted), exclude=chosen.id)
        return chosen
    if prompt_id is not None:
        all_prompts = ctx.load_prompts()
        found = prompts.find(all_prompts, prompt_id)
        if found is None:
            raise UsageError(
                f"No prompt has the id '{excerpt(prompt_id)}'; `ally reflect --prompts` lists them."
            )
        return found
    on = day or ctx.today
    with ctx.store.reading() as conn:
        last, types = queries.last_practiced(conn, on - timedelta(days=1), day_began(ctx, on))
        kinds = type_store.read(conn)
    all_prompts = ctx.prompts_for(kinds)
    chosen = prompts.prompt_of_the_day(all_prompts, on, last, logged_types=types)
    if another:
        return prompts.another(all_prompts, exclude=chosen.id)
    return chosen


def day_began(ctx: Context, day: date) -> int:
    """When `day` began, in UTC microseconds: its midnight at the offset of `ctx.now` (an hour
    from the true local midnight when daylight saving time changed the offset in between)."""
    from allycli.core.folding import micros

    return micros(datetime.combine(day, time.min, tzinfo=ctx.now.tzinfo).isoformat())


def prompts_for(
    all_prompts: Sequence[Prompt],
    *,
    pillar: str | None = None,
    action_type: str | None = None,
    kinds: taxonomy.Kinds = taxonomy.BUILT_IN,
    theme: str | None = None,
) -> tuple[Prompt, ...]:
    """The prompts `reflect --prompts` lists: all, or those of a pillar, action type or theme."""
    wanted_pillar = taxonomy.resolve_pillar(pillar) if pillar else None
    wanted_type = kinds.resolve_action_type(action_type) if action_type else None
    wanted_theme = prompts.resolve_theme(theme) if theme is not None else None
    return tuple(
        p
        for p in all_prompts
        if (wanted_pillar is None or p.pillar == wanted_pillar)
        and (wanted_type is None or p.action_type == wanted_type)
        and (wanted_theme is None or wanted_theme in p.themes)
    )


def answered_on(ctx: Context, prompt_id: str, day: date) -> bool:
    """Whether `day` already has a reflection answering `prompt_id`."""
    from allycli.store import queries

    if not ctx.store.exists():
        return False
    with ctx.store.reading() as conn:
        return prompt_id in queries.answered_prompts(conn, day, day + timedelta(days=1))


@dataclass(frozen=True)
class Asking:
    """The prompt an answer goes to, and whether that day already answers it."""

    prompt: Prompt
    answered: bool


def prompt_to_answer(
    ctx: Context,
    *,
    day: date,
    prompt_id: str | None,
    another: bool,
    given: str | None,
    theme: str | None = None,
) -> Asking | None:
    """The reads before the write: the prompt (asked for, another, or the day's) and whether
    `day` already answers it (with `theme`, the day's prompt is that theme's). `given` is the
    answer when it came before the prompt is shown (`--answer`, or piped); None when it is to
    be typed once the prompt is shown.

    When a read fails, a given answer is kept as a draft (the error names it); an empty one
    records nothing, and None is returned. A second answer to the day's prompt that is yet
    to be typed is refused now, before anything is typed."""
    from allycli.core.errors import DataFileError

    try:
        prompt = todays_prompt(ctx, day=day, prompt_id=prompt_id, another=another, theme=theme)
        answered = prompt_id is None and not another and answered_on(ctx, prompt.id, day)
    except (StorageError, DataFileError) as exc:
        if given is None:  # nothing written yet: nothing to keep
            raise
        keep_unprompted(ctx, given, day=day, reason=exc, prompt_id=prompt_id)
        return None
    if answered and given is None:  # refused before anything is typed: nothing to lose
        refuse_second_answer(ctx, prompt, None, day=day)
    return Asking(prompt, answered)


def answer(ctx: Context, asking: Asking, text: str | None, *, day: date) -> Record | None:
    """Record `text` as the answer to the prompt; an empty text records nothing (None). A
    second answer to the day's prompt is refused, and its text kept as a draft."""
    if asking.answered and (text or "").strip():
        refuse_second_answer(ctx, asking.prompt, text, day=day)
    return reflect(ctx, asking.prompt, text or "", day=day)


def reflect(ctx: Context, prompt: Prompt, answer: str, *, day: date | None = None) -> Record | None:
    """Record an answer to a prompt; an empty answer records nothing."""
    record = answered(ctx, prompt, answer, day)
    if record is not None:
        save(ctx, record, lambda: ctx.store.insert([record.row()]), capture=True)
    return record


def answered(ctx: Context, prompt: Prompt, answer: str, day: date | None) -> Record | None:
    """The reflection an answer makes (None when it is empty), not yet stored."""
    answer = storable(answer, "answer").strip("\r\n")
    if not answer.strip():
        return None
    return Record(
        id=str(uuid.uuid4()),
        kind="reflection",
        day=(day or ctx.today).isoformat(),
        created_at=stamp(ctx.now),
        pillar=prompt.pillar,
        prompt_id=prompt.id,
        prompt=prompt.text,
        answer=answer,
    )


def keep_typed(
    ctx: Context, prompt: Prompt, answer: str, *, day: date | None, stop: KeyboardInterrupt
) -> NoReturn:
    """The process was asked to end (SIGTERM, SIGHUP) while the answer was being typed: keep
    what was typed as a draft, and end."""
    record = answered(ctx, prompt, answer, day)
    if record is None:
        raise stop
    keep_as_draft(ctx, [record.to_json()], None, "your answer", stop)


def keep_unprompted(
    ctx: Context,
    answer: str,
    *,
    day: date | None,
    reason: AllyError,
    prompt_id: str | None = None,
) -> None:
    """The prompt could not be loaded or chosen (the prompts file or the database cannot
    be read): keep the answer as a draft with its date and no prompt, which `ally import`
    records against that day's prompt (or against `prompt_id`, when one was asked for).
    An empty answer records nothing, and returns."""
    answer = storable(answer, "answer").strip("\r\n")
    if not answer.strip():
        return
    created = stamp(ctx.now)
    draft = {
        "id": str(uuid.uuid4()),
        "kind": "reflection",
        "date": (day or ctx.today).isoformat(),
        "created_at": created,
        "updated_at": created,
        "prompt_id": prompt_id,
        "prompt": None,
        "pillar": None,
        "answer": answer,
    }
    if isinstance(reason, Locked) and reason.capture:  # no one to ask for the key
        from allycli.journal.sealed import capture

        capture(ctx.store.path, [draft], "your answer")
    keep_as_draft(ctx, [draft], reason)


def refuse_second_answer(
    ctx: Context, prompt: Prompt, answer: str | None, *, day: date | None = None
) -> NoReturn:
    """A second answer to the day's prompt is refused (`--another` or `--prompt ID` say it is
    meant); a text already written is kept as a draft, so nothing is lost."""
    from allycli.core.dates import spoken
    from allycli.store import drafts

    on = day or ctx.today
    said = (
        f"You already answered the prompt {prompt.id} for {spoken(on, ctx.today)}, so nothing "
        "was recorded; add --another to answer a different prompt"
    )
    record = None if answer is None else answered(ctx, prompt, answer, on)
    if record is None:
        raise AllyError(f"{said}.")
    draft = drafts.keep([record.to_json()], ctx.draft_folders())
    if draft is None:
        raise AllyError(
            f"{said}. Your answer is printed on standard output as jsonl; `ally import -` "
            "records it as a second answer.",
            output=drafts.lines([record.to_json()]),
        )
    raise AllyError(
        f"{said}. Your answer was kept in {draft}; `ally import {draft}` records it as a "
        "second answer."
    )


# -- list -----------------------------------------------------------------------------------


def entries(ctx: Context, filters: Any) -> Iterator[Record]:
    """The entries the filters pick, own types under their current names."""
    from allycli.journal.types import shown_record
    from allycli.store import queries
    from allycli.store import types as type_store

    with ctx.store.reading() as conn:
        known = type_store.read(conn)
        if not known.own:
            yield from queries.records(conn, filters)
            return
        for r in queries.records(conn, filters):
            yield shown_record(known, r)


# -- export and import ---------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    """What an export wrote, counted apart: entries, rhythms and pauses."""

    entries: int
    rhythms: int = 0
    pauses: int = 0
    types: int = 0  # action types of one's own


def export(
    ctx: Context,
    fmt: str,
    output: Path | None,
    stdout: IO[str],
    filters: Any = None,
    *,
    force: bool = False,
) -> Exported:
    """Stream the entries (all, or those the filters pick), oldest first, to stdout or to a
    new private file (an existing one only with `force`); in jsonl, the action types of
    one's own first (an entry names one by its current name), and rhythms and pauses too in
    an unfiltered export."""
    from allycli.core import exchange
    from allycli.journal import types
    from allycli.store.queries import Filters

    known = types.kinds(ctx)
    records: Iterable[Any] = _stored(ctx, filters or Filters(newest_first=False))
    objects: list[Any] = []
    if fmt == "jsonl" and filters is None:  # the whole journal: rhythms and pauses too
        from allycli.journal import rhythms as rhythm_cases

        objects = list(rhythm_cases.objects(ctx))
        records = itertools.chain(records, objects)
    if fmt == "jsonl" and known.own:
        records = itertools.chain(known.own, records)
    from allycli.core.objects import Pause

    pauses = sum(isinstance(o, Pause) for o in objects)
    own = len(known.own) if fmt == "jsonl" else 0
    if known.own:
        records = (types.for_file(known, r) for r in records)
    if output is None:
        written = exchange.write(records, fmt, stdout)
    else:
        target = output.expanduser()
        db = ctx.store.path.resolve()
        if target.resolve() in {db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")}:
            raise UsageError("The export would overwrite the database itself; choose another file.")
        from allycli.store.privatefile import replacing

        with replacing(target, "--output", force=force) as fh:
            written = exchange.write(records, fmt, fh)
    return Exported(written - len(objects) - own, len(objects) - pauses, pauses, own)


def _stored(ctx: Context, filters: Any) -> Iterator[Record]:
    """The entries as stored (an own type by its key), oldest first."""
    from allycli.store import queries

    with ctx.store.reading() as conn:
        yield from queries.records(conn, filters)


def settle_draft(ctx: Context, path: Path) -> bool:
    """After an import: remove the file if it was a draft in one of ally's drafts folders."""
    from allycli.store import drafts

    return drafts.settle(path, ctx.draft_folders())


__all__ = [
    "AllyError",
    "Context",
    "Logged",
    "entries",
    "log",
    "reflect",
    "todays_prompt",
]
