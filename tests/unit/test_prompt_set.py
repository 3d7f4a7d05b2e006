"""The built-in prompts as a set: what a facilitator would check before handing them out.

Counts per pillar and action type, no prompt that assumes a recent act, one spelling, the
source text's words for the people the practice supports, the safety and consent fixes, the
themes the set must hold, and ids that stay stable (answers link to them).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from allycli.core.prompts import OPPRESSIONS, THEMES, Prompt
from allycli.core.taxonomy import ACTION_TYPES, PILLARS
from allycli.store import promptfiles


@pytest.fixture(scope="module")
def builtin() -> tuple[Prompt, ...]:
    return promptfiles.load([promptfiles.builtin_path()])


@pytest.fixture(scope="module")
def by_id(builtin: tuple[Prompt, ...]) -> dict[str, Prompt]:
    return {p.id: p for p in builtin}


def own_reflections(builtin: tuple[Prompt, ...], pillar: str) -> list[Prompt]:
    return [
        p for p in builtin if p.kind == "reflection" and p.pillar == pillar and not p.action_type
    ]


def pillar_learning(builtin: tuple[Prompt, ...], pillar: str) -> list[Prompt]:
    return [p for p in builtin if p.kind == "learning" and p.pillar == pillar and not p.action_type]


# --- counts -------------------------------------------------------------------------------
# The prompt of the day takes the pool's entry at the day's number modulo its size, so a pool
# of 14 or more never repeats a prompt within 14 days; a pillar's own prompts alone make 16.


@pytest.mark.parametrize("pillar", PILLARS)
def test_every_pillar_has_sixteen_reflection_prompts_of_its_own(
    builtin: tuple[Prompt, ...], pillar: str
) -> None:
    assert len(own_reflections(builtin, pillar)) >= 16


@pytest.mark.parametrize("action_type", list(ACTION_TYPES))
def test_every_action_type_has_four_reflection_and_six_learning_prompts(
    builtin: tuple[Prompt, ...], action_type: str
) -> None:
    of_type = [p for p in builtin if p.action_type == action_type]
    assert sum(p.kind == "reflection" for p in of_type) >= 4
    assert sum(p.kind == "learning" for p in of_type) >= 6


def test_listening_has_ten_learning_prompts(builtin: tuple[Prompt, ...]) -> None:
    assert len(pillar_learning(builtin, "listening")) >= 10


def test_the_counts_of_this_revision(builtin: tuple[Prompt, ...]) -> None:
    """The exact shape of the set, so that a prompt lost in an edit shows here."""
    own = {p: len(own_reflections(builtin, p)) for p in PILLARS}
    learn = {p: len(pillar_learning(builtin, p)) for p in PILLARS}
    typed = {
        t: (
            sum(p.kind == "reflection" and p.action_type == t for p in builtin),
            sum(p.kind == "learning" and p.action_type == t for p in builtin),
        )
        for t in ACTION_TYPES
    }
    assert own == {"action": 23, "listening": 26, "learning": 26, "yielding": 21}
    assert learn == {"action": 10, "listening": 15, "learning": 23, "yielding": 12}
    assert typed == {
        "protest": (6, 7),
        "advocacy": (7, 9),
        "interrupting": (9, 8),
        "volunteering": (6, 6),
        "voting": (8, 8),
        "training": (5, 9),
        "children": (8, 10),
        "money": (7, 9),
    }
    assert len(builtin) == 278


def test_the_counts_per_theme_of_this_revision(builtin: tuple[Prompt, ...]) -> None:
    """(reflection, learning) prompts carrying each theme."""
    counts = {
        t: (
            sum(p.kind == "reflection" and t in p.themes for p in builtin),
            sum(p.kind == "learning" and t in p.themes for p in builtin),
        )
        for t in THEMES
    }
    assert counts == {
        "racism": (6, 3), "sexism": (6, 3), "misogyny": (6, 3), "homophobia": (5, 3),
        "transphobia": (6, 5), "xenophobia": (5, 3), "ableism": (5, 3), "ageism": (5, 3),
        "class": (7, 5), "colonialism": (4, 5), "antisemitism": (4, 4), "islamophobia": (4, 4),
        "intersectionality": (6, 3), "accountability": (15, 10), "consent": (11, 11),
        "safety": (17, 11), "access": (5, 9), "systems": (18, 20), "rest": (4, 1),
    }  # fmt: skip


# --- no recent act assumed ------------------------------------------------------------------
# The prompt of the day leans to the pillar logged least recently: it reaches exactly the people
# who have done nothing of the kind lately. No built-in prompt names a recent time; one that
# recalls an act ("did you", "when you last") offers a way in for someone with none to recall.

RECENT = re.compile(
    r"\b(this week|today|tonight|yesterday|this morning|lately|recently|last time|last week|"
    r"last month|the other day|past few days|just now)\b",
    re.IGNORECASE,
)
RECALL = re.compile(r"\b(did you|when you last|think of the last|have you ever)\b", re.IGNORECASE)
WAY_IN = re.compile(
    r"\bif (not|nothing|none|no one|you (have not|have never|took no|do not|cannot))\b|"
    r"\bor how would you\b",
    re.IGNORECASE,
)


def assumes_a_recent_act(text: str) -> bool:
    return bool(RECENT.search(text)) or bool(RECALL.search(text) and not WAY_IN.search(text))


@pytest.mark.parametrize(
    ("text", "assumes"),
    [
        # the release-2 texts the issue named
        ("Whose plan or lead did you follow this week? Where did you make room for others to set "
         "the agenda?", True),
        ("When you acted recently, who carried the risk and who received the credit?", True),
        ("What did you hear recently that unsettled something you believed?", True),
        ("What did you learn lately? If nothing comes to mind, what would you learn?", True),
        ("The last time you offered help, did you ask first whether it was wanted?", True),
        ("Did you pass on a photo or someone else's story?", True),
        ("Who led the last training or talk you learned from?", False),  # no act claimed
        ("What did you do, and what did they want? If nothing comes to mind, where might it "
         "happen?", False),
        ("When you last voted, whose interests did you weigh? If you took no part, why?", False),
        ("How did you respond, or how would you?", False),
        ("Which assumption of yours could you examine?", False),
    ],
)  # fmt: skip
def test_the_recent_act_check(text: str, assumes: bool) -> None:
    assert assumes_a_recent_act(text) is assumes


def test_no_builtin_prompt_assumes_a_recent_act(builtin: tuple[Prompt, ...]) -> None:
    assert [p.id for p in builtin if assumes_a_recent_act(p.text)] == []


# --- one spelling, the source's words ------------------------------------------------------

BRITISH = re.compile(
    r"\b(practis\w*|centr(e|es|ed|ing)|labour\w*|colour\w*|behaviour\w*|honour\w*|"
    r"neighbour\w*|favour\w*|organis\w*|recognis\w*|realis\w*|apologis\w*|criticis(e|es|ed|ing)|"
    r"prioritis\w*|mobilis\w*|marginalis\w*|romanticis\w*|patronis\w*|travell\w*|"
    r"programme\w*|defence|licence|judgement|whilst|amongst|learnt|analys(e|ed|ing)|"
    r"cheque\w*|catalogue\w*|labell\w*|cancell\w*|counsell\w*|enrol|enrols|towards|"
    # words, not only spellings: American English says advertisement, bulletin board, caregiver
    r"adverts?|noticeboards?|carers?|fortnights?|pavements?|queu(e|es|ed|ing)|"
    r"doctor's(?! office))\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    ("text", "british"),
    [
        ("practise a plain reply", True),
        ("whose feelings they centre", True),
        ("a labour struggle", True),
        ("being patronised", True),
        ("travelling further", True),
        ("practice a plain reply; whose feelings they center; a labor struggle", False),
        ("the town center of gravity", False),
        ("an advert on the noticeboard", True),
        ("a carer at the doctor's", True),
        ("an advertisement on the bulletin board; a caregiver at the doctor's office", False),
        ("criticism of a policy; criticize it", False),
    ],
)
def test_the_spelling_check(text: str, british: bool) -> None:
    assert bool(BRITISH.search(text)) is british


def test_builtin_prompts_use_american_spelling(builtin: tuple[Prompt, ...]) -> None:
    found = {p.id: BRITISH.findall(p.text) for p in builtin if BRITISH.search(p.text)}
    assert found == {}


def test_the_file_itself_uses_american_spelling() -> None:
    text = promptfiles.builtin_path().read_text(encoding="utf-8")
    assert BRITISH.findall(text) == []


# The source text names the people the practice supports "marginalized" and "equity-seeking";
# a third word ("affected") blurred who is meant. "Ally" is what a person practices, never what
# a prompt calls them.
OTHER_NAMES = re.compile(
    r"\b(affected|underprivileged|less fortunate|minorities|the needy|disadvantaged|"
    r"vulnerable groups?)\b",
    re.IGNORECASE,
)
IDENTITY_OR_SHAME = re.compile(r"\b(ally|allies|good person|failed|failure|shame)\b", re.I)


def test_builtin_prompts_name_people_as_the_source_does(builtin: tuple[Prompt, ...]) -> None:
    assert {p.id: OTHER_NAMES.findall(p.text) for p in builtin if OTHER_NAMES.search(p.text)} == {}
    assert sum("marginalized" in p.text for p in builtin) >= 15


# A word a newcomer may not know is explained in the prompt that uses it.
JARGON = {
    "positionality": r"Positionality means",
    "equity-seeking": r"equity-seeking groups? \(",
    "calling in": r"calling in \(",
    "dog whistle": r"what a dog whistle is",
    "femicide": r"what femicide means",
}


@pytest.mark.parametrize(("word", "explained"), JARGON.items())
def test_jargon_is_explained_where_a_prompt_uses_it(
    builtin: tuple[Prompt, ...], word: str, explained: str
) -> None:
    users = [p for p in builtin if word in p.text.lower()]
    assert users, word
    assert [p.id for p in users if not re.search(explained, p.text)] == []


def test_no_builtin_prompt_calls_anyone_an_ally_or_shames(builtin: tuple[Prompt, ...]) -> None:
    """'ally' appears only in quotes, as the label one prompt asks about."""
    shown = [p.id for p in builtin if IDENTITY_OR_SHAME.search(p.text.replace("'ally'", ""))]
    assert shown == []
    assert [p.id for p in builtin if "'ally'" in p.text] == ["reflect-learning-27"]


# --- learning prompts grow understanding -----------------------------------------------------
# A learning prompt asks the reader to learn or try something that grows understanding (the
# source's "reveal and challenge our assumptions", "build our understanding of the systems and
# structures"), so each one names what there is to learn, notice or find out.

LEARN = re.compile(
    r"\b(learn\w*|read\w*|reread|find out|look up|look for|look through|look at|notice|note|"
    r"trace|compare|listen|watch|check|test|ask\w*|study|list|practice|plan|prepare|try|"
    r"talk (together )?afterward)\b",
    re.IGNORECASE,
)
STRUCTURE = re.compile(
    r"\b(laws?|polic(y|ies)|budgets?|rules?|institutions?|histor(y|ies)|council|school board|"
    r"elections?|district|governed|funds?|funding|invest\w*|power|employer|landlord|"
    r"hearing|demands|agenda|decisions?|campaigns?)\b",
    re.IGNORECASE,
)


def test_every_learning_prompt_names_something_to_learn_or_try(
    builtin: tuple[Prompt, ...],
) -> None:
    assert [p.id for p in builtin if p.kind == "learning" and not LEARN.search(p.text)] == []


@pytest.mark.parametrize("pillar", PILLARS)
def test_every_pillar_has_learning_prompts_about_systems_and_structures(
    builtin: tuple[Prompt, ...], pillar: str
) -> None:
    structural = [p.id for p in pillar_learning(builtin, pillar) if STRUCTURE.search(p.text)]
    assert len(structural) >= 3, structural


def test_learning_prompts_the_issue_called_chores_now_teach(by_id: dict[str, Prompt]) -> None:
    assert not by_id["type-voting-04"].text.startswith("Give one hour")
    assert "learn" in by_id["type-voting-04"].text
    assert "charity" in by_id["type-volunteering-03"].text


# --- the themes the set holds, under the pillar where the source places them ----------------

THEMES_BY_PILLAR = [
    # (theme, pillar, kind or None for either, pattern, at least)
    ("accountability", "listening", "reflection",
     r"\b(answer to|tell you when you get|hold you to|accountab\w*|to account\b)", 2),
    ("accountability", "listening", "learning", r"\b(accountab\w*|mistakes)", 2),
    ("intersectionality", "learning", None, r"\bintersection\w*", 2),
    ("class", "learning", None, r"\bclass(ism)?\b|lowest-paid", 2),
    ("antisemitism", "learning", None, r"\bantisemit\w*", 2),
    ("Islamophobia", "learning", None, r"\bIslamophob\w*|\bMuslims?\b", 2),
    ("colonialism", "learning", None, r"\bcolonial\w*", 2),
    ("anti-Black racism", "learning", None, r"\banti-Black\b|\bredlining\b", 2),
    # two: the pace that lasts and whose rest makes whose work possible were one question
    ("rest for everyone", "action", "reflection", r"\brest\b", 2),
    ("rest for everyone", "action", "learning", r"\brest\b", 1),
    ("following through after a repair", "yielding", None,
     r"\bfollow(ing)? through\b|\bchanged behavior\b", 2),
    ("what stepping back made possible", "yielding", None,
     r"\bbecame possible\b|\bwould otherwise have missed\b|\bwhat others did with the room\b|"
     r"\bwhat do others bring\b", 3),
]  # fmt: skip


@pytest.mark.parametrize(("theme", "pillar", "kind", "pattern", "least"), THEMES_BY_PILLAR)
def test_the_set_holds_each_theme_under_its_pillar(
    builtin: tuple[Prompt, ...],
    theme: str,
    pillar: str,
    kind: str | None,
    pattern: str,
    least: int,
) -> None:
    found = [
        p.id
        for p in builtin
        if p.pillar == pillar
        and not p.action_type
        and (kind is None or p.kind == kind)
        and re.search(pattern, p.text, re.IGNORECASE)
    ]
    assert len(found) >= least, (theme, found)


def test_rest_is_not_only_for_people_who_face_the_harm(builtin: tuple[Prompt, ...]) -> None:
    rest = [p for p in builtin if re.search(r"\brest\b", p.text)]
    assert any("live with yourself" not in p.text and "face" not in p.text for p in rest)


def test_yielding_reflections_do_not_all_assume_a_fault(builtin: tuple[Prompt, ...]) -> None:
    fault = re.compile(
        r"\b(wrong|patronizing|romanticizing|take up space|harm|for their own good|"
        r"turn a group's work into your project|flatten)\b",
        re.IGNORECASE,
    )
    reflections = own_reflections(builtin, "yielding")
    assert sum(not fault.search(p.text) for p in reflections) >= len(reflections) // 2


# --- repeated themes stay few ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("theme", "pattern", "most"),
    [
        ("led by the people it serves", r"\bled by the people\b", 1),
        ("consent to share photos or stories",
         r"\b(photos?|photograph\w*|screenshots?)\b", 2),
        ("the form of oppression you know least", r"\b(know|notice|thought about) least\b", 1),
        ("who cannot vote", r"\bcannot vote\b|\bwho near you cannot\b", 1),
        ("unthanked work", r"\b(unseen|unglamorous|nobody thanks)\b", 1),
    ],
)  # fmt: skip
def test_a_theme_the_issue_found_repeated_now_stands_once(
    builtin: tuple[Prompt, ...], theme: str, pattern: str, most: int
) -> None:
    found = [p.id for p in builtin if re.search(pattern, p.text, re.IGNORECASE)]
    assert 1 <= len(found) <= most, (theme, found)


# --- safety and consent --------------------------------------------------------------------


def test_the_five_ds_prompt_records_only_when_someone_else_is_helping(
    by_id: dict[str, Prompt],
) -> None:
    text = by_id["type-interrupting-05"].text
    for words in ("Right To Be", "distract, delegate, document, delay and direct",
                  "safety and wishes come first", "someone else is already helping",
                  "without their consent"):  # fmt: skip
        assert words in text


def test_a_line_to_say_comes_with_safety_and_the_targeted_persons_wishes(
    by_id: dict[str, Prompt],
) -> None:
    text = by_id["type-interrupting-01"].text
    assert "when it is safe" in text and "the person targeted would want it" in text
    assert "check in with them afterward" in text


def test_no_unpaid_or_unasked_speaker_is_recommended(by_id: dict[str, Prompt]) -> None:
    text = by_id["yielding-04"].text
    assert "paid if possible" not in text and "recommend" not in text
    assert "will be paid" in text and "once that person has agreed" in text


def test_nobody_is_pushed_into_a_role(by_id: dict[str, Prompt]) -> None:
    assert "microphone" not in by_id["reflect-yielding-03"].text
    assert "if they want to be" in by_id["reflect-yielding-03"].text
    assert "handing it over" not in by_id["reflect-yielding-08"].text
    assert "work they did not ask for" in by_id["reflect-yielding-08"].text


def test_words_kept_in_the_journal_leave_out_who_said_them(by_id: dict[str, Prompt]) -> None:
    text = by_id["reflect-listening-01"].text
    assert "phrasing" not in text
    assert "leave out names and details that could identify anyone" in text


def test_a_child_is_taken_to_what_a_community_opened_to_the_public(
    by_id: dict[str, Prompt],
) -> None:
    text = by_id["type-children-02"].text
    assert "celebration" not in text and "opened to the public" in text
    assert "whose protagonist" not in by_id["type-children-01"].text


# --- ids stay stable ---------------------------------------------------------------------------
# Answers link to prompt ids, so an id that stays keeps its meaning and a removed id is never
# given to another prompt. The file lists every removed id in a comment, with what became of it.


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


PREVIOUS_IDS = words("""
reflect-action-01 reflect-action-05 reflect-action-06 reflect-action-07 reflect-action-09
reflect-action-11 reflect-action-12 reflect-action-13 reflect-action-14 reflect-action-15
reflect-action-16 reflect-action-17 reflect-action-18 reflect-action-19 reflect-action-20
reflect-action-21 reflect-action-22 reflect-listening-01 reflect-listening-02 reflect-listening-03
reflect-listening-04 reflect-listening-05 reflect-listening-06 reflect-listening-07
reflect-listening-08 reflect-listening-11 reflect-listening-12 reflect-listening-13
reflect-listening-14 reflect-listening-15 reflect-listening-16 reflect-listening-17
reflect-listening-18 reflect-listening-19 reflect-listening-20 reflect-learning-01
reflect-learning-02 reflect-learning-03 reflect-learning-04 reflect-learning-05 reflect-learning-06
reflect-learning-07 reflect-learning-08 reflect-learning-09 reflect-learning-10 reflect-learning-11
reflect-learning-12 reflect-learning-13 reflect-learning-14 reflect-learning-15 reflect-learning-16
reflect-learning-17 reflect-learning-18 reflect-learning-19 reflect-yielding-01 reflect-yielding-02
reflect-yielding-03 reflect-yielding-04 reflect-yielding-05 reflect-yielding-06 reflect-yielding-07
reflect-yielding-08 reflect-yielding-09 reflect-yielding-10 reflect-yielding-11 reflect-yielding-12
reflect-yielding-13 reflect-yielding-14 reflect-yielding-15 reflect-yielding-16 reflect-yielding-17
reflect-yielding-18 reflect-type-protest-01 reflect-type-protest-02 reflect-type-protest-04
reflect-type-protest-05 reflect-type-protest-06 reflect-type-advocacy-01 reflect-type-advocacy-02
reflect-type-advocacy-03 reflect-type-advocacy-04 reflect-type-advocacy-05
reflect-type-interrupting-01 reflect-type-interrupting-02 reflect-type-interrupting-03
reflect-type-interrupting-04 reflect-type-interrupting-05 reflect-type-volunteering-01
reflect-type-volunteering-02 reflect-type-volunteering-03 reflect-type-volunteering-04
reflect-type-volunteering-05 reflect-type-voting-01 reflect-type-voting-02 reflect-type-voting-03
reflect-type-voting-04 reflect-type-voting-05 reflect-type-training-01 reflect-type-training-02
reflect-type-training-03 reflect-type-training-04 reflect-type-training-05 reflect-type-children-01
reflect-type-children-02 reflect-type-children-03 reflect-type-children-04 reflect-type-children-05
reflect-type-money-01 reflect-type-money-02 reflect-type-money-03 reflect-type-money-04
reflect-type-money-05 action-01 action-02 action-03 action-06 action-07 action-08 action-09
action-10 action-11 listening-01 listening-02 listening-05 listening-06 listening-07 listening-08
listening-09 listening-10 listening-11 listening-12 listening-13 listening-14 listening-15
learning-01 learning-02 learning-03 learning-04 learning-05 learning-06 learning-07 learning-08
learning-09 learning-10 learning-11 learning-12 learning-13 learning-14 learning-15 yielding-01
yielding-03 yielding-04 yielding-05 yielding-06 yielding-07 yielding-08 yielding-09 yielding-10
yielding-11 yielding-12 type-protest-01 type-protest-02 type-protest-03 type-protest-05
type-protest-06 type-protest-07 type-protest-08 type-advocacy-01 type-advocacy-02 type-advocacy-03
type-advocacy-05 type-advocacy-06 type-advocacy-07 type-advocacy-08 type-interrupting-01
type-interrupting-04 type-interrupting-05 type-interrupting-06 type-interrupting-07
type-interrupting-08 type-interrupting-09 type-volunteering-02 type-volunteering-03
type-volunteering-05 type-volunteering-06 type-volunteering-07 type-volunteering-08 type-voting-02
type-voting-03 type-voting-04 type-voting-05 type-voting-06 type-voting-08 type-voting-09
type-training-01 type-training-02 type-training-03 type-training-04 type-training-05
type-training-06 type-training-07 type-children-01 type-children-02 type-children-03
type-children-04 type-children-05 type-children-06 type-children-07 type-money-01 type-money-03
type-money-05 type-money-06 type-money-07 type-money-08 type-money-09 type-money-10
""")  # the 216 ids before this revision

# Ids that earlier revisions removed (found in the file's history).
EARLIER_REMOVED = words("""
reflect-action-02 reflect-action-04 reflect-action-08 action-04 listening-03 listening-04
type-advocacy-04 type-interrupting-02 type-interrupting-03 type-volunteering-01 type-voting-01
type-money-02 type-money-04 type-learning-01 type-learning-02 type-learning-03 type-learning-04
reflect-action-03 reflect-action-10 reflect-listening-09 reflect-listening-10
reflect-type-protest-03 action-05 yielding-02 type-protest-04 type-volunteering-04 type-voting-07
""")

# This revision's removals: near-duplicates merged, and the prompt each was merged into.
REMOVED_NOW = {
    "reflect-action-12": "reflect-action-13",
    "reflect-learning-18": "reflect-learning-09",
    "reflect-yielding-11": "reflect-yielding-07",
    "reflect-yielding-14": "reflect-yielding-04",
    "reflect-listening-07": "reflect-listening-02",
    "reflect-action-01": "reflect-listening-04",
    "reflect-listening-14": "reflect-listening-19",
    "reflect-yielding-02": "reflect-yielding-07",
    "reflect-listening-11": "reflect-listening-12",
}

_REMOVED_LINE = re.compile(r"^# removed: (\S+) \((.+)\)$", re.MULTILINE)


def removed_in_file(path: Path) -> dict[str, str]:
    found = _REMOVED_LINE.findall(path.read_text(encoding="utf-8"))
    ids = [i for i, _ in found]
    assert len(ids) == len(set(ids)), "an id is listed as removed twice"
    return dict(found)


def test_the_previous_revision_held_216_ids() -> None:
    assert len(PREVIOUS_IDS) == len(set(PREVIOUS_IDS)) == 216


def test_every_previous_id_stays_or_is_listed_as_removed(by_id: dict[str, Prompt]) -> None:
    removed = removed_in_file(promptfiles.builtin_path())
    assert [i for i in PREVIOUS_IDS if i not in by_id and i not in removed] == []
    assert sorted(i for i in PREVIOUS_IDS if i not in by_id) == sorted(REMOVED_NOW)


def test_no_removed_id_is_used_again(by_id: dict[str, Prompt]) -> None:
    removed = removed_in_file(promptfiles.builtin_path())
    assert set(EARLIER_REMOVED) | set(REMOVED_NOW) == set(removed)
    assert sorted(set(removed) & set(by_id)) == []


def test_each_removal_says_where_its_question_went(by_id: dict[str, Prompt]) -> None:
    removed = removed_in_file(promptfiles.builtin_path())
    for old, new in REMOVED_NOW.items():
        assert new in by_id
        assert removed[old] == f"merged into {new}"


def where_it_went(removed: dict[str, str], pid: str) -> str | None:
    """The prompt a removed id was merged or moved into, as the file's header says."""
    m = re.search(r"(?:merged into|moved to the learning pillar as) (\S+)$", removed.get(pid, ""))
    return m.group(1) if m else None


