"""The one merge rule (import and sync): exact cases, and convergence in any order."""

from __future__ import annotations

import functools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allycli.core.merge import Outcome, Version, canonical, decide, of_object, tombstone

T0 = "2026-06-08T10:00:00+02:00"
T0_UTC = "2026-06-08T08:00:00+00:00"  # the same instant as T0
T1 = "2026-06-08T10:00:00.000001+02:00"


def v(updated_at: str, content: str = "a") -> Version:
    return Version(updated_at, False, content)


@pytest.mark.parametrize(
    ("local", "incoming", "outcome"),
    [
        (None, v(T0), Outcome.ADDED),
        (None, tombstone(T0), Outcome.ADDED),
        (v(T0), v(T1, "b"), Outcome.UPDATED),
        (v(T1, "b"), v(T0), Outcome.PRESENT),
        (v(T0), v(T0), Outcome.PRESENT),
        (v(T0), v(T0_UTC), Outcome.PRESENT),  # instants, not text
        (v(T0, "a"), v(T0_UTC, "b"), Outcome.CONFLICT_TAKEN),  # "b" sorts last
        (v(T0, "b"), v(T0_UTC, "a"), Outcome.CONFLICT_KEPT),
        (v(T0), tombstone(T0_UTC), Outcome.UPDATED),  # a delete wins at equal times
        (tombstone(T0), v(T0_UTC), Outcome.PRESENT),
        (tombstone(T0), v(T1), Outcome.UPDATED),  # a later edit comes back
        (tombstone(T1), v(T0), Outcome.PRESENT),
        (tombstone(T0), tombstone(T0_UTC), Outcome.PRESENT),
    ],
)
def test_decide(local: Version | None, incoming: Version, outcome: Outcome) -> None:
    assert decide(local, incoming) is outcome


def test_only_conflicts_count_as_conflicts() -> None:
    assert {o for o in Outcome if o.conflict} == {Outcome.CONFLICT_TAKEN, Outcome.CONFLICT_KEPT}
    assert {o for o in Outcome if o.takes_incoming} == {
        Outcome.ADDED,
        Outcome.UPDATED,
        Outcome.CONFLICT_TAKEN,
    }


def test_canonical_ignores_updated_at_and_key_order() -> None:
    a = {"id": "x", "note": "Café", "updated_at": T0}
    b = {"updated_at": T1, "note": "Café", "id": "x"}
    assert canonical(a) == canonical(b) == '{"id":"x","note":"Café"}'


def test_a_missing_updated_at_means_created_at() -> None:
    assert of_object({"id": "x", "created_at": T0}).updated_at == T0
    assert of_object({"id": "x", "created_at": T0, "updated_at": T1}).updated_at == T1


times = st.sampled_from([T0, T0_UTC, T1, "2026-06-09T00:00:00+00:00"])
versions = st.one_of(
    st.builds(v, times, st.sampled_from(["a", "b", "c"])),
    st.builds(tombstone, times),
)


def merge(held: Version | None, incoming: Version) -> Version:
    return incoming if decide(held, incoming).takes_incoming else held  # type: ignore[return-value]


@given(st.lists(versions, min_size=1, max_size=6), st.randoms())
def test_every_order_of_arrival_keeps_the_same_version(
    arrivals: list[Version], rnd: object
) -> None:
    shuffled = list(arrivals)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    first = functools.reduce(merge, arrivals, None)
    second = functools.reduce(merge, shuffled, None)
    assert first is not None and second is not None
    assert (first.instant, first.deleted, first.canonical) == (
        second.instant,
        second.deleted,
        second.canonical,
    )


@given(versions, versions)
def test_merging_twice_changes_nothing(a: Version, b: Version) -> None:
    once = merge(merge(None, a), b)
    assert not decide(once, b).takes_incoming
