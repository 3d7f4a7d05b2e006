"""The benchmark's datasets: seeded, spread over the ten years up to today.

An ally database is written through allycli.store.database (its schema and its insert path), and
the same entries as the jsonl that `ally export` writes; a jrnl journal is plain text.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

SEED = 4  # the number; any fixed seed makes the datasets reproducible
YEARS = 10


# -- entries ------------------------------------------------------------------------------

# (activity, weight): an action type, or a pillar logged directly (action_type null)
ACTIVITIES = (
    ("protest", 8),
    ("advocacy", 14),
    ("interrupting", 7),
    ("volunteering", 10),
    ("voting", 3),
    ("training", 14),
    ("children", 5),
    ("money", 8),
    ("listening", 18),
    ("yielding", 13),
)
NOTES = (
    "Joined the housing march",
    "Brought water and snacks to the picket line",
    "Shared the strike fund link with my team",
    "Read two chapters on the history of redlining",
    "Spoke up when a colleague made an ableist joke",
    "Listened at the tenants' assembly without taking the floor",
    "Let the organizers set the agenda; took notes",
    "Donated to the community bail fund",
    "Phone-banked for the school board candidate",
    "Took the kids to the exhibit on the civil rights movement",
    "Sorted donations at the food bank for three hours",
    "Asked before posting photos from the vigil",
    "Amplified a thread by a disabled organizer",
    "Attended the workshop on trans inclusion at work",
    "Corrected a misgendering in the meeting, then moved on",
    "Set up a monthly donation to the refugee centre",
    "Passed the mic instead of speaking for the group",
    "Café meetup with the mutual-aid crew: cooked for twelve",
    "Read the treaty, not just the land acknowledgment",
    "Drove people to the polling station",
    "Bought books with queer protagonists for the class library",
    "Stayed after the meeting to stack chairs and listen",
    "Wrote to the council about the encampment sweeps",
    "Noticed I was explaining; stopped and asked instead",
)
ANSWERS = (
    "I noticed how quickly I wanted to fix things instead of listening.",
    "They asked for funds, not advice.",
    "I talked less than usual, and the meeting was better for it.",
    "I still default to my own framing; I caught it twice today.",
    "The organizers knew exactly what they needed; my job was to show up.",
    "I read their account twice before answering, and answered shorter.",
    "Next time I will ask who has not spoken yet.",
    "It was uncomfortable to be corrected, and it was right.",
)
PILLAR_QUESTIONS = {
    "action": "What did you do today that someone else asked for?",
    "listening": "Whose account did you hear today without replying with your own?",
    "learning": "Which assumption of yours did something today challenge?",
    "yielding": "Where did you make room today instead of taking it?",
}


def practice_records(n: int, seed: int, today: date) -> list[Any]:
    """n entries over the ten years up to today: seeded, a realistic mix, ~10% reflections.

    Days are uneven: practice grows over the years, about one day in eight has none, and a
    few breaks of weeks leave real gaps, so streaks and gaps have something to find.
    """
    from allycli.core.records import Record
    from allycli.core.taxonomy import ACTION_TYPES, PILLARS

    rng = random.Random(seed)
    first = today - timedelta(days=365 * YEARS + YEARS // 4)
    days = [first + timedelta(days=i) for i in range((today - first).days + 1)]
    weights = [
        0.0 if rng.random() < 0.12 else (0.4 + i / len(days)) * rng.uniform(0.5, 1.5)
        for i in range(len(days))
    ]
    for _ in range(YEARS):  # a break of one to six weeks, once a year or so
        start = rng.randrange(len(days) - 60)
        for i in range(start, start + rng.randint(7, 42)):
            weights[i] = 0.0
    weights[-1] = max(weights[-1], 1.0)  # something today, so the current streak is live
    prompts = _reflection_prompts()
    kinds = [a for a, _ in ACTIVITIES]
    kind_weights = [w for _, w in ACTIVITIES]
    records = []
    for day in sorted(rng.choices(days, weights, k=n)):
        created = datetime(day.year, day.month, day.day, rng.randint(7, 22), rng.randint(0, 59))
        common = {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "day": day.isoformat(),
            "created_at": created.astimezone().isoformat(timespec="seconds"),
        }
        if rng.random() < 0.10:
            prompt_id, pillar, text = rng.choice(prompts)
            answer = " ".join(rng.sample(ANSWERS, k=rng.randint(1, 3)))
            records.append(
                Record(kind="reflection", pillar=pillar, prompt_id=prompt_id, prompt=text,
                       answer=answer, **common)
            )  # fmt: skip
            continue
        activity = rng.choices(kinds, kind_weights)[0]
        action_type = activity if activity in ACTION_TYPES else None
        pillar = ACTION_TYPES[activity] if action_type else activity
        if action_type and rng.random() < 0.05:
            pillar = rng.choice(PILLARS)  # --pillar overrides the default now and then
        note = None
        if rng.random() < 0.65:
            note = "; ".join(rng.sample(NOTES, k=rng.choice((1, 1, 1, 2, 3))))
        minutes = rng.choice((10, 15, 20, 30, 45, 60, 90, 120, 180)) if rng.random() < 0.5 else None
        records.append(
            Record(kind="practice", pillar=pillar, action_type=action_type, note=note,
                   minutes=minutes, **common)
        )  # fmt: skip
    return records


NEEDLE = "quillwort"  # in exactly one entry of the big dataset, for `ally search`
NEEDLE_NOTE = "Helped the Quillwort Street tenants' union fold flyers"


def plant_needle(records: list[Any]) -> list[Any]:
    """The records with one practice note, near the middle, holding NEEDLE (and no other)."""
    import dataclasses

    middle = len(records) // 2
    at = next(i for i in range(middle, len(records)) if records[i].kind == "practice")
    records[at] = dataclasses.replace(records[at], note=NEEDLE_NOTE)
    return records


def _reflection_prompts() -> list[tuple[str, str, str]]:
    """The shipped reflection prompts when there are any; stand-ins otherwise."""
    try:
        from allycli.store.promptfiles import builtin_path, load

        found = [(p.id, p.pillar, p.text) for p in load([builtin_path()]) if p.kind == "reflection"]
    except Exception:  # the benchmark must not depend on the prompts file's state
        found = []
    return found or [(f"{p}-bench", p, q) for p, q in PILLAR_QUESTIONS.items()]


def write_ally_db(path: Path, records: Sequence[Any]) -> None:
    """Write through allycli.store.database's schema and insert path (one transaction)."""
    from allycli.store.database import Store

    remove_db(path)
    store = Store(path)
    store.connect(write=True).close()
    if records:
        store.insert([r.row() for r in records])
    store.checkpoint()


