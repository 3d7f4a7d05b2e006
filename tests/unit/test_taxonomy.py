"""Pillars, action types, aliases and prefixes: what `ally log ACTIVITY` understands."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allycli.core.errors import UsageError
from allycli.core.taxonomy import (
    ACTION_TYPE_GLOSSES,
    ACTION_TYPE_MEANINGS,
    ACTION_TYPES,
    PILLAR_MEANINGS,
    PILLARS,
    Activity,
    resolve_action_type,
    resolve_activity,
    resolve_pillar,
)

# --- the vocabulary itself (the contract's tables, in order) -------------------------------------


def test_pillars_are_the_design_vocabulary_in_order() -> None:
    assert PILLARS == ("action", "listening", "learning", "yielding")


def test_action_types_and_default_pillars_are_the_design_vocabulary_in_order() -> None:
    assert list(ACTION_TYPES.items()) == [
        ("protest", "action"),
        ("advocacy", "action"),
        ("interrupting", "action"),
        ("volunteering", "action"),
        ("voting", "action"),
        ("training", "learning"),
        ("children", "action"),
        ("money", "action"),
    ]


def test_every_key_has_a_meaning() -> None:
    assert set(PILLAR_MEANINGS) == set(PILLARS)
    assert set(ACTION_TYPE_MEANINGS) == set(ACTION_TYPES)
    assert list(ACTION_TYPE_GLOSSES) == list(ACTION_TYPES)


# --- resolve_activity: keys ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("protest", Activity("action", "protest")),
        ("advocacy", Activity("action", "advocacy")),
        ("interrupting", Activity("action", "interrupting")),
        ("volunteering", Activity("action", "volunteering")),
        ("voting", Activity("action", "voting")),
        ("training", Activity("learning", "training")),
        ("learning", Activity("learning", None)),
        ("children", Activity("action", "children")),
        ("money", Activity("action", "money")),
        ("action", Activity("action", None)),
        ("listening", Activity("listening", None)),
        ("yielding", Activity("yielding", None)),
    ],
)
def test_every_key_resolves_to_itself(word: str, expected: Activity) -> None:
    assert resolve_activity(word) == expected


@pytest.mark.parametrize("key", list(ACTION_TYPES))
def test_every_action_type_resolves_with_its_default_pillar(key: str) -> None:
    assert resolve_activity(key) == Activity(ACTION_TYPES[key], key)


def test_learning_is_only_ever_the_pillar() -> None:
    assert resolve_activity("learning") == Activity("learning", None)
    assert resolve_activity("training") == Activity("learning", "training")


# --- resolve_activity: aliases --------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("vote", Activity("action", "voting")),
        ("campaign", Activity("action", "voting")),
        ("canvass", Activity("action", "voting")),
        ("donate", Activity("action", "money")),
        ("donation", Activity("action", "money")),
        ("fundraise", Activity("action", "money")),
        ("give", Activity("action", "money")),
        ("kids", Activity("action", "children")),
        ("child", Activity("action", "children")),
        ("students", Activity("action", "children")),
        ("interrupt", Activity("action", "interrupting")),
        ("speakup", Activity("action", "interrupting")),
        ("speak-up", Activity("action", "interrupting")),
        ("speak_up", Activity("action", "interrupting")),
        ("volunteer", Activity("action", "volunteering")),
        ("rally", Activity("action", "protest")),
        ("march", Activity("action", "protest")),
        ("demo", Activity("action", "protest")),
        ("strike", Activity("action", "protest")),
        ("picket", Activity("action", "protest")),
        ("amplify", Activity("action", "advocacy")),
        ("advocate", Activity("action", "advocacy")),
        ("workshop", Activity("learning", "training")),
        ("conference", Activity("learning", "training")),
        ("learn", Activity("learning", None)),
        ("listen", Activity("listening", None)),
        ("yield", Activity("yielding", None)),
        ("act", Activity("action", None)),
    ],
)
def test_aliases_resolve(word: str, expected: Activity) -> None:
    assert resolve_activity(word) == expected


# --- resolve_activity: prefixes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("pro", Activity("action", "protest")),
        ("p", Activity("action", "protest")),
        ("mon", Activity("action", "money")),
        ("yie", Activity("yielding", None)),
        ("y", Activity("yielding", None)),
        ("lis", Activity("listening", None)),
        ("li", Activity("listening", None)),
        ("le", Activity("learning", None)),
        ("tr", Activity("learning", "training")),
        ("int", Activity("action", "interrupting")),
        ("vol", Activity("action", "volunteering")),
        ("vot", Activity("action", "voting")),
        ("adv", Activity("action", "advocacy")),
        ("chi", Activity("action", "children")),
        ("ki", Activity("action", "children")),
        ("don", Activity("action", "money")),
        ("ral", Activity("action", "protest")),
    ],
)
def test_unambiguous_prefixes_resolve(word: str, expected: Activity) -> None:
    assert resolve_activity(word) == expected


@pytest.mark.parametrize(
    ("word", "message"),
    [
        ("vo", "The activity 'vo' could be volunteering or voting; type a few more letters."),
        ("l", "The activity 'l' could be listening or learning; type a few more letters."),
        ("a", "The activity 'a' could be advocacy or action; type a few more letters."),
        ("d", "The activity 'd' could be protest or money; type a few more letters."),
        ("m", "The activity 'm' could be protest or money; type a few more letters."),
        (
            "c",
            "The activity 'c' could be voting or training or children; type a few more letters.",
        ),
        ("VO", "The activity 'VO' could be volunteering or voting; type a few more letters."),
    ],
)
def test_ambiguous_prefixes_are_usage_errors_listing_the_candidates(
    word: str, message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        resolve_activity(word)
    assert caught.value.exit_code == 2
    assert caught.value.message == message
    assert str(caught.value) == message


UNKNOWN_ACTIVITY = (
    "Choose one of: protest, advocacy, interrupting, volunteering, voting, training, children, "
    "money, action, listening, learning, yielding; `ally log --help` says what each covers."
)
NEAR_MISS = "`ally log --help` lists them."


@pytest.mark.parametrize(
    ("word", "named", "hint"),
    [
        ("sleeping", "sleeping", ""),
        ("", "", ""),
        ("   ", "   ", ""),
        ("protests", "protests", "Did you mean 'protest'? "),
        ("protst", "protst", "Did you mean 'protest'? "),
        ("yeilding", "yeilding", "Did you mean 'yielding'? "),
        ("lisening", "lisening", "Did you mean 'listening'? "),
        ("xyz", "xyz", ""),
        ("voter", "voter", "Did you mean 'vote' (voting)? "),
    ],
)
def test_unknown_words_are_usage_errors_listing_valid_keys(
    word: str, named: str, hint: str
) -> None:
    with pytest.raises(UsageError) as caught:
        resolve_activity(word)
    assert caught.value.exit_code == 2
    assert caught.value.message == f"No activity '{named}'. {hint}" + (
        NEAR_MISS if hint else UNKNOWN_ACTIVITY
    )


def test_a_near_miss_is_short() -> None:
    with pytest.raises(UsageError) as caught:
        resolve_activity("protset")
    assert caught.value.message == (
        "No activity 'protset'. Did you mean 'protest'? `ally log --help` lists them."
    )
    with pytest.raises(UsageError) as caught:
        resolve_activity("sleeping")
    assert len(caught.value.message) <= 200  # it was 600 characters


@pytest.mark.parametrize(
    ("resolve", "word", "hint"),
    [
        (resolve_pillar, "lisening", "Did you mean 'listening'?"),
        (resolve_pillar, "yeild", "Did you mean 'yield' (yielding)?"),
        (resolve_action_type, "votign", "Did you mean 'voting'?"),
        (resolve_action_type, "mony", "Did you mean 'money'?"),
    ],
)
def test_pillars_and_types_suggest_the_closest_key(resolve: Any, word: str, hint: str) -> None:
    with pytest.raises(UsageError) as caught:
        resolve(word)
    assert hint in caught.value.message
    assert caught.value.message.count("?") == 1


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("PROTEST", Activity("action", "protest")),
        ("  Vote  ", Activity("action", "voting")),
        ("\tKids\n", Activity("action", "children")),
        ("LiStEn", Activity("listening", None)),
        (" Mon ", Activity("action", "money")),
        ("Learning", Activity("learning", None)),
    ],
)
def test_resolution_ignores_case_and_surrounding_whitespace(word: str, expected: Activity) -> None:
    assert resolve_activity(word) == expected


@pytest.mark.parametrize(
    ("word", "echoed"),
    [
        ("\x1b[31mred", "\\x1b[31mred"),
        ("bad\x07word", "bad\\x07word"),
        ("nul\x00", "nul\\x00"),
        ("two\nlines", "two\\nlines"),
    ],
)
def test_control_characters_are_not_echoed_raw(word: str, echoed: str) -> None:
    with pytest.raises(UsageError) as caught:
        resolve_activity(word)
    message = caught.value.message
    assert message == f"No activity '{echoed}'. {UNKNOWN_ACTIVITY}"
    assert all(ch.isprintable() for ch in message)


def test_a_long_unknown_word_is_shortened_in_the_message() -> None:
    with pytest.raises(UsageError) as caught:
        resolve_activity("z" * 100)
    assert caught.value.message == f"No activity '{'z' * 39}…'. {UNKNOWN_ACTIVITY}"


@given(st.text(max_size=30))
def test_resolve_activity_returns_a_valid_activity_or_a_printable_usage_error(word: str) -> None:
    try:
        activity = resolve_activity(word)
    except UsageError as exc:
        assert exc.exit_code == 2
        assert all(ch.isprintable() for ch in exc.message)
    else:
        assert activity.pillar in PILLARS
        assert activity.action_type is None or activity.action_type in ACTION_TYPES
        if activity.action_type is not None:
            assert activity.pillar == ACTION_TYPES[activity.action_type]


# --- resolve_pillar ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("action", "action"),
        ("listening", "listening"),
        ("learning", "learning"),
        ("yielding", "yielding"),
        ("act", "action"),
        ("listen", "listening"),
        ("learn", "learning"),
        ("yield", "yielding"),
        ("a", "action"),
        ("lis", "listening"),
        ("lea", "learning"),
        ("yie", "yielding"),
        (" YIELDING ", "yielding"),
    ],
)
def test_resolve_pillar(word: str, expected: str) -> None:
    assert resolve_pillar(word) == expected


def test_resolve_pillar_ambiguous_prefix() -> None:
    with pytest.raises(UsageError) as caught:
        resolve_pillar("l")
    assert caught.value.exit_code == 2
    assert caught.value.message == (
        "The pillar 'l' could be listening or learning; type a few more letters."
    )


@pytest.mark.parametrize("word", ["protest", "vote", "kids", "", "x", "money"])
def test_resolve_pillar_rejects_non_pillars(word: str) -> None:
    with pytest.raises(UsageError) as caught:
        resolve_pillar(word)
    assert caught.value.exit_code == 2
    assert caught.value.message == (
        f"No pillar '{word}'. Choose one of: action, listening, learning, yielding."
    )


# --- resolve_action_type ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        *[(key, key) for key in ACTION_TYPES],
        ("vote", "voting"),
        ("donate", "money"),
        ("kids", "children"),
        ("interrupt", "interrupting"),
        ("volunteer", "volunteering"),
        ("rally", "protest"),
        ("workshop", "training"),
        ("conference", "training"),
        ("pro", "protest"),
        ("mon", "money"),
        ("t", "training"),
        (" Money ", "money"),
    ],
)
def test_resolve_action_type(word: str, expected: str) -> None:
    assert resolve_action_type(word) == expected


def test_resolve_action_type_ambiguous_prefix() -> None:
    with pytest.raises(UsageError) as caught:
        resolve_action_type("vo")
    assert caught.value.exit_code == 2
    assert caught.value.message == (
        "The action type 'vo' could be volunteering or voting; type a few more letters."
    )


@pytest.mark.parametrize(
    "word", ["listening", "listen", "yielding", "yield", "action", "act", "learning", "learn", ""]
)
def test_resolve_action_type_rejects_pillar_only_words(word: str) -> None:
    with pytest.raises(UsageError) as caught:
        resolve_action_type(word)
    assert caught.value.exit_code == 2
    assert caught.value.message == (
        f"No action type '{word}'. Choose one of: protest, advocacy, interrupting, "
        "volunteering, voting, training, children, money."
    )
