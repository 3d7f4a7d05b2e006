"""Reflection and learning prompts: loading, validation and deterministic choice."""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allycli.core import prompts
from allycli.core.errors import DataFileError
from allycli.core.prompts import Prompt
from allycli.core.taxonomy import ACTION_TYPES, PILLARS
from allycli.store import promptfiles

TODAY = date(2026, 11, 25)


def write(tmp_path: Path, text: str, name: str = "prompts.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def reflection(pid: str, pillar: str) -> Prompt:
    return Prompt(pid, "reflection", pillar, None, f"Reflect on {pid}.")


def learning(pid: str, pillar: str, action_type: str | None = None) -> Prompt:
    return Prompt(pid, "learning", pillar, action_type, f"Learn about {pid}.")


# Three reflection prompts per pillar, plus learning prompts for pillars and action types.
REFLECTIONS = tuple(reflection(f"{p}-{i}", p) for p in PILLARS for i in (1, 2, 3))
LEARNING = (
    learning("l-action", "action"),
    learning("l-listening-1", "listening"),
    learning("l-listening-2", "listening"),
    learning("l-learning", "learning"),
    learning("l-yielding", "yielding"),
    learning("t-voting", "action", "voting"),
    learning("t-training", "learning", "training"),
    learning("t-money-1", "action", "money"),
    learning("t-money-2", "action", "money"),
    learning("t-money-3", "action", "money"),
)
ALL = REFLECTIONS + LEARNING


# --- loading ------------------------------------------------------------------------------

GOOD = """\
prompts:
  - id: yielding-01
    kind: reflection
    pillar: yielding
    text: >
      Where did you step back today
      so someone else could lead?
  - id: voting-learn
    kind: learning
    pillar: action
    action_type: voting
    text: Find out who is registered to vote in your area, and who is not.
  - id: listening-learn
    kind: learning
    pillar: listening
    action_type: null
    text: "Read a first-person account  by a disabled writer."
"""


def test_load_a_good_file(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    assert promptfiles.load([path]) == (
        Prompt(
            "yielding-01",
            "reflection",
            "yielding",
            None,
            "Where did you step back today so someone else could lead?",
        ),
        Prompt(
            "voting-learn",
            "learning",
            "action",
            "voting",
            "Find out who is registered to vote in your area, and who is not.",
        ),
        Prompt(
            "listening-learn",
            "learning",
            "listening",
            None,
            "Read a first-person account by a disabled writer.",
        ),
    )


def test_a_bare_list_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "- {id: a, kind: reflection, pillar: action, text: Hello}\n")
    assert promptfiles.load_file(path) == [Prompt("a", "reflection", "action", None, "Hello")]


@pytest.mark.parametrize("text", ["", "# nothing here\n", "prompts: []\n"])
def test_empty_files_hold_no_prompts(tmp_path: Path, text: str) -> None:
    assert promptfiles.load_file(write(tmp_path, text)) == []


def test_load_of_no_files_is_empty() -> None:
    assert promptfiles.load([]) == ()


def test_a_later_file_replaces_an_earlier_id(tmp_path: Path) -> None:
    builtin = write(
        tmp_path,
        "prompts:\n"
        "  - {id: a, kind: reflection, pillar: action, text: Built in A}\n"
        "  - {id: b, kind: reflection, pillar: listening, text: Built in B}\n",
        "builtin.yaml",
    )
    user = write(
        tmp_path,
        "prompts:\n"
        "  - {id: b, kind: reflection, pillar: yielding, text: Mine B}\n"
        "  - {id: c, kind: learning, pillar: learning, text: Mine C}\n",
        "user.yaml",
    )
    assert promptfiles.load([builtin, user]) == (
        Prompt("a", "reflection", "action", None, "Built in A"),
        Prompt("b", "reflection", "yielding", None, "Mine B"),
        Prompt("c", "learning", "learning", None, "Mine C"),
    )
    assert promptfiles.load([user, builtin]) == (
        Prompt("b", "reflection", "listening", None, "Built in B"),
        Prompt("c", "learning", "learning", None, "Mine C"),
        Prompt("a", "reflection", "action", None, "Built in A"),
    )


ITEM_OK = "  - {id: ok, kind: reflection, pillar: action, text: Fine}\n"


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ("{kind: reflection, pillar: action, text: T}", " needs a non-empty text 'id'."),
        ("{id: x, pillar: action, text: T}", " needs a non-empty text 'kind'."),
        ("{id: x, kind: reflection, text: T}", " needs a non-empty text 'pillar'."),
        ("{id: x, kind: reflection, pillar: action}", " needs a non-empty text 'text'."),
        ("{id: x, kind: reflection, pillar: action, text: '  '}",
         " needs a non-empty text 'text'."),
        ("{id: 7, kind: reflection, pillar: action, text: T}", " needs a non-empty text 'id'."),
        ("{id: x, kind: [a], pillar: action, text: T}", " needs a non-empty text 'kind'."),
        ("{id: two words, kind: reflection, pillar: action, text: T}",
         ": the id must be one word without spaces."),
        ("{id: x, kind: question, pillar: action, text: T}",
         ": kind must be one of reflection, learning."),
        ("{id: x, kind: reflection, pillar: acting, text: T}",
         ": pillar must be one of action, listening, learning, yielding."),
        ("{id: x, kind: reflection, pillar: Action, text: T}",
         ": pillar must be one of action, listening, learning, yielding."),
        ("{id: x, kind: learning, pillar: action, action_type: Sleeping, text: T}",
         ": action_type must be one of protest, advocacy, interrupting, volunteering, voting, "
         "training, children, money, or the name of an action type of your own."),
        ("{id: x, kind: learning, pillar: action, action_type: [voting], text: T}",
         ": action_type must be one of protest, advocacy, interrupting, volunteering, voting, "
         "training, children, money, or the name of an action type of your own."),
        ("{id: x, kind: learning, pillar: action, action_type: 3, text: T}",
         ": action_type must be one of protest, advocacy, interrupting, volunteering, voting, "
         "training, children, money, or the name of an action type of your own."),
        ("{id: x, kind: reflection, pillar: action, text: T, colour: red}",
         " has unknown fields: colour."),
        ("{id: x, kind: reflection, pillar: action, text: T, b: 1, a: 2}",
         " has unknown fields: a, b."),
        ("just a string", " is not a mapping of id, kind, pillar and text."),
        ("[id, kind]", " is not a mapping of id, kind, pillar and text."),
    ],
)  # fmt: skip
def test_a_bad_item_names_the_file_and_the_item_number(
    tmp_path: Path, item: str, problem: str
) -> None:
    path = write(tmp_path, f"prompts:\n{ITEM_OK}  - {item}\n")
    with pytest.raises(DataFileError) as caught:
        promptfiles.load([path])
    assert caught.value.exit_code == 1
    assert caught.value.message == f"The prompts file {path}, item 2{problem}"


