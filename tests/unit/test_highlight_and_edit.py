"""The pure parts of fixing and finding: where words are highlighted, and the edit rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allycli.core.errors import UsageError
from allycli.core.folding import fold
from allycli.core.highlight import spans
from allycli.core.records import Record
from allycli.journal.editing import Changes, apply, later_than


@pytest.mark.parametrize(
    ("text", "words", "marked"),
    [
        ("Café with the crew", ["cafe"], ["Café"]),
        ("CAFE\u0301 and cafe", ["cafe"], ["CAFE\u0301", "cafe"]),  # the accent goes along
        ("Straße fest", ["strasse"], ["Straße"]),
        ("Zoë and zoe", ["zoe", "and"], ["Zoë", "and", "zoe"]),
        ("overlapping", ["overl", "lapping"], ["overlapping"]),
        ("nothing here", ["absent"], []),
        ("ﬁne print", ["fine"], ["ﬁne"]),  # a ligature folds to two letters
    ],
)
def test_spans_map_folded_matches_back_to_the_original(
    text: str, words: list[str], marked: list[str]
) -> None:
    assert [text[a:b] for a, b in spans(text, words)] == marked


@given(st.text(max_size=40), st.text(min_size=1, max_size=5))
def test_every_highlighted_span_folds_to_contain_the_word(text: str, word: str) -> None:
    folded = fold(word)
    for a, b in spans(text, [folded]):
        assert 0 <= a < b <= len(text)
        assert folded in fold(text[a:b]) or folded in "".join(fold(c) for c in text[a:b])


PRACTICE = Record("id-1", "practice", "2026-11-20", "2026-11-20T09:00:00+00:00", "action",
                  "protest", "note", 30, updated_at="2026-11-20T09:00:00+00:00")  # fmt: skip
REFLECTION = Record("id-2", "reflection", "2026-11-20", "2026-11-20T09:00:00+00:00", "yielding",
                    prompt_id="p", prompt="Q?", answer="A.")  # fmt: skip
LATER = "2026-11-21T10:00:00+00:00"


@pytest.mark.parametrize(
    ("changes", "fields", "changed"),
    [
        (Changes(action_type="training"), {"action_type": "training", "pillar": "learning"},
         ("action type", "pillar")),
        (Changes(action_type="vote", pillar="yielding"),
         {"action_type": "voting", "pillar": "yielding"}, ("action type", "pillar")),
        (Changes(action_type="none"), {"action_type": None}, ("action type",)),
        (Changes(note=""), {"note": None}, ("note",)),
        (Changes(note="a\r\nb"), {"note": "a\nb"}, ("note",)),
        (Changes(minutes=45), {"minutes": 45}, ("minutes",)),
        (Changes(note="note", minutes=30), {}, ()),
    ],
)  # fmt: skip
def test_edit_rules(changes: Changes, fields: dict[str, object], changed: tuple) -> None:
    edited = apply(PRACTICE, changes, LATER)
    assert edited.changed == changed
    for name, value in fields.items():
        assert getattr(edited.after, name) == value
    assert edited.after.updated_at == (LATER if changed else PRACTICE.updated_at)


@pytest.mark.parametrize(
    ("record", "changes", "words"),
    [
        (PRACTICE, Changes(answer="x"), "--answer is for reflections"),
        (REFLECTION, Changes(minutes=5), "--minutes is for practice"),
        (REFLECTION, Changes(note="x"), "--note is for practice"),
        (REFLECTION, Changes(action_type="money"), "--type is for practice"),
        (REFLECTION, Changes(answer="  "), "needs an answer"),
        (PRACTICE, Changes(note="a\x00b"), "NUL"),
        (PRACTICE, Changes(minutes=5000), "1 to 1440"),
    ],
)
def test_edits_that_do_not_fit_are_usage_errors(
    record: Record, changes: Changes, words: str
) -> None:
    with pytest.raises(UsageError, match=words):
        apply(record, changes, LATER)


@pytest.mark.parametrize(
    ("previous", "now", "expected"),
    [
        ("2026-11-20T09:00:00+00:00", "2026-11-21T10:00:00.000000+01:00",
         "2026-11-21T10:00:00.000000+01:00"),
        # the entry was made on a machine whose clock runs ahead: still later, in this offset
        ("2026-11-21T12:00:00+00:00", "2026-11-21T10:00:00.000000+01:00",
         "2026-11-21T13:00:00.000001+01:00"),
        ("2026-11-21T09:00:00+00:00", "2026-11-21T10:00:00.000000+01:00",
         "2026-11-21T10:00:00.000001+01:00"),  # the same instant
    ],
)  # fmt: skip
def test_an_edit_is_always_later_than_the_version_it_replaces(
    previous: str, now: str, expected: str
) -> None:
    assert later_than(previous, now) == expected