def test_the_file_names_its_sources() -> None:
    head = promptfiles.builtin_path().read_text(encoding="utf-8").split("\nprompts:")[0]
    for source in (
        "an ally is not who you are, it is what you practice",
        "Right To Be (formerly Hollaback!), the five Ds of bystander intervention",
        "Kimberlé Crenshaw",
        "Loretta J. Ross",
        "Mia Mingus",
        "Dean Spade",
        "Nothing About Us Without Us",
        "Kate Manne",
        "RAINN",
        "2015 U.S. Transgender Survey",
        "The Trevor Project",
        "Sins Invalid",
        "Global report on ageism",
        "Drop the I-Word",
        "Declaration on the Rights of Indigenous Peoples",
        "Eric K. Ward",
        "Runnymede Trust",
        "Mia McKenzie",
    ):
        assert source in " ".join(head.replace("#", " ").split()), source


# Every prompt the issue named, and what became of it: kept (rewritten where it needed it) or
# removed into another prompt.
NAMED_IN_THE_ISSUE = words("""
reflect-action-01 reflect-action-05 reflect-action-06 reflect-listening-01 reflect-listening-06
reflect-listening-07 reflect-listening-08 reflect-learning-02 reflect-learning-06
reflect-learning-08 reflect-yielding-01 reflect-yielding-04 reflect-yielding-06
reflect-type-training-02 reflect-type-training-03 reflect-type-money-02 yielding-04
reflect-yielding-03 reflect-yielding-08 type-interrupting-01 type-interrupting-05
type-children-02 reflect-action-09 learning-07 action-05 reflect-listening-02 listening-07
type-volunteering-03 reflect-listening-09 reflect-listening-10 reflect-action-03
reflect-type-interrupting-01 yielding-02 type-advocacy-01 reflect-type-interrupting-03
type-interrupting-07 reflect-action-10 type-interrupting-06 reflect-type-volunteering-02
type-volunteering-04 type-protest-04 reflect-type-voting-01 type-voting-07 reflect-action-11
type-children-01 type-voting-04
""")