def test_a_duplicate_id_within_a_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "prompts:\n"
        + ITEM_OK
        + "  - {id: other, kind: reflection, pillar: action, text: Two}\n"
        + "  - {id: ok, kind: learning, pillar: learning, text: Again}\n",
    )
    with pytest.raises(DataFileError) as caught:
        promptfiles.load_file(path)
    assert caught.value.message == f"The prompts file {path}, item 3: the id 'ok' is used twice."


@pytest.mark.parametrize(
    "text",
    [
        "prompts: {id: a}\n",
        "prompts: hello\n",
        "prompts:\n",
        "other: []\n",
        "hello\n",
        "42\n",
    ],
)
def test_prompts_must_be_a_list(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(DataFileError) as caught:
        promptfiles.load_file(path)
    assert caught.value.message == (
        f"The prompts file {path} must hold a list under the key 'prompts'."
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("prompts:\n  - id: a\n\tkind: x\n", 3),
        ("prompts:\n" + ITEM_OK * 5 + "  - id: b\n\tkind: x\n", 8),
        ('prompts:\n  - id: a\n    kind: reflection\n    text: "unclosed\n', 5),
    ],
)
def test_invalid_yaml_names_the_file_and_the_line(tmp_path: Path, text: str, line: int) -> None:
    path = write(tmp_path, text)
    with pytest.raises(DataFileError) as caught:
        promptfiles.load_file(path)
    assert caught.value.exit_code == 1
    assert caught.value.message == (
        f"The prompts file {path} is not valid YAML at line {line}; fix it or move it aside."
    )


