"""The commands that record and list practice: log, reflect, list and delete."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

import typer

from allycli.cli.common import DATE_HELP, DATES, HOW, ask_or_refuse, entry_filters, spoken
from allycli.core.taxonomy import action_types_help
from allycli.shell import boundary, completion, output, session, terminal

if TYPE_CHECKING:
    from datetime import date

    from allycli.core.errors import AllyError
    from allycli.core.prompts import Prompt
    from allycli.core.records import Record
    from allycli.journal.context import Context

LOG_HELP = "Record a practice entry.\n\n" + action_types_help()
THEME = typer.Option(
    None,
    "--theme",
    help="Answer the day's prompt of one theme, such as racism, ableism or consent; with "
    "--prompts, list that theme's prompts.",
    autocompletion=completion.complete_theme,
)

# -- commands ------------------------------------------------------------------------------


def log(
    activity: str = typer.Argument(
        ...,
        help="An action type (protest, advocacy, interrupting, volunteering, voting, training, "
        "children, money), a pillar (action, listening, learning, yielding), an alias or a "
        "prefix.",
        autocompletion=completion.complete_activity,
        show_default=False,
    ),
    note: str | None = typer.Option(
        None, "--note", "-n", help="What you did, in a few words; '-' reads it from stdin."
    ),
    day: str | None = typer.Option(
        None, "--date", "-d", help=f"The day it happened: {DATE_HELP}", autocompletion=DATES
    ),
    pillar: str | None = typer.Option(
        None,
        "--pillar",
        "-p",
        help="Override the action type's pillar.",
        autocompletion=completion.complete_pillar,
    ),
    minutes: int | None = typer.Option(
        None,
        "--minutes",
        metavar="MINUTES",
        help="How long: a whole number of minutes, 1 or more.",
        parser=boundary.MINUTES,
    ),
    edit: bool = typer.Option(
        False, "--edit", "-e", help="Write the note in your editor ($VISUAL or $EDITOR)."
    ),
) -> None:
    """Record a practice entry."""
    from allycli.journal import practice as journal
    from allycli.render import messages as render

    ctx = session.context()
    on = session.parse_day(day, ctx.today)
    if edit:
        if note is not None:
            from allycli.core.errors import UsageError

            raise UsageError("Choose --note or --edit, not both.")
        # the rest of the command is checked before the editor opens
        entry = journal.practice_record(ctx, activity, note=None, day=on, pillar=pillar,
                                        minutes=minutes)  # fmt: skip
        text = _note_from_editor(ctx, entry)
        if text is None:
            output.say("Nothing recorded: the note was empty.")
            return
    elif note == "-":
        text = (
            terminal.ask_text(f"Write your note; {HOW}.")
            if sys.stdin.isatty()
            else terminal.read_stdin()
        )
    else:
        text = note
    result = journal.log(ctx, activity, note=text, day=on, pillar=pillar, minutes=minutes)
    output.say(render.logged(result))


def reflect(
    answer: str | None = typer.Option(
        None, "--answer", "-a", help="Your answer, for scripts; '-' reads it from stdin."
    ),
    day: str | None = typer.Option(
        None, "--date", "-d", help=f"The day: {DATE_HELP}", autocompletion=DATES
    ),
    prompt_id: str | None = typer.Option(
        None, "--prompt", help="Answer this prompt id.", autocompletion=completion.complete_prompt
    ),
    another: bool = typer.Option(False, "--another", help="Offer a different prompt."),
    show_list: bool = typer.Option(False, "--list", help="Show past reflections."),
    show_prompts: bool = typer.Option(False, "--prompts", help="List every prompt and its id."),
    pillar: str | None = typer.Option(
        None,
        "--pillar",
        "-p",
        help="With --prompts: only this pillar's prompts.",
        autocompletion=completion.complete_pillar,
    ),
    action_type: str | None = typer.Option(
        None,
        "--type",
        "-t",
        help="With --prompts: only this action type's prompts.",
        autocompletion=completion.complete_type,
    ),
    limit: int = typer.Option(
        20,
        "--limit",
        metavar="N",
        help="How many reflections --list shows: a whole number, 1 or more.",
        parser=boundary.LIMIT,
    ),
    edit: bool = typer.Option(
        False, "--edit", "-e", help="Write the answer in your editor ($VISUAL or $EDITOR)."
    ),
    theme: str | None = THEME,
) -> None:
    """Answer today's reflection prompt (the same prompt all day)."""
    from allycli.core.errors import UsageError
    from allycli.journal import practice as journal

    theme = _checked_theme(theme, prompt_id, show_list)  # before any answer is read
    ctx = session.context()
    if show_prompts:
        _list_prompts(ctx, pillar, action_type, theme)
        return
    if pillar is not None or action_type is not None:
        raise UsageError("--pillar and --type go with --prompts; add --prompts.")
    if show_list:
        _show_reflections(ctx, limit)
        return
    on = session.parse_day(day, ctx.today) or ctx.today
    if edit and answer is not None:
        raise UsageError("Choose --answer or --edit, not both.")
    typed = answer is None or answer == "-"
    at_terminal = edit or (typed and sys.stdin.isatty())
    # the answer when it comes before the prompt is shown: --answer, or piped
    given = None if at_terminal else terminal.read_stdin() if typed else answer
    asking = journal.prompt_to_answer(
        ctx, day=on, prompt_id=prompt_id, another=another, given=given, theme=theme
    )
    if asking is None:
        output.say("Nothing recorded: the answer was empty.")
        return
    from allycli.shell.reader import Typed

    try:
        text = _typed_answer(ctx, asking.prompt, edit, on) if at_terminal else given
    except Typed as ended:  # SIGTERM or SIGHUP while typing: keep what was typed
        journal.keep_typed(ctx, asking.prompt, ended.text, day=on, stop=ended.stop)
    recorded = journal.answer(ctx, asking, text, day=on)
    # a prompt the person never saw is named by its text
    _reflected(ctx, recorded, asking.prompt, named=another and not at_terminal)


