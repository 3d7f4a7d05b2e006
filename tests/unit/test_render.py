"""render: results as terminal text that fits 80 columns, reads without colour and is safe."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import sys
from collections.abc import Iterable
from datetime import date, timedelta

import pytest
from rich.console import Console, RenderableType

from allycli.core import dates, insights, rhythms
from allycli.core.dates import Period
from allycli.core.prompts import Prompt
from allycli.core.records import Record
from allycli.core.streaks import Streak
from allycli.core.taxonomy import ACTION_TYPES, PILLARS
from allycli.journal import practice as journal
from allycli.journal import reporting
from allycli.render import messages as render
from allycli.render import report as render_report
from allycli.render import words

TODAY = date(2026, 11, 25)  # a Wednesday
FORBIDDEN = ("failed", "failure", "good ally", "great job", "well done", "you missed")
SGR = re.compile(r"\x1b\[[0-9;]*m")
HOSTILE = "[/i] [bold]loud \x1b[31mred\x1b]0;title\x07 back\x08\r\nnext \x9b2J"


def show(renderable: RenderableType, **console: object) -> str:
    options: dict[str, object] = {"width": 80, "color_system": None, "no_color": True}
    options.update(console)
    out = Console(file=io.StringIO(), **options)  # type: ignore[arg-type]
    out.print(renderable)
    return out.file.getvalue()  # type: ignore[attr-defined]


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def row(text: str, first: str) -> list[str]:
    """The words of the first line that starts with `first`."""
    return next(line.split() for line in lines(text) if line.startswith(first + " "))


def cells(line: str) -> list[str]:
    """A table line's cells: text between runs of two or more spaces."""
    return re.split(r"\s{2,}", line.strip())


def make_report(
    period: Period,
    entries: Iterable[tuple[date, str, str | None]] = (),
    *,
    today: date = TODAY,
    last_pillar: dict[str, date] | None = None,
    last_type: dict[str, date] | None = None,
    reflections: int = 0,
    prompts: tuple[Prompt, ...] = (),
    streak: insights.Streak = Streak(0, 0),
) -> reporting.Report:
    daily: dict[tuple[date, str], int] = {}
    by_type = dict.fromkeys(ACTION_TYPES, 0)
    for day, pillar, action_type in (e for e in entries if e[0] in period):
        daily[(day, pillar)] = daily.get((day, pillar), 0) + 1
        if action_type:
            by_type[action_type] += 1
    by_pillar = dict.fromkeys(PILLARS, 0)
    for (_, pillar), n in daily.items():
        by_pillar[pillar] += n
    as_of = min(period.end, today)
    last = {**(last_pillar or {}), **(last_type or {})}
    return reporting.Report(
        period=period,
        today=today,
        entries=sum(daily.values()),
        reflections=reflections,
        by_pillar=by_pillar,
        by_action_type=by_type,
        streak=streak,
        pillar_streaks={p: Streak(0, 0) for p in PILLARS} | {"action": streak},
        gaps=rhythms.gaps(  # categories without a rhythm: a gap when absent from the period
            {**by_pillar, **by_type},
            {},
            {},
            last,
            (),
            as_of,
        ),
        prompts=prompts,
        buckets=insights.buckets(period, daily),
    )


SOME = [
    (date(2026, 11, 23), "action", "protest"),
    (date(2026, 11, 25), "action", "advocacy"),
    (date(2026, 11, 25), "action", "advocacy"),
    (date(2026, 11, 24), "listening", None),
    (date(2026, 3, 2), "learning", "training"),
]
LEARNING = (
    Prompt("yielding-02", "learning", "yielding", None, "Read how [i]speaking for[/i] differs."),
    Prompt("voting-01", "learning", "action", "voting", "Find out who is on your local ballot."),
)
PERIODS = {
    "week": dates.week_of(TODAY),
    "past week": dates.week_of(TODAY - timedelta(days=14)),
    "month": dates.month_of(TODAY),
    "year": dates.year_of(TODAY),
    "14 days": dates.explicit_range(TODAY - timedelta(days=13), TODAY),
    "13 weeks": dates.explicit_range(TODAY - timedelta(days=92), TODAY),
    "26 months": dates.explicit_range(date(2024, 10, 1), TODAY),
}


def full_report(period: Period) -> reporting.Report:
    return make_report(
        period,
        SOME,
        last_pillar={"yielding": date(2026, 11, 13)},
        last_type={"voting": date(2026, 11, 13)},
        reflections=2,
        prompts=LEARNING,
        streak=Streak(3, 12),
    )