def test_yaml_tags_are_not_executed(tmp_path: Path) -> None:
    path = write(tmp_path, "prompts: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(DataFileError, match=r"is not valid YAML at line 1"):
        promptfiles.load_file(path)


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(DataFileError) as caught:
        promptfiles.load([path])
    assert caught.value.message == f"The prompts file {path} does not exist."


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"prompts:\n  - {id: a, kind: reflection, pillar: action, text: caf\xe9}\n")
    with pytest.raises(DataFileError) as caught:
        promptfiles.load_file(path)
    assert caught.value.message == (
        f"The prompts file {path} cannot be read: it is not UTF-8 text."
    )


def test_a_directory_is_not_a_prompts_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as caught:
        promptfiles.load_file(tmp_path)
    assert caught.value.message.startswith(f"The prompts file {tmp_path} cannot be read: ")


# --- the built-in prompts -------------------------------------------------------------------


@pytest.fixture(scope="module")
def builtin() -> tuple[Prompt, ...]:
    return promptfiles.load([promptfiles.builtin_path()])


def test_builtin_file_exists() -> None:
    assert promptfiles.builtin_path().is_file()


@pytest.mark.parametrize("pillar", PILLARS)
def test_builtin_has_at_least_six_reflections_per_pillar(
    builtin: tuple[Prompt, ...], pillar: str
) -> None:
    count = sum(1 for p in builtin if p.kind == "reflection" and p.pillar == pillar)
    assert count >= 6, f"{pillar} has {count} reflection prompts"


@pytest.mark.parametrize("pillar", PILLARS)
def test_builtin_has_at_least_six_learning_prompts_per_pillar(
    builtin: tuple[Prompt, ...], pillar: str
) -> None:
    count = sum(
        1 for p in builtin if p.kind == "learning" and p.pillar == pillar and p.action_type is None
    )
    assert count >= 6, f"{pillar} has {count} pillar learning prompts"


@pytest.mark.parametrize("action_type", list(ACTION_TYPES))
def test_builtin_has_at_least_six_learning_and_four_reflection_prompts_per_action_type(
    builtin: tuple[Prompt, ...], action_type: str
) -> None:
    of_type = [p for p in builtin if p.action_type == action_type]
    learning_count = sum(1 for p in of_type if p.kind == "learning")
    reflection_count = sum(1 for p in of_type if p.kind == "reflection")
    assert learning_count >= 6, f"{action_type} has {learning_count} learning prompts"
    assert reflection_count >= 4, f"{action_type} has {reflection_count} reflection prompts"


def test_builtin_action_type_prompts_carry_the_types_default_pillar(
    builtin: tuple[Prompt, ...],
) -> None:
    wrong = [p.id for p in builtin if p.action_type and p.pillar != ACTION_TYPES[p.action_type]]
    assert wrong == []


def test_builtin_prompts_have_unique_ids_and_one_line_text(builtin: tuple[Prompt, ...]) -> None:
    assert len({p.id for p in builtin}) == len(builtin)
    assert all(p.text and "\n" not in p.text for p in builtin)


# --- how the built-in prompts read -----------------------------------------------------------

# A sentence ends at . ? or ! (after any closing quote or bracket) followed by a space or the end,
# so "Right To Be (formerly Hollaback!):" stays inside its sentence.
_SENTENCE_END = re.compile(r"[.?!]+['\")\]]*(?=\s|$)")


def sentences(text: str) -> int:
    return len(_SENTENCE_END.findall(text))


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("One.", 1),
        ("Who asked? What did they say? Write it down.", 3),
        ("Learn the five Ds from Right To Be (formerly Hollaback!): distract and delay.", 1),
        ("Say it: 'Okay, thanks for telling me.'", 1),
        ("No end", 0),
    ],
)
def test_sentence_counting(text: str, count: int) -> None:
    assert sentences(text) == count


def test_every_builtin_prompt_is_one_to_three_sentences(builtin: tuple[Prompt, ...]) -> None:
    wrong = {p.id: sentences(p.text) for p in builtin if not 1 <= sentences(p.text) <= 3}
    assert wrong == {}
    assert all(p.text.rstrip()[-1] in ".?!'" for p in builtin)