@pytest.mark.parametrize("pid", NAMED_IN_THE_ISSUE)
def test_every_prompt_the_issue_named_is_kept_or_removed_into_another(
    by_id: dict[str, Prompt], pid: str
) -> None:
    removed = removed_in_file(promptfiles.builtin_path())
    assert (pid in by_id) != (pid in removed)
    if pid in removed:
        target = where_it_went(removed, pid)
        while target is not None and target not in by_id:  # merged twice
            target = where_it_went(removed, target)
        assert target in by_id


# --- themes ---------------------------------------------------------------------------------
# Every built-in prompt says its themes, from the fixed set. Each oppression the source names has
# at least five reflection and three learning prompts that carry its theme, and each of those
# names the oppression, or the people it targets, in so many words.

NAMES = {
    "racism": r"racis|people of color|\bBlack\b|Indigenous|\bwhite\b|skin color|\brace\b|"
              r"slavery|redlining",
    "sexism": r"sexis|\bwom[ae]n\b|\bgirls?\b|\bgender\b|\bsex\b",
    "misogyny": r"misogyn|\bwom[ae]n\b|femicide|sexual assault|abuse",
    "homophobia": r"homophob|\bgay\b|lesbian|bisexual|LGBTQ|same-sex|straight|two moms",
    "transphobia": r"transphob|\btrans\b|pronouns|nonbinary|gender-affirming",
    "xenophobia": r"xenophob|migrant|immigra|refugee|asylum|newcomers?|accent|new country|"
                  r"came from elsewhere",
    "ableism": r"ableis|disab|wheelchair|\bDeaf\b|chronic illness",
    "ageism": r"ageis|\bage\b|elders?|older|young|boomer",
}  # fmt: skip