# -- clean and user_text -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain words", "plain words"),
        ("tab\there\nnew line", "tab\there\nnew line"),
        ("windows\r\nline", "windows\nline"),
        ("carriage\rreturn", "carriage\ufffdreturn"),
        ("\x1b[31mred", "\ufffd[31mred"),
        ("bell\x07 back\x08 del\x7f", "bell\ufffd back\ufffd del\ufffd"),
        ("c1 csi\x9b2J nel\x85", "c1 csi\ufffd2J nel\ufffd"),
        ("\x00\x0b\x0c\x1f", "\ufffd" * 4),
        ("[/i] [bold]", "[/i] [bold]"),
        ("élan \u2013 日本 \u2067rtl\u2069", "élan \u2013 日本 \u2067rtl\u2069"),
    ],
)
def test_clean_makes_controls_visible_and_keeps_text(raw: str, shown: str) -> None:
    assert words.clean(raw) == shown


def test_user_text_is_literal_and_escape_free() -> None:
    out = show(words.user_text(HOSTILE, "italic"))
    assert "[/i] [bold]loud" in out
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert out.splitlines()[1] == "next \ufffd2J"


def test_hostile_note_in_colour_emits_only_rich_styles() -> None:
    record = Record(
        "abcdef12-0000", "practice", "2026-11-25", "x", "action", "protest", HOSTILE, None
    )
    for renderable in (
        render.entries_table([record]),
        render.logged(journal.Logged(record, 1, TODAY)),
        words.user_text(HOSTILE, "bold red"),
    ):
        out = show(renderable, color_system="truecolor", no_color=False, force_terminal=True)
        assert "\x1b[" in out  # colour is on: Rich's own styles are there
        assert "\x1b" not in SGR.sub("", out)
        assert "\x07" not in out and "title\x07" not in out


# -- log -----------------------------------------------------------------------------------


def practice(day: date, pillar: str, action_type: str | None = None, **kw: object) -> Record:
    return Record(
        id="3f2a9c1e-1111-2222-3333-444455556666",
        kind="practice",
        day=day.isoformat(),
        created_at=f"{day.isoformat()}T09:00:00+00:00",
        pillar=pillar,
        action_type=action_type,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("record", "streak", "line"),
    [
        (
            practice(TODAY, "action", "protest"),
            4,
            "Logged protest (action) for today, Wed 25 Nov. Current streak: 4 days.",
        ),
        (
            practice(TODAY - timedelta(days=1), "listening"),
            1,
            "Logged listening for yesterday, Tue 24 Nov. Current streak: 1 day.",
        ),
        (
            practice(date(2026, 11, 13), "action", "voting", minutes=45, note="private words"),
            0,
            "Logged voting (action) for Fri 13 Nov (12 days ago): 45 minutes, with a note.",
        ),
        (
            practice(date(2025, 12, 30), "listening", "training", minutes=1),
            2,
            "Logged training (listening) for Tue 30 Dec 2025 (330 days ago): 1 minute. "
            "Current streak: 2 days.",
        ),
    ],
)
def test_logged_line(record: Record, streak: int, line: str) -> None:
    text = render.logged(journal.Logged(record, streak, TODAY))
    assert text.plain == line
    assert "private words" not in show(text)


def reflection(entry_id: str, day: str, prompt: str, answer: str) -> Record:
    return Record(
        id=entry_id,
        kind="reflection",
        day=day,
        created_at=f"{day}T21:00:00+00:00",
        pillar="yielding",
        prompt_id="yielding-03",
        prompt=prompt,
        answer=answer,
    )


# -- report --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PERIODS))
def test_report_fits_80_columns(name: str) -> None:
    out = show(render_report.report(full_report(PERIODS[name])))
    too_long = [line for line in out.splitlines() if len(line) > 80]
    assert too_long == []
    assert "…" not in out  # nothing had to be cut to fit


def test_narrow_columns_keep_every_label_whole() -> None:
    out = show(render_report.report(full_report(PERIODS["14 days"])))
    heads = lines(out)[4:6]
    assert heads[0].split() == ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"] * 2
    assert heads[1].split() == [str(d) for d in range(12, 26)] + ["Total"]


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("week", "This week, Mon 23 Nov to Sun 29 Nov 2026"),
        ("past week", "Week of Mon 9 Nov to Sun 15 Nov 2026"),
        ("month", "This month, November 2026: Sun 1 Nov to Mon 30 Nov"),
        ("year", "This year, 2026: 1 Jan 2026 to 31 Dec 2026"),
        ("14 days", "12 Nov 2026 to 25 Nov 2026"),
    ],
)
def test_report_header_names_the_period(name: str, title: str) -> None:
    out = lines(show(render_report.report(full_report(PERIODS[name]))))
    assert out[0] == title