def test_no_builtin_prompt_assumes_it_is_asked_on_a_day_of_practice(
    builtin: tuple[Prompt, ...],
) -> None:
    """The prompt of the day leans to the pillar logged least recently, so it often reaches
    someone who did nothing of the kind today or lately: a recent time ("today", "this week",
    "lately", "recently", "last time") or a recalled act ("did you") only with an "if not" path
    (test_prompt_set.py goes further: no recent time at all)."""
    assuming = [
        p.id
        for p in builtin
        if re.search(
            r"\b(today|this week|lately|recently|last time|did you)\b", p.text, re.IGNORECASE
        )
        and not re.search(
            r"\bif (not|nothing|none|no|you have not|you took no)\b|\bor how would you\b",
            p.text,
            re.IGNORECASE,
        )
    ]
    assert assuming == []


# Near-duplicates: prompts are short, so they share generic words (group, people, led); a
# copy-edited twin shares most of its words with the other. Two prompts are near-duplicates
# when half or more of the shorter one's content words (stop words dropped, simple suffixes
# stripped) appear in the other. The release-1 file had two such pairs at exactly half: the
# consent twins in OLD_TWINS below, and reflect-action-01 with type-advocacy-03 (both "asked ...
# marginalized group"); the closest pair in the current file shares 47%. Lexical overlap cannot
# see paraphrase, so the themes the issue names as repeated are counted by MOTIFS as well.
_STOP_WORDS = (
    "a an the and or of to in on for with by at from as is are was were be been it its this "
    "that these those you your yours their them they he she we our us i me my what which who "
    "whom whose when where how why do did does done not no if than then so can could would "
    "will might may one any some about into over only own just more most such there here"
)
_STOP = frozenset(_STOP_WORDS.split())
NEAR_DUPLICATE = 0.5


def content_words(text: str) -> frozenset[str]:
    words = set()
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _STOP:
            continue
        for suffix in ("ing", "ed", "es", "s", "ly"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        words.add(word)
    return frozenset(words)


def similarity(a: str, b: str) -> float:
    wa, wb = content_words(a), content_words(b)
    return len(wa & wb) / min(len(wa), len(wb))


def near_duplicates(texts: dict[str, str]) -> list[tuple[str, str, float]]:
    return [
        (a, b, round(similarity(texts[a], texts[b]), 2))
        for a, b in itertools.combinations(sorted(texts), 2)
        if similarity(texts[a], texts[b]) >= NEAR_DUPLICATE
    ]


# Themes the release-1 prompts repeated until they read as one prompt: at most two
# reflection prompts may come back to each. A theme is matched by the words that carried it.
MOTIFS = {
    "what do they need, did they ask": r"\b(they|people)\b[^.?!]{0,30}\b(need|asked for)\b|"
    r"\bwho asked\b|\bwhat would help\b|\brequest\b",
    "write down their exact words": r"\b(exact(ly)?|phrasing|as they put it|own words)\b",
    "hand over your platform": r"\b(hand(ing)? it over|hold instead|recommend (a|someone))|"
    r"\bredirect",
}
MOTIF_LIMIT = 2


def crowded_motifs(candidates: Iterable[Prompt]) -> dict[str, list[str]]:
    pool = list(candidates)
    found = {
        name: [p.id for p in pool if re.search(pattern, p.text, re.IGNORECASE)]
        for name, pattern in MOTIFS.items()
    }
    return {name: ids for name, ids in found.items() if len(ids) > MOTIF_LIMIT}


OLD_TWINS = {
    "reflect-listening-04": "Did you ask before offering help today? What did the answer tell you "
    "about consent as that person understands it?",
    "listening-04": "Before offering help this week, ask whether it is wanted and in what form, "
    "and follow the answer even when it differs from your plan.",
}
OLD_CLUSTER = [
    reflection("reflect-action-01", "action"),
    reflection("reflect-action-02", "action"),
    reflection("reflect-action-04", "action"),
    reflection("reflect-listening-03", "listening"),
]
OLD_CLUSTER_TEXTS = (
    "What did you do today with or for a marginalized group, and how do you know it was wanted? "
    "Who asked for it?",
    "Think of one act of support from this week. What do the people it was for say they need "
    "next, in their own words?",
    "Whose organizing did your time, money or voice reach recently? How do they describe what "
    "would help most right now?",
    "What has someone from a marginalized group told you recently about what they need? What "
    "has happened with it since?",
)


def test_the_checks_catch_the_release_1_twins_and_clusters() -> None:
    assert near_duplicates(OLD_TWINS) == [("listening-04", "reflect-listening-04", 0.5)]
    old = [
        Prompt(p.id, p.kind, p.pillar, None, text)
        for p, text in zip(OLD_CLUSTER, OLD_CLUSTER_TEXTS, strict=True)
    ]
    assert crowded_motifs(old) == {
        "what do they need, did they ask": [p.id for p in old],
    }


def test_no_two_builtin_prompts_are_near_duplicates(builtin: tuple[Prompt, ...]) -> None:
    assert near_duplicates({p.id: p.text for p in builtin}) == []


def test_no_theme_crowds_the_builtin_reflections(builtin: tuple[Prompt, ...]) -> None:
    assert crowded_motifs(p for p in builtin if p.kind == "reflection") == {}


def test_the_platform_theme_is_not_copied_across_categories(builtin: tuple[Prompt, ...]) -> None:
    pattern = MOTIFS["hand over your platform"]
    assert len([p for p in builtin if re.search(pattern, p.text, re.IGNORECASE)]) <= MOTIF_LIMIT


def test_the_bystander_prompt_puts_the_targeted_person_first(builtin: tuple[Prompt, ...]) -> None:
    five_ds = [p for p in builtin if "five Ds" in p.text]
    assert [p.action_type for p in five_ds] == ["interrupting"]
    text = five_ds[0].text
    for words in ("Right To Be", "Hollaback!", "safety and wishes come first", "consent"):
        assert words in text


# --- find and pillar_order ----------------------------------------------------------------


def test_find() -> None:
    assert prompts.find(ALL, "yielding-2") == reflection("yielding-2", "yielding")
    assert prompts.find(ALL, "nope") is None


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        ({}, ["action", "listening", "learning", "yielding"]),
        (
            {
                "action": TODAY - timedelta(1),
                "listening": TODAY - timedelta(2),
                "learning": TODAY - timedelta(3),
            },
            ["yielding", "learning", "listening", "action"],
        ),
        (
            {"action": TODAY - timedelta(1), "yielding": TODAY - timedelta(9)},
            ["listening", "learning", "yielding", "action"],
        ),
        (
            dict.fromkeys(PILLARS, TODAY - timedelta(4)),
            ["action", "listening", "learning", "yielding"],
        ),
    ],
)
def test_pillar_order_least_recent_first(last: dict[str, date], expected: list[str]) -> None:
    assert prompts.pillar_order(last, TODAY) == expected