def test_every_prompt_in_the_file_says_its_themes() -> None:
    text = promptfiles.builtin_path().read_text(encoding="utf-8")
    prompts = re.findall(r"^  - id: ", text, re.MULTILINE)
    themes = re.findall(r"^    themes: \[[a-z, ]*\]$", text, re.MULTILINE)
    assert len(themes) == len(prompts) > 0


@pytest.mark.parametrize("theme", OPPRESSIONS)
def test_each_oppression_the_source_names_has_its_prompts(
    builtin: tuple[Prompt, ...], theme: str
) -> None:
    carrying = [p for p in builtin if theme in p.themes]
    assert sum(p.kind == "reflection" for p in carrying) >= 5
    assert sum(p.kind == "learning" for p in carrying) >= 3
    assert [p.id for p in carrying if not re.search(NAMES[theme], p.text, re.I)] == []


def test_themes_are_spread_over_the_pillars(builtin: tuple[Prompt, ...]) -> None:
    """A theme worked for a week meets more than one pillar."""
    for theme in OPPRESSIONS:
        pillars = {p.pillar for p in builtin if theme in p.themes and p.kind == "reflection"}
        assert len(pillars) >= 2, theme


# The gaps a facilitator found in the previous set, each now held by a prompt that carries the
# theme and says the thing.
GAPS = [
    # (what, theme, kind or None, action_type or "" for any, pattern)
    ("trans people's health care", "transphobia", None, "", r"health care"),
    ("trans people's ID", "transphobia", None, "", r"\bID\b"),
    ("trans people's restrooms", "transphobia", None, "", r"restroom"),
    ("pronouns beyond apology", "transphobia", "reflection", "",
     r"pronouns is more than avoiding a mistake"),
    ("believing survivors", "misogyny", None, "", r"belie(f|ve)"),
    ("LGBTQ+ young people", "homophobia", "reflection", "children", r"LGBTQ\+ young people"),
    ("elders' and young people's leadership", "ageism", "reflection", "",
     r"Elders and young people.*decisions"),
    ("Indigenous sovereignty now", "colonialism", None, "",
     r"Indigenous nations? .*(now|current)"),
    ("money transparency", "accountability", "reflection", "money", r"budgets, pay and donors"),
    ("the 'ally' label", "accountability", "reflection", "", r"'ally'"),
    ("performative support", "accountability", "learning", "", r"performative"),
    ("accountability among peers and organizations", "accountability", "reflection", "",
     r"peers hold each other"),
    ("disability access in spaces one organizes", "ableism", "reflection", "",
     r"help organize.*take part fully"),
    ("antisemitism", "antisemitism", "reflection", "interrupting", r"Jews"),
    ("Islamophobia", "islamophobia", "reflection", "", r"Muslim-led groups"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "theme", "kind", "action_type", "pattern"), GAPS)
