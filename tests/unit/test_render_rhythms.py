"""Rhythms and pauses on the terminal: exact words, the momentum bar, 60 columns."""

from __future__ import annotations

import io
from datetime import date

import pytest
from rich.console import Console

from allycli.core.objects import Pause
from allycli.core.rhythms import CATEGORIES, MET, NOT_MET, OPEN, PAUSED, Status, Unit, parse_spec
from allycli.core.streaks import Streak
from allycli.journal.rhythms import Progress, RhythmView
from allycli.render import rhythms as render_rhythms

TODAY = date(2026, 11, 25)
WEEK = (date(2026, 11, 23), date(2026, 11, 29))


def show(renderable: object, width: int = 80) -> str:
    out = Console(file=io.StringIO(), width=width, color_system=None, no_color=True)
    out.print(renderable)
    return out.file.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.0, "·····   0%"), (0.09, "·····   9%"), (0.124, "█····  12%"), (0.5, "██···  50%"),
     (0.874, "████·  87%"), (0.99, "█████  99%"), (1.0, "█████ 100%")],
)  # fmt: skip
def test_momentum_bar(value: float, shown: str) -> None:
    assert render_rhythms.momentum_bar(value).plain == shown


@pytest.mark.parametrize(
    ("spec", "unit", "words"),
    [
        ("3/week", Unit(*WEEK, OPEN, 2, 3), "listening: 2 of 3 days this week"),
        ("1/day", Unit(TODAY, TODAY, MET, 1, 1), "listening: 1 of 1 day today"),
        ("1/month", Unit(date(2026, 11, 1), date(2026, 11, 30), MET, 1, 1),
         "listening: 1 of 1 day this month"),
        ("90min/week", Unit(*WEEK, OPEN, 45, 90), "listening: 45 of 90 min this week"),
        ("3/week", Unit(date(2026, 11, 16), date(2026, 11, 22), NOT_MET, 1, 3),
         "listening: 1 of 3 days in the week of Mon 16 Nov"),
        ("3/week", Unit(*WEEK, PAUSED, 0, 0), "listening: paused this week"),
        ("2/3d", Unit(TODAY, date(2026, 11, 27), OPEN, 1, 2),
         "listening: 1 of 2 days in these 3 days (Wed 25 Nov to Fri 27 Nov)"),
        ("3/week", Unit(date(2025, 12, 1), date(2025, 12, 7), NOT_MET, 1, 3),
         "listening: 1 of 3 days in the week of Mon 1 Dec 2025"),
        ("1/month", Unit(date(2025, 12, 1), date(2025, 12, 31), MET, 1, 1),
         "listening: 1 of 1 day in December 2025"),
    ],
)  # fmt: skip
def test_log_progress_words(spec: str, unit: Unit, words: str) -> None:
    assert render_rhythms.progress([Progress("listening", parse_spec(spec), unit, TODAY)]) == words


def views() -> list[RhythmView]:
    specs = {
        "practice": "1/day", "action": "3/week", "listening": "100min/month",
        "learning": "1/week", "yielding": "1/week", "volunteering": "2/14d", "voting": "off",
    }  # fmt: skip
    found = []
    for category in CATEGORIES:
        spec = specs.get(category)
        status = None
        if spec not in (None, "off"):
            s = parse_spec(spec)
            status = Status(s, Unit(*WEEK, NOT_MET, 10, 100), Streak(12, 40), 0.4567)
        found.append(RhythmView(category, spec, status))
    return found


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_rhythm_table_reads_at_every_width(width: int) -> None:
    out = show(render_rhythms.rhythm_table(views()), width)
    assert "…" not in out
    assert max(len(line) for line in out.splitlines()) <= width
    assert any(line.startswith("voting") and "off" in line for line in out.splitlines())
    assert "none" not in out
    assert "default: a gap when absent" in " ".join(out.split()).lower()
    assert "46%" in out and "not met" in out


def test_pause_words() -> None:
    p = Pause("3f2a9c1e-0000-4000-8000-000000000001", date(2026, 12, 21), date(2026, 12, 27),
              ("listening",), "family", "t", "t")  # fmt: skip
    assert render_rhythms.pause_added(p, TODAY).plain.startswith(
        "Paused listening from Mon 21 Dec to Sun 27 Dec (7 days); id 3f2a9c1e."
    )
    table = show(render_rhythms.pause_table([p], TODAY))
    assert "3f2a9c1e" in table and "ahead" in table and "family" in table


def test_a_pause_table_never_cuts_a_word() -> None:
    p = Pause("3f2a9c1e-0000-4000-8000-000000000001", date(2026, 11, 30), date(2026, 12, 4),
              None, "elections done and a family visit", "t", "t")  # fmt: skip
    for width in (40, 60, 80, 120):
        out = show(render_rhythms.pause_table([p], TODAY), width)
        assert "…" not in out, out
        assert all(len(line.rstrip()) <= width for line in out.splitlines()), out
        for word in ("3f2a9c1e", "everything", "elections", "family", "visit", "ahead"):
            assert word in out.split(), (word, out)
        assert all(line.startswith(("3f2a9c1e", " ", "Id", "─")) for line in out.splitlines())


def test_narrow_terminals_get_two_lines_a_rhythm() -> None:
    out = show(render_rhythms.rhythm_table(views()), 60).splitlines()
    assert out[0].rstrip() == "practice: 1/day, not met, 10 of 100 days"
    assert out[1].rstrip() == "  streak 12 days, momentum ██···  46%"
    wide = show(render_rhythms.rhythm_table(views()), 80).splitlines()
    assert wide[0].split() == ["Category", "Rhythm", "Unit", "Done", "Streak", "Momentum"]