# --- prompt of the day ------------------------------------------------------------------


def recently_practiced_but(neglected: str, today: date) -> dict[str, date]:
    """Every pillar practiced in the last few days, except `neglected` (never)."""
    others = [p for p in PILLARS if p != neglected]
    return {p: today - timedelta(days=i + 1) for i, p in enumerate(others)}


def test_prompt_of_the_day_is_the_same_all_day() -> None:
    last = recently_practiced_but("yielding", TODAY)
    first = prompts.prompt_of_the_day(ALL, TODAY, last)
    assert all(prompts.prompt_of_the_day(ALL, TODAY, last) == first for _ in range(5))
    assert first.kind == "reflection"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.randoms())
def test_prompt_of_the_day_does_not_depend_on_prompt_order(day: date, rnd: random.Random) -> None:
    shuffled = list(ALL)
    rnd.shuffle(shuffled)
    last = recently_practiced_but("listening", day)
    assert prompts.prompt_of_the_day(shuffled, day, last) == prompts.prompt_of_the_day(
        ALL, day, last
    )


def test_prompt_of_the_day_varies_across_days() -> None:
    last = recently_practiced_but("yielding", TODAY)
    chosen = {prompts.prompt_of_the_day(ALL, TODAY + timedelta(days=i), last).id for i in range(30)}
    assert len(chosen) >= 5


@pytest.mark.parametrize("neglected", PILLARS)
def test_prompt_of_the_day_leans_to_the_least_recent_pillar(neglected: str) -> None:
    start = date(2026, 1, 1)
    counts: Counter[str] = Counter()
    for i in range(400):
        day = start + timedelta(days=i)
        chosen = prompts.prompt_of_the_day(ALL, day, recently_practiced_but(neglected, day))
        assert chosen.kind == "reflection"
        counts[chosen.pillar] += 1
    assert counts[neglected] > 0.4 * 400
    assert counts[neglected] > 2 * max(n for p, n in counts.items() if p != neglected)
    assert set(counts) == set(PILLARS)  # the others still come up sometimes