def test_each_gap_is_filled(
    builtin: tuple[Prompt, ...],
    what: str,
    theme: str,
    kind: str | None,
    action_type: str,
    pattern: str,
) -> None:
    found = [
        p.id
        for p in builtin
        if theme in p.themes
        and (kind is None or p.kind == kind)
        and (not action_type or p.action_type == action_type)
        and re.search(pattern, p.text)
    ]
    assert found, what


@pytest.mark.parametrize("theme", ["antisemitism", "islamophobia"])
def test_antisemitism_and_islamophobia_have_eight_prompts_each(
    builtin: tuple[Prompt, ...], theme: str
) -> None:
    assert sum(theme in p.themes for p in builtin) >= 8


# --- forms ----------------------------------------------------------------------------------
# A month of daily prompts should not read as one question asked thirty ways: no opening word
# begins more than a fifth of the reflection prompts, and "what would" is rare. A learning
# prompt is short enough to read at a glance: at most 40 words.


def opening(text: str) -> str:
    return text.split()[0].strip(",:;'").lower()


def test_no_opening_word_begins_more_than_a_fifth_of_the_reflection_prompts(
    builtin: tuple[Prompt, ...],
) -> None:
    reflections = [p for p in builtin if p.kind == "reflection"]
    counts: dict[str, int] = {}
    for p in reflections:
        counts[opening(p.text)] = counts.get(opening(p.text), 0) + 1
    assert {w: n for w, n in counts.items() if n * 5 > len(reflections)} == {}


