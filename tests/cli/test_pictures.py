"""`ally calendar`, pictures saved as SVG and HTML, first contact and usage errors, on real
databases: through the command line in-process, and through real processes where the shell
is part of the question (completion scripts)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest

from allycli.core.records import Record
from allycli.store.database import Store
from tests.integration.helpers import ally_in_process

TODAY = date.today()


def entry(day: date, n: int, **fields: object) -> tuple[object, ...]:
    base: dict[str, object] = {"pillar": "action", "action_type": "protest"}
    base.update(fields)
    return Record(
        id=f"{day.toordinal():08x}-{n:04x}-4000-8000-000000000000",
        kind="practice",
        day=day.isoformat(),
        created_at=f"{day.isoformat()}T10:00:00+00:00",
        **base,  # type: ignore[arg-type]
    ).row()


@pytest.fixture
def env(db_path: Path) -> dict[str, str]:
    out = dict(os.environ)
    out.update(ALLY_DB=str(db_path), NO_COLOR="1", COLUMNS="80", PYTHONIOENCODING="utf-8")
    return out


def ally(env: dict[str, str], *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    """`ally ARGS` in-process (tests.integration.helpers.ally_in_process), checked."""
    done = ally_in_process(env, *args)
    assert done.returncode == code, (args, done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    return done


def ally_process(
    env: dict[str, str], *args: str, code: int = 0
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "allycli", *args],
        env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60,
    )  # fmt: skip
    assert done.returncode == code, (args, done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    return done


# -- the calendar --------------------------------------------------------------------------


def test_a_past_year_as_a_grid(env: dict[str, str], db_path: Path) -> None:
    # 2025 began on a Wednesday; 6 January 2025 was a Monday.
    rows = [entry(date(2025, 1, 6), 0), entry(date(2025, 1, 7), 0), entry(date(2025, 1, 7), 1)]
    rows += [entry(date(2025, 1, 8), i) for i in range(5)]
    rows += [entry(date(2025, 3, 3), 0, pillar="listening", action_type=None)]
    Store(db_path).insert(rows)
    out = ally(env, "calendar", "2025").stdout.splitlines()
    assert out[0] == "Practice in 2025"
    assert out[2] == "    Jan Feb Mar  Apr May Jun  Jul Aug  Sep Oct Nov  Dec"
    assert out[3] == "Mon  ░·······░" + "·" * 43
    assert out[4] == "Tue  ▒" + "·" * 51
    assert out[5] == "Wed ·█" + "·" * 51
    assert out[6] == "Thu ··" + "·" * 50
    assert out[9] == "Sun ··" + "·" * 50
    assert out[11] == "· none  ░ 1  ▒ 2  █ 3 or more"
    below = " ".join(line.strip() for line in out[12:])  # piped: never wrapped
    assert below == (
        "9 practice entries on 4 days. Streak (days in a row with practice): 0 days on "
        "31 Dec 2025; longest 3 days (up to then). Busiest week: Mon 6 Jan to Sun 12 Jan "
        "2025, 8 entries."
    )
    assert max(len(line) for line in out[:12]) <= 80  # the picture, drawn as at 80


def test_the_calendar_is_filtered_by_pillar_or_type(env: dict[str, str], db_path: Path) -> None:
    Store(db_path).insert(
        [entry(date(2025, 1, 6), 0), entry(date(2025, 3, 3), 0, pillar="listening",
                                           action_type=None)]
    )  # fmt: skip
    out = ally(env, "calendar", "2025", "--pillar", "listen").stdout
    assert out.startswith("Practice: listening in 2025\n")
    assert "1 listening entry on 1 day." in out
    out = ally(env, "calendar", "2025", "--type", "rally").stdout
    assert "1 protest entry on 1 day." in out
    err = ally(env, "calendar", "--pillar", "action", "--type", "money", code=2).stderr
    assert err.startswith("ally: Choose --pillar or --type, not both.")


def test_a_range_and_this_year(env: dict[str, str], db_path: Path) -> None:
    start = TODAY - timedelta(days=20)
    Store(db_path).insert([entry(TODAY - timedelta(days=1), 0), entry(TODAY, 0)])
    out = ally(env, "calendar", "--since", start.isoformat()).stdout
    assert out.splitlines()[0].startswith("Practice, ")
    assert "Streak (days in a row with practice): 2 days now; longest 2 days (all time)." in out
    assert f"Practice in {TODAY.year}" in ally(env, "calendar").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("calendar", "2025", "--since", "2025-01-01"), "Give a YEAR or --since, not both."),
        (("calendar", "--until", "2025-01-01"), "--until goes with --since; add --since DATE."),
        (
            ("calendar", "12"),
            f"12 is not a year ally can show; give a year from 1900 to {TODAY.year}.",
        ),
        (("calendar", "twenty"), "YEAR takes a year, such as 2026; 'twenty' is not one."),
    ],
)
def test_calendar_usage_errors(env: dict[str, str], args: tuple[str, ...], message: str) -> None:
    err = ally(env, *args, code=2).stderr
    assert err.startswith(f"ally: {message}"), err
    assert err.count("\n") == 1


DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def test_a_54_week_year_fits_80_columns(env: dict[str, str]) -> None:
    out = ally(env, "calendar", "2012").stdout.splitlines()
    grid = [line for line in out if line[:4] in ("Mon ", "Sun ")]
    # 4 for the weekday, 54 weeks; the last week holds only Monday 31 December
    assert [len(line) for line in grid] == [58, 57]
    picture = [line for line in out if line[:4] in ("    ", *(f"{d} " for d in DAYS))]
    assert max(len(line) for line in picture) <= 80


# -- pictures ------------------------------------------------------------------------------


def _svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()  # it is XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    return "".join(texts).replace("\xa0", " ")


def test_report_as_svg_holds_the_report_text(env: dict[str, str], db_path: Path,
                                            tmp_path: Path) -> None:  # fmt: skip
    Store(db_path).insert([entry(TODAY, 0, minutes=45)])
    target = tmp_path / "report.svg"
    done = ally(env, "report", "--svg", str(target))
    assert done.stdout == ""
    assert done.stderr == f"Wrote the picture to {target}.\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = _svg_text(target)
    assert "1 practice entry and 0 reflections." in text
    for word in ("By pillar", "listening", "volunteering", "Gaps", "45"):
        assert word in text
    assert (
        "https://"
        not in target.read_text().split("<!--")[0] + target.read_text().split("-->", 1)[1]
    )  # no font from a CDN: opening it asks no one for anything
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_calendar_as_svg_and_html(env: dict[str, str], db_path: Path, tmp_path: Path) -> None:
    Store(db_path).insert([entry(date(2025, 1, 7), i) for i in range(3)])
    svg, html = tmp_path / "cal.svg", tmp_path / "cal.html"
    html.write_text("old", encoding="utf-8")
    html.chmod(0o644)
    ally(env, "calendar", "2025", "--svg", str(svg), "--html", str(html))
    assert "Practice in 2025" in _svg_text(svg)
    assert "Busiest week: Mon 6 Jan to Sun 12 Jan 2025, 3 entries." in _svg_text(svg)
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "Practice in 2025" in page
    assert stat.S_IMODE(html.stat().st_mode) == 0o600  # replaced, not rewritten in place


def test_a_picture_into_a_folder_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    err = ally(env, "calendar", "--svg", str(tmp_path), code=2).stderr
    assert err == f"ally: {tmp_path} is a folder; --svg needs a file name.\n"


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="no headless browser here (Debian: apt-get install chromium); "
    "the SVG is still checked as XML above",
)
def test_a_browser_opens_the_pictures(env: dict[str, str], db_path: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    Store(db_path).insert([entry(date(2025, 1, 7), 0)])
    svg, html = tmp_path / "cal.svg", tmp_path / "cal.html"
    ally(env, "calendar", "2025", "--svg", str(svg), "--html", str(html))
    browser = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip
    dom = subprocess.run(
        [*browser, "--dump-dom", html.as_uri()],
        capture_output=True, text=True, timeout=120, env={**env, "HOME": str(tmp_path)},
    )  # fmt: skip
    assert "Practice in 2025" in dom.stdout.replace("&nbsp;", " "), dom.stderr[-500:]
    png = tmp_path / "cal.png"
    subprocess.run(
        [*browser, f"--screenshot={png}", "--window-size=1300,500", svg.as_uri()],
        capture_output=True, timeout=120, env={**env, "HOME": str(tmp_path)},
    )  # fmt: skip
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 5000  # a drawn picture, not an empty page


# -- first contact -------------------------------------------------------------------------


def test_bare_ally_is_a_short_overview(env: dict[str, str]) -> None:
    done = ally(env)
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert len(lines) <= 12 and max(len(line) for line in lines) <= 60
    for command in ('ally log listening --note "..."', "ally reflect", "ally report"):
        assert any(line.strip().startswith(command) for line in lines), command
    assert "Usage" not in done.stdout


def test_top_level_help_has_examples(env: dict[str, str]) -> None:
    out = ally(env, "--help").stdout
    examples = out[out.index("Examples:") :]
    assert 'ally log listening --note "Heard out a colleague"' in examples
    assert "ally calendar" in examples


def test_an_empty_journal_says_how_to_begin(env: dict[str, str]) -> None:
    out = ally(env, "report").stdout
    assert "Nothing recorded yet. Begin with `ally log listening" in out
    assert "never recorded" not in out and len(out.splitlines()) <= 4


def test_report_json_totals_minutes(env: dict[str, str], db_path: Path) -> None:
    Store(db_path).insert(
        [entry(TODAY, 0, minutes=45), entry(TODAY, 1, minutes=30, action_type="money"),
         entry(TODAY, 2, pillar="listening", action_type=None, minutes=20)]
    )  # fmt: skip
    data = json.loads(ally(env, "report", "--json").stdout)
    assert data["minutes_by_pillar"] == {"action": 75, "listening": 20, "learning": 0,
                                         "yielding": 0}  # fmt: skip
    assert data["minutes_by_action_type"]["protest"] == 45
    assert data["minutes_by_action_type"]["money"] == 30
    assert sum(data["minutes_by_action_type"].values()) == 75


# -- usage errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("lgo",), "No such command 'lgo'. Did you mean 'log'? Run 'ally --help' to see the "
                   "commands."),
        (("log", "protst"), "No activity 'protst'. Did you mean 'protest'? `ally log --help` "
                            "lists them.\n"),
        (("log", "protest", "--minutes", "1h"), "--minutes takes a whole number of minutes, 1 or "
                                                "more, such as --minutes 90 (an hour and a "
                                                "half); '1h' is not one. Run 'ally log --help'"),
        (("log", "protest", "Joined", "the", "march"), "ally log takes one activity; put the "
                                                       'rest in a note, in quotes: ally log '
                                                       'protest --note "...".'),
        (("report", "--since", (TODAY + timedelta(days=400)).isoformat()), "--since "
         f"{(TODAY + timedelta(days=400)).isoformat()} is in the future; a range starts on a "
         f"day up to today ({TODAY.isoformat()})."),
        (("log", "protest", "--bogus"), "No such option: --bogus. Run 'ally log --help' to see "
                                        "the options."),
        (("export", "--format", "xml"), "No export format 'xml'. Choose jsonl, csv or md."),
    ],
    ids=["command", "activity", "minutes", "extra-words", "future-since", "option", "format"],
)  # fmt: skip
def test_usage_errors_say_what_to_type(
    env: dict[str, str], args: tuple[str, ...], message: str
) -> None:
    err = ally(env, *args, code=2).stderr
    assert err.startswith(f"ally: {message}"), err
    assert err.count("\n") == 1
    assert "?." not in err and ".." not in err.replace('"..."', "")
    assert "march" not in err  # never echo what may be a note


def test_paused_days_are_marked_and_passed_over(env: dict[str, str], db_path: Path) -> None:
    import sqlite3

    # practice 6-7 Jan and 11-12 Jan 2025; 8-10 Jan paused for all practice; a pause of
    # listening alone (20-26 Jan) does not touch the practice calendar
    days = [date(2025, 1, d) for d in (6, 7, 11, 12)]
    Store(db_path).insert([entry(d, 0) for d in days])
    with sqlite3.connect(db_path) as conn:
        conn.executemany(
            "INSERT INTO pause (id, since, until, categories, note, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, NULL, '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')",
            [("p1", "2025-01-08", "2025-01-10", None),
             ("p2", "2025-01-20", "2025-01-26", '["listening"]')],
        )  # fmt: skip
    conn.close()
    out = ally(env, "calendar", "2025").stdout
    lines = out.splitlines()
    assert lines[5].startswith("Wed ·~")  # 8 Jan
    assert lines[7].startswith("Fri ·~")  # 10 Jan
    assert lines[3].startswith("Mon  ░·")  # 20 Jan (listening's pause) is a plain day
    assert "~ paused" in out
    below = " ".join(line.strip() for line in lines[12:])
    assert "Paused: 3 days, neither breaking nor extending the streak." in below
    assert "longest 4 days (up to then)" in below  # 2 without the pause
    listening = ally(env, "calendar", "2025", "--pillar", "listening").stdout
    assert "Paused: 10 days" in " ".join(listening.split())  # its own 7 and the 3 of all


# -- completion scripts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "mark"),
    [("bash", "complete -o default -F _ally_completion ally"),
     ("zsh", "compdef _ally_completion ally"),
     ("fish", "complete --command ally --no-files")],
)  # fmt: skip
def test_each_shell_gets_its_own_script(env: dict[str, str], shell: str, mark: str) -> None:
    out = ally_process(env, "--show-completion", shell).stdout
    assert mark in out
    others = {"bash": "complete -o default", "zsh": "compdef", "fish": "--no-files"}
    assert [s for s, m in others.items() if s != shell and m in out] == []


def test_installing_for_an_unknown_shell_is_refused_and_writes_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    home = tmp_path / "home-for-completion"
    home.mkdir()
    err = ally_process({**env, "HOME": str(home)}, "--install-completion", "tcsh", code=2).stderr
    assert err == (
        "ally: ally has no completion for 'tcsh'; it completes in bash, zsh and fish (and "
        "PowerShell). Run 'ally --show-completion bash' (or zsh, fish).\n"
    )
    assert list(home.iterdir()) == []
    out = ally_process({**env, "HOME": str(home)}, "--install-completion", "bash").stdout
    assert out.startswith(f"bash completion installed in {home}/.bash_completions/ally.sh")
    assert "source" in (home / ".bashrc").read_text()
