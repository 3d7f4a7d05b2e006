"""The shapes of values, decided once (core/fields.py): tables of exact cases, and the
sentence each door makes of a refusal."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allycli.core import fields
from allycli.core.errors import DataFileError, UsageError
from allycli.core.fields import FieldError

NUL = "contains a NUL character, which ally does not store"
SURROGATE = "contains characters that are not valid text (such as a lone surrogate)"


@pytest.mark.parametrize(
    ("value", "given", "expected"),
    [
        ("plain", True, "plain"),
        ("a\r\nb", True, "a\nb"),
        ("a\r\nb", False, "a\r\nb"),  # from a file or the hub: kept as written
        ("a\rb", True, "a\rb"),
        ("tab\tand\u2028separator", True, "tab\tand\u2028separator"),
    ],
)
def test_text_keeps_text_and_makes_given_crlf_lf(value: str, given: bool, expected: str) -> None:
    assert fields.text(value, given=given) == expected


@pytest.mark.parametrize(
    ("value", "why"),
    [("\x00", NUL), ("a\x00b", NUL), ("lone \ud800", SURROGATE), ("\ud800\x00", SURROGATE)],
)
@pytest.mark.parametrize("given", [True, False])
def test_text_refuses_nul_and_lone_surrogates_from_every_door(
    value: str, why: str, given: bool
) -> None:
    with pytest.raises(FieldError) as refused:
        fields.text(value, given=given)
    assert refused.value.why == why


def test_storable_names_what_it_refuses_and_never_the_text() -> None:
    with pytest.raises(UsageError) as refused:
        fields.storable("secret-7731\x00", "note")
    assert refused.value.message == f"The note {NUL}; nothing was saved."
    assert refused.value.exit_code == 2


def test_copied_text_is_kept_as_written_unless_it_cannot_be_stored() -> None:
    prompt = "Whose voice was missing\x00?\r\n"  # from a prompts file: what was shown
    assert fields.copied_text(prompt) == prompt
    assert fields.copied_text(None) is None
    with pytest.raises(FieldError) as refused:
        fields.copied_text("lone \ud800")
    assert refused.value.why == SURROGATE
    with pytest.raises(FieldError, match=r"^must be text or null$"):
        fields.copied_text(7)


@pytest.mark.parametrize("value", [1, 30, 1440])
def test_minutes_in_range(value: int) -> None:
    assert fields.minutes(value) == value


@pytest.mark.parametrize("value", [0, -5, 1441, 10**30, True, 1.5, "30", None])
def test_minutes_out_of_range_or_not_whole(value: Any) -> None:
    with pytest.raises(FieldError) as refused:
        fields.minutes(value)
    assert refused.value.why == "must be a whole number from 1 to 1440"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-02-28", date(2026, 2, 28)), ("2024-02-29", date(2024, 2, 29))],
)
def test_day(value: str, expected: date) -> None:
    assert fields.day(value) == expected


@pytest.mark.parametrize("value", ["2026-02-30", "2026-1-5", "20260105", "", None, 20260105])
def test_day_refused(value: Any) -> None:
    with pytest.raises(FieldError, match=r"^must be YYYY-MM-DD$"):
        fields.day(value)


@pytest.mark.parametrize("value", ["2026-11-20T09:00:00+00:00", "2026-11-20T09:00:00.123456-05:00"])
def test_instant_is_kept_as_written(value: str) -> None:
    assert fields.instant(value) == value


@pytest.mark.parametrize("value", ["2026-11-20T09:00:00", "at nine", "", None, 5])
def test_instant_needs_an_offset(value: Any) -> None:
    with pytest.raises(FieldError, match=r"^must be an ISO 8601 time with an offset$"):
        fields.instant(value)


ID = "3f2a9c1e-0000-4000-8000-000000000001"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("not-a-uuid", "must be a UUID"),
        (12345, "must be a UUID"),
        (None, "must be a UUID"),
        ("{" + ID + "}", "must be a UUID in its usual form"),
        (ID.replace("-", ""), "must be a UUID in its usual form"),
    ],
)
def test_object_id_refused(value: Any, why: str) -> None:
    with pytest.raises(FieldError) as refused:
        fields.object_id(value)
    assert refused.value.why == why


def test_object_id_in_lower_case() -> None:
    assert fields.object_id(ID) == ID
    assert fields.object_id(ID.upper()) == ID


@pytest.mark.parametrize(
    ("value", "expected"), [("3F2A", "3f2a"), ("3f2a9c1e-00", "3f2a9c1e-00"), (ID, ID)]
)
def test_id_prefix(value: str, expected: str) -> None:
    assert fields.id_prefix(value) == expected


@pytest.mark.parametrize("value", ["3f2", "", "zzzz", ID + "0", " 3f2a", 3333, None])
def test_id_prefix_refused(value: Any) -> None:
    with pytest.raises(FieldError, match=r"^must be an id or its first 4 or more characters$"):
        fields.id_prefix(value)


@pytest.mark.parametrize(
    ("since", "until", "days"),
    [
        (date(2026, 1, 1), date(2026, 1, 1), 1),
        (date(2024, 1, 1), date(2024, 12, 31), 366),
    ],
)
def test_pause_days(since: date, until: date, days: int) -> None:
    assert fields.pause_days(since, until) == days


@pytest.mark.parametrize(
    ("since", "until", "why"),
    [
        (date(2026, 1, 2), date(2026, 1, 1), "ends before it begins"),
        (date(2026, 1, 1), date(2027, 1, 2), "lasts at most 366 days (this one would last 367)"),
    ],
)
def test_pause_days_refused(since: date, until: date, why: str) -> None:
    with pytest.raises(FieldError) as refused:
        fields.pause_days(since, until)
    assert refused.value.why == why


def test_each_door_says_a_refusal_in_its_own_sentence() -> None:
    with pytest.raises(UsageError) as flag:
        fields.from_flag("--minutes", 1441, fields.minutes)
    assert flag.value.message == "--minutes must be a whole number from 1 to 1440."
    with pytest.raises(DataFileError) as file:
        fields.from_file({"minutes": 1441}, "minutes", fields.minutes, "in.jsonl, line 3")
    assert file.value.message == (
        "in.jsonl, line 3: 'minutes' must be a whole number from 1 to 1440; nothing was imported."
    )
    assert fields.from_flag("--minutes", 5, fields.minutes) == 5


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("plain", "plain"),
        ("", ""),
        ("a\tb", "a\\tb"),
        ("\x1b", "\\x1b"),
        ("rtl \u202eevil", "rtl \\u202eevil"),
        ("a\nb\x1b" + "c" * 100, "a\\nb\\x1b" + "c" * 31 + "…"),
        ("x" * 40, "x" * 40),
        ("x" * 41, "x" * 39 + "…"),
    ],
)
def test_excerpt(word: str, expected: str) -> None:
    assert fields.excerpt(word) == expected


def test_excerpt_to_a_shorter_limit() -> None:
    assert fields.excerpt("abcdefghijklmnop", 12) == "abcdefghijk…"


@given(st.text(max_size=200))
def test_excerpt_is_always_printable_and_short(word: str) -> None:
    result = fields.excerpt(word)
    assert all(ch.isprintable() for ch in result)
    assert len(result) <= 40