def test_few_prompts_ask_what_would(builtin: tuple[Prompt, ...]) -> None:
    assert [p.id for p in builtin if "what would" in p.text.lower()] == []


def test_learning_prompts_are_forty_words_at_most(builtin: tuple[Prompt, ...]) -> None:
    long = {p.id: len(p.text.split()) for p in builtin if p.kind == "learning"}
    assert {i: n for i, n in long.items() if n > 40} == {}


def test_every_prompt_is_one_to_three_sentences(builtin: tuple[Prompt, ...]) -> None:
    sentences = {p.id: len(re.findall(r"[.?!]'?(\s|$)", p.text)) for p in builtin}
    assert {i: n for i, n in sentences.items() if not 1 <= n <= 3} == {}


# --- labour, safety and accuracy ---------------------------------------------------------------
# Members of marginalized groups are not asked to explain, testify or teach for free, nor to be
# consulted in ways that expose them; professional access work is paid; a prompt that sends the
# reader to speak up online or in the street says when it is safe.


def test_no_prompt_asks_members_of_a_group_to_explain(by_id: dict[str, Prompt]) -> None:
    assert "learn from its members" not in by_id["type-volunteering-02"].text
    assert "what it should cover" not in by_id["type-training-03"].text
    assert "anonymously" in by_id["type-training-03"].text
    assert "listen to what makes voting hard for them" not in by_id["type-voting-03"].text
    assert "in their own time or not at all" in by_id["reflect-listening-18"].text
    labour = re.compile(
        r"\b(ask|learn from) (them|its members|the people it concerns) (why|to explain|what)",
        re.IGNORECASE,
    )
    assert [p.id for p in by_id.values() if labour.search(p.text)] == []


