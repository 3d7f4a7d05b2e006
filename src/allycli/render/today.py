"""`ally today`: the day at a glance, and the one line of `--short` for a shell prompt
(which needs no Rich: a shell prompt runs it all day)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allycli.render import words

if TYPE_CHECKING:
    from rich.text import Text

    from allycli.journal.today import OpenUnit, Today
    from allycli.render.wrapping import Words

SHORT_WIDTH = 40
ITEM = "  "  # an item of a list: indented, and a line it wraps onto goes on under its text


def unit_line(u: OpenUnit, today_day: object) -> str:
    """ "listening: 0 of 1 this week, until Sun 13 Dec"."""
    from datetime import date

    from allycli.render.rhythms import done_words, unit_words

    assert isinstance(today_day, date)
    when = unit_words(u.spec, u.unit, today_day)
    until = "today" if u.unit.end == today_day else words.day(u.unit.end)
    return f"{u.category}: {done_words(u.spec, u.unit)} {when}, until {until}"


def item(text: Text) -> Words:
    """A line of a list: indented by ITEM, and on a terminal too narrow for it, the rows
    it wraps onto stand under its text, one step further in than the items."""
    from rich.text import Text

    from allycli.render.wrapping import Words

    return Words(Text(ITEM) + text, hang=len(ITEM))


def today(t: Today) -> list[Text | Words]:
    """The day's lines, each a message of its own."""
    from rich.text import Text

    from allycli.render.entry import what

    parts: list[Text | Words] = [Text(f"Today, {words.day(t.day)}", style="bold")]
    if t.entries:
        practice = [r for r in t.entries if r.kind == "practice"]
        reflections = len(t.entries) - len(practice)
        said = [words.plural(len(practice), "practice entry", "practice entries")]
        if reflections:
            said.append(words.plural(reflections, "reflection"))
        parts.append(Text(f"Logged today: {' and '.join(said)}."))
        for r in t.entries:
            own = r.kind == "practice" and r.action_type in t.own_types
            shown = f"{r.action_type} ({r.pillar}, own type)" if own else what(r)
            line = words.user_text(shown)
            if r.kind == "practice" and r.note:
                line.append_text(words.user_text(f": {' '.join(r.note.split())}"))
            parts.append(item(line))
    else:
        parts.append(Text("Nothing logged today yet; `ally log` records what you do."))
    if t.open:
        parts.append(Text(f"Still open ({len(t.open)}), the soonest to end first:"))
        parts += [item(Text(unit_line(u, t.day))) for u in t.open]
    else:
        parts.append(Text("No rhythm has a unit still open today."))
    if t.prompt is None:
        parts.append(Text("No reflection prompt to offer: check your prompts files."))
    elif t.answered:
        parts.append(Text(f"Today's prompt ({t.prompt.id}) is answered."))
    else:
        line = Text("Today's prompt, waiting for `ally reflect`: ")
        line.append_text(words.user_text(t.prompt.text))
        line.append(f" (prompt {t.prompt.id})", style="dim")
        parts.append(line)
    s = t.streak
    now = f"{words.days(s.current)} now" if s.current else "none now (today is still open)"
    parts.append(Text(f"Streak (days in a row with practice): {now}, "
                      f"longest {words.days(s.longest)}."))  # fmt: skip
    for p in t.pauses:
        covers = "all practice" if p.categories is None else ", ".join(p.categories)
        until = "today" if p.until == t.day else words.day(p.until, year=p.until.year != t.day.year)
        parts.append(Text(f"Paused today: {covers}, until {until}; rest is part of practice."))
    if any(r.kind == "practice" and r.action_type in t.own_types for r in t.entries):
        parts.append(Text("Own type: one you added with `ally type add`; it counts like any "
                          "other.", style="dim"))  # fmt: skip
    return parts


def short(t: Today) -> str:
    """One line of at most 40 characters ("2 open · prompt waiting"), or "" when nothing is
    open and the day's prompt is answered."""
    if t.quiet:
        return ""
    said = []
    if t.open:
        said.append(f"{len(t.open)} open")
    if t.prompt is not None and not t.answered:
        said.append("prompt waiting")
    line = " · ".join(said)
    if len(t.open) == 1 and len(line) + len(t.open[0].category) + 3 <= SHORT_WIDTH:
        line = line.replace("1 open", f"1 open ({t.open[0].category})", 1)
    return line[:SHORT_WIDTH]