def test_week_overview_counts_zeros_and_days_not_yet_come() -> None:
    out = show(render_report.report(full_report(PERIODS["week"])))
    # Mon, Tue, Wed, then Thu to Sun are blank (not yet), then the total.
    assert row(out, "action") == ["action", "1", "·", "2", "3"]
    assert row(out, "listening") == ["listening", "·", "1", "·", "1"]
    assert row(out, "yielding") == ["yielding", "·", "·", "·", "0"]
    assert row(out, "total") == ["total", "1", "1", "2", "4"]
    assert "4 practice entries and 2 reflections." in out


def test_year_overview_has_every_month() -> None:
    out = show(render_report.report(full_report(PERIODS["year"])))
    months = [*(date(2026, m, 1).strftime("%b") for m in range(1, 13)), "Total"]
    assert months in [line.split() for line in lines(out)]
    assert row(out, "learning") == ["learning", "·", "·", "1", *["·"] * 8, "1"]  # Dec not yet


def test_long_range_turns_the_overview_on_its_side() -> None:
    out = show(render_report.report(full_report(PERIODS["26 months"])))
    assert ["Month", *PILLARS, "Total"] in [line.split() for line in lines(out)]
    # month labels carry the whole year: "Mar 26" could be read as a date
    assert row(out, "Mar 2026") == ["Mar", "2026", "·", "·", "1", "·", "1"]
    assert row(out, "Oct 2024") == ["Oct", "2024", "·", "·", "·", "·", "0"]
    assert row(out, "Nov 2026") == ["Nov", "2026", "3", "1", "·", "·", "4"]


def test_counts_and_streaks_show_every_pillar_and_action_type_with_zeros() -> None:
    out = lines(show(render_report.report(full_report(PERIODS["week"]))))
    start = out.index("By pillar")
    # "Entries" and "Minutes" are this period's; "Longest" is over all time
    assert cells(out[start + 1]) == ["Entries", "Minutes", "Streak", "Longest"]
    assert cells(out[start + 2]) == ["Pillar", "this week", "this week", "now", "all time"]
    assert [cells(line) for line in out[start + 4 : start + 8]] == [
        ["action", "3", "0", "3 days", "12 days"],
        ["listening", "1", "0", "0 days", "0 days"],
        ["learning", "0", "0", "0 days", "0 days"],
        ["yielding", "0", "0", "0 days", "0 days"],
    ]
    types = out.index("By action type")
    assert cells(out[types + 2]) == ["Action type", "this week", "this week"]
    assert [cells(line)[:2] for line in out[types + 4 : types + 12]] == [
        ["protest", "1"], ["advocacy", "2"], ["interrupting", "0"], ["volunteering", "0"],
        ["voting", "0"], ["training", "0"], ["children", "0"], ["money", "0"],
    ]  # fmt: skip
    assert "Streak (days in a row with practice): 3 days now, longest 12 days (all time)." in out


def test_minutes_are_totalled_by_pillar_and_action_type() -> None:
    report = dataclasses.replace(
        full_report(PERIODS["week"]),
        minutes_by_pillar={"action": 95, "listening": 30},
        minutes_by_action_type={"protest": 90, "advocacy": 5},
    )
    out = show(render_report.report(report))
    counts = out[out.index("By pillar") :]
    assert row(counts, "action")[:3] == ["action", "3", "95"]
    assert row(counts, "listening")[:3] == ["listening", "1", "30"]
    assert row(counts, "protest") == ["protest", "1", "90"]
    assert row(counts, "advocacy") == ["advocacy", "2", "5"]
    assert row(counts, "money") == ["money", "0", "0"]


def test_a_past_period_says_its_longest_streak_is_up_to_then() -> None:
    out = lines(show(render_report.report(full_report(PERIODS["past week"]))))
    start = out.index("By pillar")
    assert cells(out[start + 2]) == ["Pillar", "that week", "that week", "at end", "to then"]


def test_a_first_week_of_one_day_is_labelled_as_one_day() -> None:
    out = show(render_report.report(full_report(PERIODS["month"])), width=120)
    heads = [line.split() for line in lines(out)]
    assert ["Sun", "1", "Nov", "2-8", "Nov", "9-15", "Nov", "16-22", "Nov", "23-29", "Nov",
            "Mon", "30", "Nov", "Total"] in heads  # fmt: skip