def test_interpreting_and_captioning_are_paid(builtin: tuple[Prompt, ...]) -> None:
    access_work = [p for p in builtin if re.search(r"interpret|caption|translat", p.text, re.I)]
    assert access_work
    unpaid = [
        p.id
        for p in access_work
        if p.kind == "learning" and not re.search(r"\bpa(id|y)\b|disability justice", p.text)
    ]
    assert unpaid == []


def test_the_dog_whistle_prompt_says_when_it_is_safe(by_id: dict[str, Prompt]) -> None:
    text = by_id["type-interrupting-09"].text
    assert "rather than quote or share them" in text and "only when it is safe" in text


def test_racism_is_not_said_to_be_left_out_of_the_source_list(by_id: dict[str, Prompt]) -> None:
    assert "anti-Black racism" not in by_id["learning-05"].text
    assert "leave out" not in by_id["learning-05"].text


def test_a_space_for_members_only_is_not_assumed_open(by_id: dict[str, Prompt]) -> None:
    assert "members only" in by_id["reflect-listening-20"].text


def test_every_theme_gives_a_week_at_least_four_prompts(builtin: tuple[Prompt, ...]) -> None:
    """`reflect --theme` takes one theme's reflection prompts in turn: a week of one theme
    meets at least four different prompts."""
    pools = {t: sum(p.kind == "reflection" and t in p.themes for p in builtin) for t in THEMES}
    assert {t: n for t, n in pools.items() if n < 4} == {}