def _reflected(ctx: Context, recorded: Record | None, prompt: Prompt, *, named: bool) -> None:
    from allycli.render import messages as render

    if recorded is None:
        output.say("Nothing recorded: the answer was empty.")
    elif named:
        output.say(render.answered_another(recorded, prompt, ctx.today))
    else:
        when = spoken(recorded.day, ctx.today)
        output.say(f"Reflection recorded for {when} (prompt {prompt.id}).")


def _checked_theme(theme: str | None, prompt_id: str | None, show_list: bool) -> str | None:
    """The theme named by --theme (refused when unknown or beside --prompt or --list)."""
    if theme is None:
        return None
    from allycli.core.errors import UsageError
    from allycli.core.prompts import resolve_theme

    if prompt_id is not None:
        raise UsageError("Choose --prompt or --theme, not both.")
    if show_list:
        raise UsageError("--theme goes with answering or with --prompts, not with --list.")
    return resolve_theme(theme)


def _list_prompts(
    ctx: Context, pillar: str | None, action_type: str | None, theme: str | None
) -> None:
    """`reflect --prompts`: those tagged with one's own types included."""
    from allycli.journal import practice as journal
    from allycli.journal import types
    from allycli.render import messages as render

    known = types.kinds(ctx)
    chosen = journal.prompts_for(
        ctx.prompts_for(known), pillar=pillar, action_type=action_type, kinds=known, theme=theme
    )
    with output.paged():
        output.say(render.prompt_table(chosen))


def _show_reflections(ctx: Context, limit: int) -> None:
    from allycli.journal import practice as journal
    from allycli.render import messages as render
    from allycli.store.queries import Filters

    found = list(journal.entries(ctx, Filters(kind="reflection", limit=limit)))
    with output.paged():
        if not found:
            output.say("No reflections recorded yet. `ally reflect` asks today's prompt.")
        else:
            output.say(render.reflections(found, ctx.today))