def test_gaps_while_the_period_runs() -> None:
    """At most the five most neglected gaps, and how many more there are."""
    out = lines(show(render_report.report(full_report(PERIODS["week"]))))
    start = out.index("Gaps: not yet this week")
    assert [cells(line) for line in out[start + 1 : start + 8]] == [
        ["learning", "pillar", "never recorded"],
        ["interrupting", "action type", "never recorded"],
        ["volunteering", "action type", "never recorded"],
        ["training", "action type", "never recorded"],
        ["children", "action type", "never recorded"],
        ["and 3 more"],
        [""],
    ]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("month", "Gaps: not yet this month"),
        ("year", "Gaps: not yet this year"),
        ("14 days", "Gaps: not yet in this period"),
        ("past week", "Gaps: unrecorded that week"),
    ],
)
def test_gap_heading_follows_the_period(name: str, words: str) -> None:
    assert words in lines(show(render_report.report(full_report(PERIODS[name]))))


def test_gaps_of_a_past_week_count_days_to_its_end() -> None:
    report = full_report(PERIODS["past week"])
    out = show(render_report.report(report))
    gap = next(g for g in report.gaps if g.category == "yielding")
    assert (
        render_report.gap_words(gap, report) == "last logged Fri 13 Nov, 2 days before Sun 15 Nov"
    )
    assert "Streak on Sun 15 Nov: 3 days, longest up to then 12 days." in out


def test_no_gaps_is_said_plainly() -> None:
    everything = [(TODAY, "listening", None), (TODAY, "yielding", None)]
    everything += [(TODAY, ACTION_TYPES[t], t) for t in ACTION_TYPES]
    report = make_report(PERIODS["week"], everything, streak=Streak(1, 1))
    out = show(render_report.report(report))
    assert report.gaps == ()
    assert "Every pillar and action type has entries in this period." in out
    assert "Gaps:" not in out


def test_learning_prompts_show_their_category_literally() -> None:
    out = lines(show(render_report.report(full_report(PERIODS["week"]))))
    start = out.index("Learning prompts for the biggest gaps")
    assert [cells(line) for line in out[start + 1 :]] == [
        ["yielding", "pillar", "Read how [i]speaking for[/i] differs."],
        ["voting", "action type", "Find out who is on your local ballot."],
    ]


def test_an_empty_journal_gets_one_line_on_how_to_begin() -> None:
    report = make_report(PERIODS["week"])
    out = lines(show(render_report.report(report)))
    assert out == [
        "This week, Mon 23 Nov to Sun 29 Nov 2026",
        'Nothing recorded yet. Begin with `ally log listening --note "..."` (or any',
        "action type, such as protest), or answer today's prompt with `ally reflect`.",
    ]


def test_a_journal_with_history_but_an_empty_period_still_reads_as_a_report() -> None:
    report = make_report(PERIODS["week"], last_pillar={"action": date(2026, 11, 1)})
    out = show(render_report.report(report))
    assert "0 practice entries and 0 reflections." in out
    assert row(out, "total") == ["total", "·", "·", "·", "0"]
    assert len(report.gaps) == len(PILLARS) + len(ACTION_TYPES) == 12
    assert out.count("never recorded") == 5  # the five most neglected, then how many more
    assert "and 7 more" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_no_output_praises_or_shames() -> None:
    record = practice(TODAY, "action", "protest", note="n")
    answer = reflection("9" * 36, "2026-11-24", "Where did you take up space?", "a")
    outputs = [show(render_report.report(full_report(p))) for p in PERIODS.values()]
    outputs += [show(render_report.report(make_report(PERIODS["week"])))]
    outputs += [show(render.logged(journal.Logged(record, s, TODAY))) for s in (0, 1, 30)]
    outputs += [show(render.entries_table([record, answer]))]
    outputs += [show(render.reflections([answer]))]
    for out in outputs:
        for word in FORBIDDEN:
            assert word not in out.lower()


# -- list, reflections, prompts ------------------------------------------------------------


def test_entries_table_shows_short_ids_and_whole_notes_wrapped() -> None:
    long_note = "Spoke up when a colleague's joke punched down; " * 4 + "\nsecond line"
    records = [
        practice(TODAY, "action", "interrupting", minutes=20, note=long_note),
        practice(TODAY, "listening", note="one [bold]line[/bold]\r\nsecond"),
        reflection("0a1b2c3d-aaaa", "2026-11-20", "Where?", "In the meeting."),
    ]
    out = lines(show(render.entries_table(records, today=TODAY)))  # days named one way
    assert out[0].split() == ["ID", "Date", "What", "Min", "Note", "or", "answer"]
    assert cells(out[2]) == [
        "3f2a9c1e", "Wed 25 Nov", "interrupting (action)", "20", "Spoke up when a",
    ]  # fmt: skip
    assert "…" not in "\n".join(out)
    notes = " ".join(line[55:].strip() for line in out[2:12])
    assert notes == " ".join(long_note.split())
    assert cells(out[12]) == ["3f2a9c1e", "Wed 25 Nov", "listening", "one [bold]line[/bold]"]
    assert out[13].strip() == "second"
    assert cells(out[14]) == ["0a1b2c3d", "Fri 20 Nov", "reflection yielding-03", "In the meeting."]