# Every pillar and four action types on a rhythm, minutes rhythms among them, and a pause.
RHYTHMS = {
    "action": "3/week",
    "listening": "2/week",
    "learning": "90min/week",
    "yielding": "1/week",
    "protest": "1/month",
    "advocacy": "2/week",
    "money": "1/month",
    "training": "60min/month",
}


def copy_db(source: Path, target: Path) -> None:
    remove_db(target)
    target.write_bytes(source.read_bytes())
    target.chmod(0o600)


def write_rhythms(path: Path, today: date) -> None:
    """Set RHYTHMS and one week's pause through ally's own rhythm store."""
    from allycli.core.objects import Pause
    from allycli.store.database import Store
    from allycli.store.rhythms import put, write_rhythm

    now = datetime.now().astimezone().isoformat(timespec="microseconds")
    store = Store(path)
    with store.writing() as conn:
        for category, spec in RHYTHMS.items():
            write_rhythm(conn, category, spec, now)
        since = today - timedelta(days=200)
        put(conn, Pause(str(uuid.UUID(int=SEED, version=4)), since,
                                 since + timedelta(days=6), None, "bench", now, now))  # fmt: skip
    store.checkpoint()


def write_jsonl(path: Path, records: Sequence[Any]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")


def write_jrnl_journal(path: Path, n: int, seed: int, today: date) -> None:
    """A plain-text jrnl journal of n entries over the same ten years, oldest first."""
    rng = random.Random(seed)
    first = today - timedelta(days=365 * YEARS + YEARS // 4)
    span = (today - first).days * 24 * 60
    stamps = sorted(
        datetime(first.year, first.month, first.day) + timedelta(minutes=rng.randrange(span))
        for _ in range(n)
    )
    with path.open("w", encoding="utf-8") as fh:
        for stamp in stamps:
            title = rng.choice(NOTES)
            body = " ".join(rng.sample(ANSWERS, k=rng.randint(0, 2)))
            fh.write(f"[{stamp:%Y-%m-%d %H:%M}] {title}.{' ' + body if body else ''}\n\n")


def write_jrnl_config(home: Path, journal: Path) -> None:
    """jrnl's config under a private XDG_CONFIG_HOME: plain text, no encryption, no editor."""
    from importlib.metadata import version

    folder = home / ".config" / "jrnl"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "jrnl.yaml").write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\nhighlight: false\n"
        "indent_character: '|'\n"
        f"journals:\n  default:\n    journal: {journal}\n"
        "linewrap: 79\ntagsymbols: '#@'\ntemplate: false\n"
        f"timeformat: '%Y-%m-%d %H:%M'\nversion: '{version('jrnl')}'\n",
        encoding="utf-8",
    )


def remove_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)


@dataclass(frozen=True)
class Data:
    big: int
    small: int
    root: Path

    @property
    def big_db(self) -> Path:
        return self.root / f"ally-{self.big}.db"

    @property
    def big_jsonl(self) -> Path:
        return self.root / f"ally-{self.big}.jsonl"

    @property
    def small_db(self) -> Path:
        return self.root / f"ally-{self.small}.db"

    @property
    def empty_db(self) -> Path:
        return self.root / "ally-empty.db"

    @property
    def big_rhythm_db(self) -> Path:
        return self.root / f"ally-{self.big}-rhythms.db"

    @property
    def empty_rhythm_db(self) -> Path:
        return self.root / "ally-empty-rhythms.db"

    @property
    def small_jrnl(self) -> Path:
        return self.root / f"jrnl-{self.small}.txt"

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def home(self) -> Path:
        return self.root / "home"


def generate(data: Data, today: date, with_jrnl: bool) -> str:
    """Write every dataset; returns a line that says what was written."""
    for folder in (data.root, data.work, data.home):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    began = time.perf_counter()
    big = plant_needle(practice_records(data.big, SEED, today))
    write_ally_db(data.big_db, big)
    write_jsonl(data.big_jsonl, big)
    write_ally_db(data.small_db, practice_records(data.small, SEED + 1, today))
    write_ally_db(data.empty_db, [])
    for source, target in (
        (data.big_db, data.big_rhythm_db),
        (data.empty_db, data.empty_rhythm_db),
    ):
        copy_db(source, target)
        write_rhythms(target, today)
    if with_jrnl:
        write_jrnl_journal(data.small_jrnl, data.small, SEED + 2, today)
        write_jrnl_config(data.home, data.work / "journal.txt")
    reflections = sum(r.kind == "reflection" for r in big)
    return (
        f"datasets in {data.root}: {data.big:,} entries ({reflections:,} reflections, "
        f"{big[0].day} to {big[-1].day}), {data.small:,} entries, an empty database"
        f"{f', a jrnl journal of {data.small:,} entries' if with_jrnl else ''} "
        f"({time.perf_counter() - began:.1f} s)"
    )