def _typed_answer(ctx: Context, prompt: Prompt, edit: bool, day: date) -> str | None:
    """Show the prompt and take the answer at the terminal: in the editor, or typed."""
    from allycli.render import messages as render
    from allycli.render import words

    output.say(render.prompt(prompt))
    output.say(words.user_text(f"(prompt {prompt.id})", "dim"))
    output.say(words.user_text(words.LEAVE_OUT_NAMES, "dim"))
    if edit:
        from allycli.journal import practice as journal

        def keep(text: str, reason: AllyError) -> NoReturn:
            journal.keep_answer(ctx, prompt, text, day=day, reason=reason)

        about = (f"{prompt.pillar.capitalize()} ({prompt.id}): {prompt.text}",)
        return terminal.edit_text("", about=about, name="answer", keep=keep)
    return terminal.ask_text(f"Write your answer; {HOW}. An empty answer records nothing.")


def _note_from_editor(ctx: Context, entry: Record) -> str | None:
    """The note of `entry` (checked already, with no note yet), written in the editor."""
    from allycli.journal import practice as journal
    from allycli.journal import types

    name = types.kinds(ctx).name_of(entry.action_type) if entry.action_type else None
    what = f"{name} ({entry.pillar})" if name else entry.pillar

    def keep(text: str, reason: AllyError) -> NoReturn:
        journal.keep_note(ctx, entry, text, reason)

    about = (f"A note on your practice: {what}",)
    return terminal.edit_text("", about=about, name="note", keep=keep)


def list_entries(
    since: str | None = typer.Option(
        None, "--since", help=f"From this day: {DATE_HELP}", autocompletion=DATES
    ),
    until: str | None = typer.Option(None, "--until", help="Up to this day.", autocompletion=DATES),
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
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
) -> None:
    """Show entries, newest first, with their ids."""
    from allycli.journal import practice as journal

    ctx = session.context()
    filters = entry_filters(ctx, since, until, pillar, action_type, kind, limit, newest_first=True)
    found = journal.entries(ctx, filters)
    if as_json:
        output.print_json([r.to_json() for r in found])
        return
    from allycli.render import messages as render

    rows = list(found)
    if not rows:
        output.say("No entries match. `ally log` records one.")
        return
    console = output.out()
    piped = not console.is_terminal
    table = render.entries_table(rows, piped=piped, today=ctx.today)
    with output.paged():
        console.print(table, soft_wrap=piped, crop=not piped)


def delete(
    entry_id: str | None = typer.Argument(
        None,
        metavar="[ID]",
        help="The id shown by `ally list` (4 or more of its first characters).",
        autocompletion=completion.complete_entry_id,
    ),
    last: bool = typer.Option(False, "--last", help="The entry created most recently."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask first."),
) -> None:
    """Remove one entry, leaving no copy of its text in the database."""
    from allycli.core.errors import UsageError
    from allycli.journal import editing
    from allycli.render import entry as render_entry

    if (entry_id is None) == (not last):
        raise UsageError("Give an entry's ID, or --last for the most recent one (not both).")
    ctx = session.context()
    record = editing.find(ctx, entry_id)
    named = render_entry.name(record, ctx.today)
    if last:
        output.say(f"The most recent entry is {named}: {render_entry.summary(record)}.")
    question = f"Delete {render_entry.asked(record, ctx.today)}? It cannot be undone"
    if not ask_or_refuse(question, yes):
        output.say("Nothing was deleted.")
        return
    unfinished = editing.delete(ctx, record)
    output.say(f"Deleted {named}.")
    terminal.saved_but(unfinished)


def register(app: typer.Typer) -> None:
    app.command(
        help=LOG_HELP,
        epilog=boundary.examples("ally log protest --note 'Joined the housing march' --minutes 90"),
    )(log)
    app.command(
        epilog=boundary.examples(
            "ally reflect",
            "ally reflect --answer 'They asked for funds, not advice.'",
            "ally reflect --list",
            "ally reflect --prompts --type voting",
            "ally reflect --theme ableism",
        ),
    )(reflect)
    app.command(
        "list",
        epilog=boundary.examples(
            "ally list --since monday",
            "ally list --type voting --json",
            "ally list --kind reflection",
        ),
    )(list_entries)
    app.command(epilog=boundary.examples("ally delete 3f2a9c1e", "ally delete --last"))(delete)