def test_piped_entries_are_one_line_each_with_the_whole_note() -> None:
    long_note = "Spoke at the council " * 10 + "\nsecond line"
    records = [practice(TODAY, "action", "protest", minutes=90, note=long_note)]
    out = lines(show(render.entries_table(records, piped=True, today=TODAY), soft_wrap=True))
    assert out == [
        "3f2a9c1e  Wed 25 Nov  protest (action)    90  "
        + ("Spoke at the council " * 10).rstrip()
        + "  ¶ second line"
    ]


def test_reflections_show_prompt_and_whole_answer() -> None:
    answers = ["In the meeting.\nI talked over Sam.\n\nNext time: wait.", "Less \x1b[2J."]
    records = [
        reflection(f"{i}" * 8, f"2026-11-2{i}", "Where did you take up space?", a)
        for i, a in enumerate(answers, start=4)
    ]
    records.insert(1, practice(TODAY, "action", "protest", note="not a reflection"))
    out = lines(show(render.reflections(records)))
    assert out == [
        "Tue 24 Nov 2026 · yielding (yielding-03)",
        "Where did you take up space?",
        "In the meeting.",
        "I talked over Sam.",
        "",
        "Next time: wait.",
        "",
        "Wed 25 Nov 2026 · yielding (yielding-03)",
        "Where did you take up space?",
        "Less \ufffd[2J.",
    ]
    assert lines(show(render.reflections([]))) == ["No reflections recorded yet."]


def test_prompt_and_prompt_table() -> None:
    p = Prompt("listening-01", "reflection", "listening", None, "Whose voice [b]did[/b] you hear?")
    q = Prompt("voting-01", "learning", "action", "voting", "Who is on the local ballot? " * 4)
    assert render.prompt(p).plain == "Listening: Whose voice [b]did[/b] you hear?"
    assert render.prompt(q).plain.startswith("Action (voting): Who is on the local ballot?")
    out = lines(show(render.prompt_table([p, q])))
    assert cells(out[0]) == ["ID (kind, pillar, type)", "Prompt"]
    assert cells(out[2]) == ["listening-01", "Whose voice [b]did[/b] you hear?"]
    assert cells(out[3]) == ["reflection prompt, listening"]
    assert cells(out[5])[0] == "voting-01"
    assert cells(out[6])[0] == "learning prompt, action, voting"
    assert max(len(line) for line in out) <= 80
    column = out[0].index("Prompt")
    text = " ".join(line[column:] for line in out[5:])
    assert " ".join(text.split()).count("Who is on the local ballot?") == 4
    assert lines(show(render.prompt_table([]))) == ["No prompts match."]


def test_render_imports_no_database_or_yaml() -> None:
    code = (
        "import sys, allycli.render.messages; "
        "bad = [m for m in ('sqlmodel', 'sqlalchemy', 'yaml', 'allycli.store.database', "
        "'allycli.journal.practice')"
        " if m in sys.modules]; print(bad)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_an_entry_from_a_zone_ahead_shows_in_its_day_and_in_the_total() -> None:
    """Today is Wednesday; a machine a day ahead logged Thursday: the grid shows it there."""
    ahead = [*SOME, (TODAY + timedelta(days=1), "listening", None)]
    out = show(render_report.report(make_report(PERIODS["week"], ahead)))
    assert row(out, "listening") == ["listening", "·", "1", "·", "1", "2"]
    assert row(out, "total") == ["total", "1", "1", "2", "1", "5"]


def test_the_narrowest_overview_lists_a_day_to_come_that_holds_an_entry() -> None:
    ahead = [*SOME, (TODAY + timedelta(days=1), "listening", None)]
    out = lines(show(render_report._overview_lines(make_report(PERIODS["week"], ahead))))
    assert [ln.split(":")[0] for ln in out] == ["Mon 23", "Tue 24", "Wed 25", "Thu 26"]
    assert out[-1] == "Thu 26: 1 entry (listening 1)"