@pytest.mark.parametrize("action_type", list(ACTION_TYPES))
def test_action_type_reflections_come_up_on_their_pillars_days(
    builtin: tuple[Prompt, ...], action_type: str
) -> None:
    """A logged type's reflection prompts join its default pillar's pool: when that pillar is
    the least recently logged they are asked, and the lean toward the pillar still holds."""
    pillar = ACTION_TYPES[action_type]
    start = date(2026, 1, 1)
    days = 400
    chosen = [
        prompts.prompt_of_the_day(
            builtin,
            start + timedelta(days=i),
            recently_practiced_but(pillar, start + timedelta(i)),
            logged_types={action_type},
        )
        for i in range(days)
    ]
    of_type = {p.id for p in builtin if p.kind == "reflection" and p.action_type == action_type}
    assert of_type <= {p.id for p in chosen}
    assert {p.action_type for p in chosen} == {None, action_type}
    assert sum(p.pillar == pillar for p in chosen) > 0.4 * days


def test_a_never_logged_types_prompts_are_not_asked(builtin: tuple[Prompt, ...]) -> None:
    """Nobody without a child or a vote meets `children` or `voting` prompts unasked."""
    start = date(2026, 1, 1)
    chosen = {
        prompts.prompt_of_the_day(
            builtin, start + timedelta(days=i), recently_practiced_but("action", start)
        ).id
        for i in range(400)
    }
    assert [i for i in chosen if "-type-" in i] == []
    own = {p.id for p in builtin if p.kind == "reflection" and p.action_type is None}
    assert chosen <= own


def test_least_recent_also_counts_old_practice_not_only_never() -> None:
    start = date(2026, 1, 1)
    counts: Counter[str] = Counter()
    for i in range(400):
        day = start + timedelta(days=i)
        last = {
            "action": day - timedelta(days=1),
            "listening": day - timedelta(days=2),
            "learning": day - timedelta(days=3),
            "yielding": day - timedelta(days=40),
        }
        counts[prompts.prompt_of_the_day(ALL, day, last).pillar] += 1
    assert counts["yielding"] > 0.4 * 400


def test_prompt_of_the_day_only_from_pillars_that_have_reflections() -> None:
    pool = (reflection("listening-1", "listening"), *LEARNING)
    for i in range(50):
        day = TODAY + timedelta(days=i)
        assert prompts.prompt_of_the_day(pool, day, {}) == pool[0]


def test_the_day_takes_the_pools_entry_at_the_days_number() -> None:
    """One pillar: its prompts in id order, the day's number modulo the pool's size."""
    pool = [reflection(f"y-{i}", "yielding") for i in (3, 1, 2)]
    for i in range(60):
        day = TODAY + timedelta(days=i)
        expected = ["y-1", "y-2", "y-3"][day.toordinal() % 3]
        assert prompts.prompt_of_the_day(pool, day, {}).id == expected


def test_the_pool_holds_the_pillars_prompts_and_the_logged_types() -> None:
    pool = [
        reflection("a-own", "action"),
        Prompt("a-vote", "reflection", "action", "voting", "Vote?"),
        Prompt("a-kids", "reflection", "action", "children", "Kids?"),
        Prompt("a-money", "reflection", "action", "money", "Money?"),
    ]
    seen = {
        prompts.prompt_of_the_day(pool, TODAY + timedelta(days=i), {}, {"money", "voting"}).id
        for i in range(30)
    }
    assert seen == {"a-own", "a-vote", "a-money"}


def test_only_type_prompts_of_unlogged_types_still_give_a_prompt() -> None:
    pool = [Prompt("kids", "reflection", "action", "children", "Kids?"), *LEARNING]
    assert prompts.prompt_of_the_day(pool, TODAY, {}).id == "kids"


def test_answers_do_not_change_the_prompt_of_the_day() -> None:
    """The rule has no input for answers: a prompt answered yesterday comes back only when
    its turn does (three prompts: every third day)."""
    pool = [reflection(f"y-{i}", "yielding") for i in range(1, 4)]
    ids = [prompts.prompt_of_the_day(pool, TODAY + timedelta(days=i), {}).id for i in range(9)]
    assert ids[:3] == ids[3:6] == ids[6:9]
    assert sorted(ids[:3]) == ["y-1", "y-2", "y-3"]


