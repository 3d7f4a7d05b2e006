"""Pillars, action types and the words people use for them. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from allycli.core.errors import UsageError
from allycli.core.fields import excerpt

PILLARS: tuple[str, ...] = ("action", "listening", "learning", "yielding")

PILLAR_MEANINGS: dict[str, str] = {
    "action": "constant, committed acts of support and solidarity with marginalized groups",
    "listening": "respectfully listening to marginalized persons and groups; "
    "building mutual trust and consent",
    "learning": "researching privilege, positionality, historical and contemporary struggles; "
    "challenging one's own assumptions and narratives",
    "yielding": "not monopolizing, overtaking, speaking for, patronizing, romanticizing "
    "or agenda-setting",
}

# key -> default pillar, in the vocabulary's order
ACTION_TYPES: dict[str, str] = {
    "protest": "action",
    "advocacy": "action",
    "interrupting": "action",
    "volunteering": "action",
    "voting": "action",
    "training": "learning",
    "children": "action",
    "money": "action",
}

ACTION_TYPE_MEANINGS: dict[str, str] = {
    "protest": "joining a protest, supplying protesters, helping organizers",
    "advocacy": "circulating learning materials and news of movements; "
    "amplifying marginalized voices",
    "interrupting": "speaking out when people or organizations act in racist, sexist, "
    "homophobic, transphobic, xenophobic, ableist, ageist or misogynist ways",
    "volunteering": "giving time to an organization or community group doing anti-oppression work",
    "voting": "voting; campaigning, fundraising or volunteering for candidates with "
    "anti-oppression aims",
    "training": "attending, supporting or coordinating anti-oppression trainings, "
    "workshops, conferences",
    "children": "taking children or students to events and exhibits; books and media with "
    "empowered protagonists from equity-seeking groups",
    "money": "donating or raising money for anti-oppression groups and movements",
}

# A few words on each action type, short enough for one line of an error message;
# ACTION_TYPE_MEANINGS, in `ally log --help`, says it in full.
ACTION_TYPE_GLOSSES: dict[str, str] = {
    "protest": "rallies, supplying protesters, helping organizers",
    "advocacy": "sharing movements' news, amplifying voices",
    "interrupting": "speaking out against oppression",
    "volunteering": "giving time to a group",
    "voting": "voting, campaigns",
    "training": "workshops, conferences",
    "children": "events, exhibits, books and media",
    "money": "donating, fundraising",
}

# What `ally log` says when it does not know a word: every action type, in a few words.
# Short enough to read at a glance: the keys, not what each covers (`ally log --help` says).
CHOOSE_ACTIVITY = (
    f"Choose one of: {', '.join([*ACTION_TYPES, *PILLARS])}; "
    "`ally log --help` says what each covers."
)
NEAR_MISS_HINT = "`ally log --help` lists them."


def action_types_help(width: int = 76) -> str:
    """The action types and what each covers, for `ally log --help`: a block that click
    prints as written (its first line, \\b, stops click from rewrapping it)."""
    import textwrap

    lines = ["\b", "Action types, and what each covers:"]
    for key, meaning in ACTION_TYPE_MEANINGS.items():
        lines += textwrap.wrap(
            meaning,
            width,
            initial_indent=f"  {key:<13}",
            subsequent_indent=" " * 15,
            break_on_hyphens=False,
        )
    lines.append(f"Or log a pillar directly: {', '.join(PILLARS)}.")
    return "\n".join(lines)


# Friendly words -> (kind, key). kind is "type" or "pillar".
ALIASES: dict[str, str] = {
    "rally": "protest",
    "march": "protest",
    "demo": "protest",
    "demonstration": "protest",
    "strike": "protest",
    "picket": "protest",
    "advocate": "advocacy",
    "amplify": "advocacy",
    "share": "advocacy",
    "interrupt": "interrupting",
    "speakup": "interrupting",
    "speak-up": "interrupting",
    "volunteer": "volunteering",
    "vote": "voting",
    "campaign": "voting",
    "canvass": "voting",
    "workshop": "training",
    "trainings": "training",
    "conference": "training",
    "course": "training",
    "seminar": "training",
    "kids": "children",
    "child": "children",
    "students": "children",
    "donate": "money",
    "donation": "money",
    "give": "money",
    "fundraise": "money",
    "listen": "listening",
    "yield": "yielding",
    "learn": "learning",
    "act": "action",
}

# Until release 1 the trainings action type was keyed `learning`; files from then say so.
LEGACY_ACTION_TYPES: dict[str, str] = {"learning": "training"}

PILLAR_ALIASES: dict[str, str] = {
    "listen": "listening",
    "yield": "yielding",
    "learn": "learning",
    "act": "action",
}


@dataclass(frozen=True)
class Activity:
    """What `ally log ACTIVITY` resolved to: a pillar, and an action type or None."""

    pillar: str
    action_type: str | None


def _normalise(word: str) -> str:
    return word.strip().lower().replace("_", "-")


def _resolve(word: str, keys: tuple[str, ...], aliases: dict[str, str], what: str) -> str | None:
    """The key `word` names, None when it names nothing; ambiguous prefixes are an error."""
    w = _normalise(word)
    if not w:
        return None
    if w in keys:
        return w
    if w in aliases:
        return aliases[w]
    matches = {k for k in keys if k.startswith(w)} | {
        v for a, v in aliases.items() if a.startswith(w)
    }
    if len(matches) == 1:
        return matches.pop()
    if len(matches) > 1:
        options = " or ".join(k for k in keys if k in matches)
        raise UsageError(
            f"The {what} '{excerpt(word)}' could be {options}; type a few more letters."
        )
    return None


def resolve_activity(word: str) -> Activity:
    """An action type, a pillar, an alias of either, or an unambiguous prefix.

    `learning` is only ever the pillar (reading and research of one's own); trainings and
    workshops are the action type `training`, whose default pillar is learning.
    """
    keys = tuple(ACTION_TYPES) + tuple(p for p in PILLARS if p not in ACTION_TYPES)
    key = _resolve(word, keys, ALIASES, "activity")
    if key is None:
        hint = suggest(word, keys, ALIASES)
        raise UsageError(
            f"No activity '{excerpt(word)}'.{hint} {NEAR_MISS_HINT if hint else CHOOSE_ACTIVITY}"
        )
    if key in ACTION_TYPES:
        return Activity(pillar=ACTION_TYPES[key], action_type=key)
    return Activity(pillar=key, action_type=None)


def resolve_pillar(word: str) -> str:
    key = _resolve(word, PILLARS, PILLAR_ALIASES, "pillar")
    if key is None:
        raise UsageError(
            f"No pillar '{excerpt(word)}'.{suggest(word, PILLARS, PILLAR_ALIASES)} "
            f"Choose one of: {', '.join(PILLARS)}."
        )
    return key


def resolve_action_type(word: str) -> str:
    aliases = {a: v for a, v in ALIASES.items() if v in ACTION_TYPES}
    key = _resolve(word, tuple(ACTION_TYPES), aliases, "action type")
    if key is None:
        raise UsageError(
            f"No action type '{excerpt(word)}'.{suggest(word, tuple(ACTION_TYPES), aliases)} "
            f"Choose one of: {', '.join(ACTION_TYPES)}."
        )
    return key


def suggest(word: str, keys: tuple[str, ...], aliases: dict[str, str]) -> str:
    """ " Did you mean 'protest'?" for a near miss (a key, or the key of a near alias), or ""."""
    import difflib

    w = _normalise(word)
    close = difflib.get_close_matches(w, [*keys, *aliases], n=1, cutoff=0.75)
    if not close:
        return ""
    if close[0] in aliases:
        return f" Did you mean '{close[0]}' ({aliases[close[0]]})?"
    return f" Did you mean '{close[0]}'?"
