"""The commands that move the journal in and out of files: export, import, backup, doctor.

app.py calls `register(app)`; as thin as the other commands, and nothing heavy is
imported at module level, so `--help` and completion stay fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import typer

from allycli.cli.common import DATE_HELP, entry_filters
from allycli.shell import boundary, completion, output, session, terminal


def export(
    fmt: str = typer.Option(
        "jsonl",
        "--format",
        "-f",
        help="jsonl (lossless), csv or md.",
        autocompletion=completion.complete_format,
    ),
    target: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file (mode 0600) instead of stdout."
    ),
    since: str | None = typer.Option(None, "--since", help=f"From this day: {DATE_HELP}"),
    until: str | None = typer.Option(None, "--until", help="Up to this day."),
    kind: str | None = typer.Option(None, "--kind", help="Only practice or only reflection."),
    action_type: str | None = typer.Option(
        None,
        "--type",
        "-t",
        help="Only this action type (one of your own too).",
        autocompletion=completion.complete_type,
    ),
    force: bool = typer.Option(
        False, "--force", help="With --output: replace the file if it already exists."
    ),
    salvage: bool = typer.Option(
        False,
        "--salvage",
        help="From a damaged journal: every entry, rhythm and pause that can still be read, "
        "as jsonl that `ally import` reads.",
    ),
) -> None:
    """Write every entry, oldest first: jsonl is lossless, csv for spreadsheets, md to read."""
    from allycli.core import exchange
    from allycli.core.errors import UsageError
    from allycli.core.fields import excerpt
    from allycli.journal import practice as journal

    if fmt not in exchange.FORMATS:
        raise UsageError(f"No export format '{excerpt(fmt, 20)}'. Choose jsonl, csv or md.")
    if force and target is None:
        raise UsageError("--force goes with --output FILE: it lets the export replace that file.")
    ctx = session.context()
    if salvage:
        if fmt != "jsonl" or since or until or kind or action_type:
            raise UsageError(
                "--salvage writes the whole journal as jsonl; leave out --format, --since, "
                "--until, --kind and --type."
            )
        salvaged(ctx, target, force=force)
        return
    filters = None  # the whole journal, rhythms and pauses included
    if since or until or kind or action_type:
        filters = entry_filters(
            ctx, since, until, None, action_type, kind, None, newest_first=False
        )
    with output.data() as stdout:
        done = journal.export(ctx, fmt, target, stdout, filters, force=force)
    clear = " in clear (not encrypted)" if ctx.store.encrypted() else ""
    if target is not None:
        from allycli.render.messages import counted

        output.warn(f"Exported {counted(done)}{clear} to {target}.")
    elif clear:
        output.warn("ally: the export was written in clear (not encrypted).")


def salvaged(ctx: Any, target: Path | None, *, force: bool = False) -> None:
    """`export --salvage`: write what can be read, say how much, exit 1 when nothing."""
    from allycli.journal.salvaging import salvage
    from allycli.render import words

    with output.data() as stdout:
        done = salvage(ctx, target, stdout, force=force)
    kinds = [
        words.plural(done.entries, "entry", "entries"),
        words.plural(done.rhythms, "rhythm"),
        words.plural(done.pauses, "pause"),
        *([words.plural(done.types, "action type")] if done.types else []),
    ]
    where = f" to {target}" if target is not None else ""
    clear = " in clear (not encrypted)" if ctx.store.encrypted() else ""
    lost = (
        "every row could be read"
        if not done.unreadable
        else f"{words.plural(done.unreadable, 'row')} could not be read (damaged)"
    )
    if not done.written:
        boundary.fail(
            f"Nothing could be salvaged from the damaged database {ctx.store.path}: {lost}. "
            "Run `ally doctor` to see the backups.",
            1,
        )
    output.warn(
        f"Salvaged {words.listed(kinds)}{clear}{where}; {lost}. `ally import` reads the file into "
        "a new journal (point ALLY_DB at a new file, or move the damaged one aside)."
    )


def import_(
    file: str = typer.Argument(
        ..., metavar="FILE", help="A file written by `ally export --format jsonl`; '-' for stdin."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Say what the import would do, and change nothing."
    ),
) -> None:
    """Merge a jsonl export by id: new entries are added, later versions win."""
    from allycli.journal import importing
    from allycli.journal import practice as journal
    from allycli.render import entry as render_entry

    ctx = session.context()
    path = None if file == "-" else Path(file).expanduser()
    records = importing.read(ctx, path, sys.stdin.buffer if path is None else None)
    source = importing.STDIN if path is None else str(path)
    if sys.stderr.isatty() and not dry_run:
        from rich.progress import Progress

        with Progress(console=output.err(), transient=True) as bar:
            task = bar.add_task("Importing", total=None)
            result = importing.merge_into(
                ctx, records, source, progress=lambda d, t: bar.update(task, completed=d, total=t)
            )
    else:
        result = importing.merge_into(ctx, records, source, dry_run=dry_run)
    output.say(render_entry.merged(result))
    if path is not None and not dry_run and not result.waiting and journal.settle_draft(ctx, path):
        output.say(f"The draft {path} was removed: what it kept is in the journal now.")
    terminal.saved_but(result.unfinished)


def backup(
    target: Path | None = typer.Option(
        None, "--output", "-o", help="The new file (default: a dated file in backups/)."
    ),
) -> None:
    """Write a consistent snapshot of the database, even while ally is in use."""
    ctx = session.context()
    if not ctx.store.exists():
        from allycli.core.errors import StorageError

        raise StorageError(f"There is no database at {ctx.store.path} yet; nothing to back up.")
    written = ctx.store.backup(
        target.expanduser() if target else None, stamp=ctx.now.strftime("%Y%m%d-%H%M%S")
    )
    ctx.store.committed()  # the copy is written: from here on nothing reports it failed
    what = ""
    if written.counts is not None:
        from allycli.render import words

        c = written.counts
        kinds = [words.plural(c.entries, "entry", "entries"), words.plural(c.rhythms, "rhythm")]
        what = f" ({words.listed([*kinds, words.plural(c.pauses, 'pause')])})"
    output.say(f"Backed up {ctx.store.path}{what} to {written.path}.")
    terminal.saved_but(written.unfinished)


def doctor() -> None:
    """Check the database, its file modes, the prompts files and the backups."""
    from allycli.journal.doctor import checkup
    from allycli.shell.unlocking import Unlocker, cache_said
    from allycli.store.database import Store

    db = session.db_path()
    timeout = os.environ.get("ALLY_BUSY_TIMEOUT")
    # the key cache or ALLY_PASSPHRASE_CMD, never a question: locked, it says so and checks
    # what it can
    keys = Unlocker(terminal=False)
    store = Store(db, busy_timeout=float(timeout) if timeout else 30.0, keys=keys)
    paths = session.prompt_paths()
    checks = checkup(store, paths, session.draft_folders(db), key_cache=cache_said(db))
    from allycli.render import messages as render

    if output.out().is_terminal:
        output.say(render.doctor_findings(checks))
    else:
        for line in render.doctor_lines(checks):
            output.say(line)
    problems = [c for c in checks if c.ok is False]
    if problems:
        n = len(problems)
        found = "1 problem found; see the fix" if n == 1 else f"{n} problems found; see the fixes"
        boundary.fail(f"{found} above.", 1)


def register(app: typer.Typer) -> None:
    app.command(
        "export",
        epilog=boundary.examples(
            "ally export > ally.jsonl",
            "ally export --format md --output journal.md",
            "ally export --output ally.jsonl --force",
            "ally export --type volunteering --format csv",
        ),
    )(export)
    app.command(
        "import",
        epilog=boundary.examples(
            "ally import ally-2026.jsonl",
            "ally import --dry-run laptop.jsonl",
            "ssh laptop ally export | ally import -",
        ),
    )(import_)
    app.command(epilog=boundary.examples("ally backup --output ~/ally-2026-11-25.db"))(backup)
    app.command(epilog=boundary.examples("ally doctor"))(doctor)
