"""Commands that fix and find entries: show, edit, search and restore.

Only typer and the shell load at import, so `--help` and completion stay fast; show, edit
and search read through plain sqlite3 (store/entries.py), never SQLModel.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from allycli.cli.common import DATE_HELP, HOW, ID_HELP, ask_or_refuse, entry_filters
from allycli.shell import boundary, completion, output, session, terminal

if TYPE_CHECKING:
    from allycli.core.errors import AllyError
    from allycli.core.records import Record
    from allycli.journal.context import Context


def show(
    entry_id: str = typer.Argument(
        ..., metavar="ID", help=ID_HELP, autocompletion=completion.complete_entry_id
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the entry's JSON object."),
) -> None:
    """Show one entry in full: every field, the whole note or answer."""
    from allycli.journal import editing

    ctx = session.context()
    record = editing.show(ctx, entry_id)
    if as_json:
        output.print_json(record.to_json())
        return
    from allycli.render import entry as render_entry

    console = output.out()
    if console.is_terminal:
        with output.paged():
            console.print(render_entry.entry(record, today=ctx.today))
    else:
        with output.data() as stream:
            stream.writelines(render_entry.entry_plain(record, ctx.today))


def edit(
    entry_id: str = typer.Argument(
        ..., metavar="ID", help=ID_HELP, autocompletion=completion.complete_entry_id
    ),
    note: str | None = typer.Option(
        None, "--note", "-n", help="The new note; '' clears it, '-' reads it from stdin."
    ),
    answer: str | None = typer.Option(
        None, "--answer", "-a", help="A reflection's new answer; '-' reads it from stdin."
    ),
    day: str | None = typer.Option(None, "--date", "-d", help=f"The day: {DATE_HELP}"),
    action_type: str | None = typer.Option(
        None,
        "--type",
        "-t",
        help="A new action type (it brings its pillar unless --pillar), or 'none'.",
        autocompletion=completion.complete_type,
    ),
    pillar: str | None = typer.Option(
        None, "--pillar", "-p", help="A new pillar.", autocompletion=completion.complete_pillar
    ),
    minutes: str | None = typer.Option(
        None,
        "--minutes",
        metavar="MINUTES",
        help="How long: a whole number of minutes, 1 or more; 'none' clears it.",
    ),
) -> None:
    """Change an entry; with no field flag on a terminal, edit its text in your editor."""
    from allycli.core.errors import UsageError
    from allycli.journal import editing
    from allycli.render import entry as render_entry

    ctx = session.context()
    if note == "-" and answer == "-":
        raise UsageError("Only one of --note and --answer can read standard input.")
    changes = editing.Changes(
        note=_stdin("note") if note == "-" else note,
        answer=_stdin("answer") if answer == "-" else answer,
        day=session.parse_day(day, ctx.today),
        action_type=action_type,
        pillar=pillar,
        minutes=_minutes(minutes),
    )
    typed_in_editor = changes.empty
    if changes.empty:
        if not terminal.interactive():
            raise UsageError(
                "Say what to change (--note, --answer, --date, --type, --pillar or --minutes); "
                "on a terminal, `ally edit ID` alone opens your editor."
            )
        record = editing.show(ctx, entry_id)
        text = _in_editor(ctx, record)
        if text is None or not text.strip():
            output.say("Nothing changed: the text from the editor was empty.")
            return
        changes = editing.with_text(record, text)
    # text written in the editor is kept as a draft even if the entry went meanwhile
    edited = editing.edit(ctx, entry_id, changes, written=typed_in_editor)
    if not edited.changed:
        named = render_entry.name(edited.before, ctx.today)
        output.say(f"Nothing changed: {named} already reads as you asked.")
        return
    named = f"the {edited.after.kind} entry {edited.after.id[:8]}"
    output.say(f"Changed {named}: {render_entry.changes(edited.before, edited.after, ctx.today)}.")
    terminal.saved_but(edited.unfinished)


def _minutes(given: str | None) -> int | None:
    """`--minutes N`, or `none` to clear them (as `--type none` and `--note ""` do)."""
    from allycli.core.errors import UsageError
    from allycli.core.fields import excerpt
    from allycli.journal.editing import CLEAR

    if given is None:
        return None
    word = given.strip().lower()
    if word == "none":
        return CLEAR
    if word.isascii() and word.isdigit() and int(word) >= 1:
        return int(word)
    raise UsageError(
        "--minutes takes a whole number of minutes, 1 or more, such as --minutes 90, or none "
        f"to clear them; '{excerpt(given, 12)}' is not one."
    )


def _in_editor(ctx: Context, record: Record) -> str | None:
    """The entry's text after the person's editor (None when they left it empty)."""
    from allycli.journal import editing
    from allycli.render import entry as render_entry

    about = (f"Editing {render_entry.name(record, ctx.today)}.",)
    name = "note" if record.kind == "practice" else "answer"

    def keep(text: str, reason: AllyError) -> NoReturn:
        editing.keep_text(ctx, record, text, reason)

    return terminal.edit_text(editing.text_of(record), about=about, name=name, keep=keep)


def _stdin(what: str) -> str:
    """`-`: piped text, or at a terminal the same line reader as `ally log --note -`."""
    if terminal.interactive():
        return terminal.ask_text(f"Write the new {what}; {HOW}.")
    return terminal.read_stdin()


def search(
    words: list[str] = typer.Argument(..., metavar="WORDS...", help="Every word must occur."),
    since: str | None = typer.Option(None, "--since", help=f"From this day: {DATE_HELP}"),
    until: str | None = typer.Option(None, "--until", help="Up to this day."),
    pillar: str | None = typer.Option(
        None, "--pillar", "-p", help="Only this pillar.", autocompletion=completion.complete_pillar
    ),
    action_type: str | None = typer.Option(
        None, "--type", "-t", help="Only this action type.", autocompletion=completion.complete_type
    ),
    kind: str | None = typer.Option(None, "--kind", help="practice or reflection."),
    limit: int | None = typer.Option(
        None,
        "--limit",
        metavar="N",
        help="At most this many: a whole number, 1 or more.",
        parser=boundary.LIMIT,
    ),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array of the entries."),
) -> None:
    """Find entries whose note, answer or prompt holds every word (case and accents ignored)."""
    from allycli.journal import editing

    ctx = session.context()
    filters = entry_filters(ctx, since, until, pillar, action_type, kind, limit, newest_first=True)
    folded = editing.search_words(words)
    found = editing.search(ctx, folded, filters)
    if as_json:
        output.print_json([r.to_json() for r in found])
        return
    from allycli.render import entry as render_entry

    console = output.out()
    if not found:
        output.say("No entry holds every one of those words.")
    elif console.is_terminal:
        with output.paged():
            console.print(render_entry.hits(found, folded, ctx.today))
    else:
        with output.data() as stream:
            stream.writelines(render_entry.hits_plain(found, ctx.today))


def restore(
    backup: Path = typer.Argument(..., help="A backup made by `ally backup`."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask first."),
) -> None:
    """Put a backup back in place of the journal, keeping a copy of the current file first."""
    from allycli.render.words import plural
    from allycli.store import restoring

    ctx = session.context()
    checked = restoring.check(backup.expanduser(), ctx.store)
    now = restoring.current_entries(ctx.store)
    held = "" if now is None else f" (it holds {plural(now, 'entry', 'entries')})"
    count = plural(checked.entries, "entry", "entries")
    question = (
        f"Replace the journal at {ctx.store.path}{held} with {checked.path} ({count})? "
        "A copy of the current file is kept"
    )
    if not ask_or_refuse(question, yes):
        output.say("Nothing was restored.")
        return
    done = restoring.restore(ctx.store, checked, stamp=ctx.now.strftime("%Y%m%d-%H%M%S"))
    kept = f"; the journal as it was is kept in {done.kept}" if done.kept else ""
    output.say(f"Restored {checked.path} ({count}) to {ctx.store.path}{kept}.")
    terminal.saved_but(done.unfinished)


def register(app: typer.Typer) -> None:
    app.command(epilog=boundary.examples("ally show 3f2a9c1e", "ally show 3f2a --json"))(show)
    app.command(
        epilog=boundary.examples(
            "ally edit 3f2a --note 'Joined the rent strike march'",
            "ally edit 3f2a --date yesterday --type none --pillar listening",
            "ally edit 3f2a --minutes none",
        ),
    )(edit)
    app.command(
        epilog=boundary.examples(
            "ally search cafe", "ally search rent strike --since 2026-01-01 --json"
        ),
    )(search)
    app.command(epilog=boundary.examples("ally restore ~/ally-2026-11-25.db"))(restore)