def test_without_reflection_prompts_there_is_no_prompt_of_the_day() -> None:
    with pytest.raises(DataFileError) as caught:
        prompts.prompt_of_the_day(LEARNING, TODAY, {})
    assert caught.value.message == "There are no reflection prompts; check your prompts files."


# --- another ----------------------------------------------------------------------------------


@given(st.sampled_from([p.id for p in REFLECTIONS]), st.integers() | st.none())
def test_another_never_returns_the_excluded_prompt(exclude: str, seed: int | None) -> None:
    chosen = prompts.another(ALL, exclude=exclude, seed=seed)
    assert chosen.id != exclude
    assert chosen.kind == "reflection"


def test_another_is_deterministic_for_a_seed_and_varies_across_seeds() -> None:
    first = prompts.another(ALL, exclude="action-1", seed=7)
    assert prompts.another(ALL, exclude="action-1", seed=7) == first
    assert len({prompts.another(ALL, exclude="action-1", seed=s).id for s in range(40)}) >= 5


def test_another_with_two_prompts_gives_the_other() -> None:
    pool = [reflection("a", "action"), reflection("b", "yielding"), *LEARNING]
    assert {prompts.another(pool, exclude="a", seed=s).id for s in range(20)} == {"b"}


def test_another_with_nothing_else_to_offer() -> None:
    with pytest.raises(DataFileError) as caught:
        prompts.another([reflection("only", "action"), *LEARNING], exclude="only")
    assert caught.value.message == "There is no other reflection prompt to offer."


# --- learning prompts for gaps --------------------------------------------------------------


def test_learning_for_picks_pillar_prompts_for_pillars_and_type_prompts_for_types() -> None:
    gaps = [("pillar", "yielding"), ("action_type", "voting"), ("pillar", "learning")]
    assert prompts.learning_for(ALL, gaps, seed=1) == (
        learning("l-yielding", "yielding"),
        learning("t-voting", "action", "voting"),
        learning("l-learning", "learning"),  # not the learning action type's prompt
    )


def test_learning_for_the_learning_action_type() -> None:
    assert prompts.learning_for(ALL, [("action_type", "training")], seed=1) == (
        learning("t-training", "learning", "training"),
    )


def test_learning_for_skips_gaps_without_prompts_and_stops_at_the_limit() -> None:
    gaps = [
        ("action_type", "protest"),  # no prompt
        ("pillar", "action"),
        ("action_type", "children"),  # no prompt
        ("action_type", "voting"),
        ("pillar", "yielding"),
        ("pillar", "learning"),
    ]
    assert prompts.learning_for(ALL, gaps, seed=3) == (
        learning("l-action", "action"),
        learning("t-voting", "action", "voting"),
        learning("l-yielding", "yielding"),
    )
    assert prompts.learning_for(ALL, gaps, seed=3, limit=2) == (
        learning("l-action", "action"),
        learning("t-voting", "action", "voting"),
    )
    assert prompts.learning_for(ALL, gaps, seed=3, limit=10) == (
        learning("l-action", "action"),
        learning("t-voting", "action", "voting"),
        learning("l-yielding", "yielding"),
        learning("l-learning", "learning"),
    )


def test_learning_for_never_uses_reflection_prompts() -> None:
    assert prompts.learning_for(REFLECTIONS, [("pillar", p) for p in PILLARS], seed=1) == ()


def test_learning_for_no_gaps() -> None:
    assert prompts.learning_for(ALL, [], seed=1) == ()


@given(st.integers(), st.randoms())
def test_learning_for_is_deterministic_for_a_seed(seed: int, rnd: random.Random) -> None:
    gaps = [("action_type", "money"), ("pillar", "listening"), ("action_type", "voting")]
    shuffled = list(ALL)
    rnd.shuffle(shuffled)
    result = prompts.learning_for(ALL, gaps, seed=seed)
    assert prompts.learning_for(shuffled, gaps, seed=seed) == result
    assert len(result) == 3
    assert result[0].action_type == "money"
    assert (result[1].pillar, result[1].action_type) == ("listening", None)
    assert result[2].id == "t-voting"


def test_learning_for_varies_with_the_seed() -> None:
    chosen = {
        prompts.learning_for(ALL, [("action_type", "money")], seed=s)[0].id for s in range(40)
    }
    assert chosen == {"t-money-1", "t-money-2", "t-money-3"}
