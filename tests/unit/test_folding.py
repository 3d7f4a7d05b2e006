"""The search copy of text, and instants as integer microseconds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allycli.core.folding import fold, micros


@pytest.mark.parametrize(
    ("texts", "folded"),
    [
        (("Café",), "cafe"),
        (("CAFÉ au lait", None, "Straße"), "cafe au lait\nstrasse"),
        (("Ångström", "naïve"), "angstrom\nnaive"),
        ((None, None), ""),
        (("ﬁnd",), "find"),  # a ligature
    ],
)
def test_fold(texts: tuple[str | None, ...], folded: str) -> None:
    assert fold(*texts) == folded


@given(st.text())
def test_folding_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    ("iso", "us"),
    [
        ("1970-01-01T00:00:00+00:00", 0),
        ("1970-01-01T01:00:00.000001+01:00", 1),
        ("2026-06-08T10:00:00+02:00", 1780905600000000),
    ],
)
def test_micros(iso: str, us: int) -> None:
    assert micros(iso) == us


def test_micros_compares_instants_not_text() -> None:
    # as text, "...09:00...+00:00" sorts first; as instants 10:30+02:00 (08:30 UTC) is earlier
    assert micros("2026-06-08T10:30:00+02:00") < micros("2026-06-08T09:00:00+00:00")


def test_a_time_without_an_offset_is_refused() -> None:
    with pytest.raises(ValueError):
        micros("2026-06-08T10:00:00")
