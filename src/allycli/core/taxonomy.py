"""Pillars, action types and the words people use for them. Pure: no I/O.

The eight built-in action types and the four pillars never change. A person may add action
types of their own (`OwnType`); `Kinds` holds the built-in ones and those, and every
command that names a type resolves the word through it. An own type's key is the name it
was added with and never changes: entries, rhythms and pauses store it, so a rename
changes only the name shown.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from allycli.core.errors import UsageError
from allycli.core.fields import excerpt, from_file, instant, optional_text

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


def action_types_help() -> str:
    """The action types and what each covers, for `ally log --help`: a table that the help
    formatter lays out at the terminal's width (a `\\b` paragraph: its heading, then a key,
    two spaces and its meaning a line), and the pillars below it."""
    rows = [f"{key}  {meaning}" for key, meaning in ACTION_TYPE_MEANINGS.items()]
    return "\n".join(
        ["\b", "Action types, and what each covers:", *rows, "",
         f"Or log a pillar directly: {', '.join(PILLARS)}."]
    )  # fmt: skip


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


def resolve_pillar(word: str) -> str:
    key = _resolve(word, PILLARS, PILLAR_ALIASES, "pillar")
    if key is None:
        raise UsageError(
            f"No pillar '{excerpt(word)}'.{suggest(word, PILLARS, PILLAR_ALIASES)} "
            f"Choose one of: {', '.join(PILLARS)}."
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


# -- action types of one's own -------------------------------------------------------------

# Fixed forever: changing it would give every own type a new id on every machine.
TYPE_NAMESPACE = uuid.UUID("3b9e6c2a-7f41-5d08-b6a3-91c4e2d7f058")
MAX_OWN_TYPES = 64  # `ally type add` refuses more; a merge may bring more, and all are kept
RESERVED = ("practice", "none", "all")
NAME_RULE = re.compile(r"[a-z][a-z0-9-]{1,31}")
NAME_HINT = "2 to 32 lower-case letters, digits and hyphens, starting with a letter"
TYPE_KEYS = {"id", "kind", "key", "name", "pillar", "about", "aliases", "retired", "updated_at"}
ABOUT_LIMIT = 200


def type_id(key: str) -> str:
    """An own type's id: UUID5 of its key, so two machines that add one name hold one type."""
    return str(uuid.uuid5(TYPE_NAMESPACE, key))


@dataclass(frozen=True)
class OwnType:
    """An action type a person added: its key never changes; its name is what is shown."""

    key: str
    name: str
    pillar: str
    about: str | None = None
    aliases: tuple[str, ...] = ()
    retired: bool = False
    updated_at: str = ""

    @property
    def id(self) -> str:
        return type_id(self.key)

    @property
    def words(self) -> tuple[str, ...]:
        """Every word that names it: its name, its key, then its aliases."""
        return tuple(dict.fromkeys((self.name, self.key, *self.aliases)))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": "action_type",
            "key": self.key,
            "name": self.name,
            "pillar": self.pillar,
            "about": self.about,
            "aliases": list(self.aliases),
            "retired": self.retired,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class Kinds:
    """The action types a journal knows: the eight built-in ones, then its own, by name."""

    own: tuple[OwnType, ...] = ()
    _by_key: Mapping[str, OwnType] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.own, key=lambda t: (t.name, t.key)))
        object.__setattr__(self, "own", ordered)
        object.__setattr__(self, "_by_key", {t.key: t for t in ordered})

    # -- what there is

    @property
    def action_types(self) -> tuple[str, ...]:
        """Every action type's key: the built-in ones in the vocabulary's order, then own."""
        return (*ACTION_TYPES, *(t.key for t in self.own))

    @property
    def active_types(self) -> tuple[str, ...]:
        """The action types that take new entries and may be gaps (retired ones left out)."""
        return (*ACTION_TYPES, *(t.key for t in self.own if not t.retired))

    @property
    def categories(self) -> tuple[str, ...]:
        """What rhythms and pauses name: practice, the pillars, then every action type."""
        return ("practice", *PILLARS, *self.action_types)

    def own_type(self, key: str | None) -> OwnType | None:
        return self._by_key.get(key) if key is not None else None

    def is_retired(self, key: str) -> bool:
        found = self._by_key.get(key)
        return found is not None and found.retired

    def pillar_of(self, key: str) -> str:
        """An action type's default pillar."""
        if key in ACTION_TYPES:
            return ACTION_TYPES[key]
        found = self._by_key.get(key)
        return found.pillar if found is not None else "action"

    def name_of(self, key: str) -> str:
        """The name a person sees for a stored key (a built-in key, a pillar or `practice`
        is its own name; an own type's key shows its current name)."""
        found = self._by_key.get(key)
        return found.name if found is not None else key

    def file_name(self, key: str) -> str:
        """How an export names a stored type: its current name, or its key when the name
        could be read as another type (a merge may bring two types one name)."""
        found = self._by_key.get(key)
        if found is None or found.name == found.key:
            return key
        clash = found.name in self._by_key or any(
            t.name == found.name for t in self.own if t.key != key
        )
        return key if clash else found.name

    def meaning(self, key: str) -> str:
        if key in ACTION_TYPE_MEANINGS:
            return ACTION_TYPE_MEANINGS[key]
        found = self._by_key.get(key)
        return (found.about or "") if found is not None else ""

    # -- words to keys

    def resolve_activity(self, word: str) -> Activity:
        """An action type, a pillar, an alias of either, or an unambiguous prefix, for a new
        entry: a retired type is refused (it says how to bring it back).

        `learning` is only ever the pillar (reading and research of one's own); trainings and
        workshops are the action type `training`, whose default pillar is learning. A prefix
        that names a built-in type or pillar keeps naming it, whatever types are added.
        """
        keys = tuple(ACTION_TYPES) + tuple(p for p in PILLARS if p not in ACTION_TYPES)
        key = _resolve(word, keys, ALIASES, "activity")
        if key is None:
            key = self._own(word, "activity")
        if key is None:
            hint = self._suggest(word, keys, ALIASES)
            raise UsageError(
                f"No activity '{excerpt(word)}'.{hint} {NEAR_MISS_HINT if hint else self._choose()}"
            )
        if key in PILLARS:
            return Activity(pillar=key, action_type=None)
        self.refuse_retired(key)
        return Activity(pillar=self.pillar_of(key), action_type=key)

    def refuse_retired(self, key: str) -> None:
        found = self._by_key.get(key)
        if found is not None and found.retired:
            raise UsageError(
                f"The action type '{found.name}' is retired, so it takes no new entries; "
                f"`ally type retire --undo {found.name}` brings it back."
            )

    def resolve_action_type(self, word: str) -> str:
        """An action type's key (retired ones too: filters find their history)."""
        aliases = {a: v for a, v in ALIASES.items() if v in ACTION_TYPES}
        key = _resolve(word, tuple(ACTION_TYPES), aliases, "action type")
        if key is None:
            key = self._own(word, "action type")
        if key is None:
            names = ", ".join((*ACTION_TYPES, *(t.name for t in self.own)))
            raise UsageError(
                f"No action type '{excerpt(word)}'."
                f"{self._suggest(word, tuple(ACTION_TYPES), aliases)} Choose one of: {names}."
            )
        return key

    def resolve_category(self, word: str) -> str:
        """`practice`, a pillar or an action type (aliases and prefixes work), as rhythms
        and pauses name them."""
        w = _normalise(word)
        if w and "practice".startswith(w) and len(w) >= 3:
            return "practice"
        keys = tuple(ACTION_TYPES) + tuple(p for p in PILLARS if p not in ACTION_TYPES)
        key = _resolve(word, keys, ALIASES, "category") or self._own(word, "category")
        if key is None:
            raise UsageError(
                f"No category '{excerpt(word)}'. Choose practice, a pillar "
                f"({', '.join(PILLARS)}) or an action type "
                f"({', '.join((*ACTION_TYPES, *(t.name for t in self.own)))})."
            )
        return key

    def resolve_own(self, word: str) -> OwnType:
        """One of the person's own types, named exactly (by name, key or alias), for the
        commands that change a type; a built-in type or a pillar is refused."""
        w = _normalise(word)
        found = self._exact(w)
        if found is not None:
            return found
        if w in ACTION_TYPES or w in PILLARS or w in ALIASES:
            target = ALIASES.get(w, w)
            kind = "pillar" if target in PILLARS else "built-in action type"
            raise UsageError(
                f"'{target}' is a {kind}; built-in types and pillars cannot be renamed or "
                "retired (`ally rhythm TYPE off` keeps one out of the gaps)."
            )
        names = ", ".join(t.name for t in self.own) or "none yet"
        raise UsageError(
            f"No action type of your own is named '{excerpt(word)}'. Yours: {names}; "
            "`ally type list` shows them."
        )

    def file_key(self, word: str) -> str | None:
        """The stored key a word in a file names (import and sync): a built-in key (or the
        old `learning`), an own key, an own type's name, or an alias; None when unknown."""
        if word in ACTION_TYPES:
            return word
        if word in LEGACY_ACTION_TYPES:
            return LEGACY_ACTION_TYPES[word]
        if word in self._by_key:
            return word
        by_name = {t.key for t in self.own if t.name == word}
        if len(by_name) == 1:
            return by_name.pop()
        by_alias = {t.key for t in self.own if word in t.aliases}
        if len(by_alias) == 1:
            return by_alias.pop()
        return None

    def _exact(self, w: str) -> OwnType | None:
        if w in self._by_key:
            return self._by_key[w]
        for t in self.own:
            if w == t.name:
                return t
        for t in self.own:
            if w in t.aliases:
                return t
        return None

    def _own(self, word: str, what: str) -> str | None:
        """The own type a word names: exactly, else as the start of one type's words."""
        w = _normalise(word)
        if not w:
            return None
        exact = self._exact(w)
        if exact is not None:
            return exact.key
        matches = [t for t in self.own if any(x.startswith(w) for x in t.words)]
        if len(matches) == 1:
            return matches[0].key
        if len(matches) > 1:
            options = " or ".join(t.name for t in matches)
            raise UsageError(
                f"The {what} '{excerpt(word)}' could be {options}; type a few more letters."
            )
        return None

    def _suggest(self, word: str, keys: tuple[str, ...], aliases: dict[str, str]) -> str:
        own_words = {w: t.name for t in self.own for w in t.words if w != t.name}
        return suggest(word, (*keys, *(t.name for t in self.own)), {**aliases, **own_words})

    def _choose(self) -> str:
        active = [t for t in self.own if not t.retired]
        if not active:
            return CHOOSE_ACTIVITY
        mine = ", ".join(t.name for t in active)
        return CHOOSE_ACTIVITY.replace(
            "; or a pillar:", f"; one of your own: {mine}; or a pillar:", 1
        )

    # -- names for new types

    def check_name(self, word: str, *, owner: str | None = None, what: str = "name") -> str:
        """A new name or alias for an own type (`owner`, the type's key, or None for a new
        one): a usage error that says what it clashes with."""
        w = word.strip()
        if not NAME_RULE.fullmatch(w):
            raise UsageError(f"A type's {what} is {NAME_HINT}; '{excerpt(word)}' is not.")
        if w in RESERVED:
            raise UsageError(f"'{w}' is reserved (it means something else to ally); "
                             "choose another.")  # fmt: skip
        if w in PILLARS:
            raise UsageError(f"'{w}' is a pillar; choose another {what}.")
        if w in ACTION_TYPES:
            raise UsageError(f"'{w}' is a built-in action type; choose another {what}.")
        if w in ALIASES:
            raise UsageError(f"'{w}' is already a word for {ALIASES[w]}; choose another {what}.")
        builtin = [*ACTION_TYPES, *PILLARS, *ALIASES]
        started = sorted({ALIASES.get(b, b) for b in builtin if b.startswith(w)})
        if started:
            raise UsageError(
                f"'{w}' is the start of {' and '.join(started)}, which it keeps naming; "
                f"choose a longer {what}."
            )
        for t in self.own:
            if t.key == owner:
                continue
            if w == t.name:
                raise UsageError(f"'{w}' is already the name of your type; choose another {what}.")
            if w in t.words:
                raise UsageError(f"'{w}' is already a word for your type {t.name}; "
                                 f"choose another {what}.")  # fmt: skip
        return w

    def with_type(self, changed: OwnType) -> Kinds:
        """These kinds with one own type added or replaced (by key)."""
        return Kinds((*(t for t in self.own if t.key != changed.key), changed))


BUILT_IN = Kinds()


def resolve_activity(word: str, kinds: Kinds = BUILT_IN) -> Activity:
    return kinds.resolve_activity(word)


def resolve_action_type(word: str, kinds: Kinds = BUILT_IN) -> str:
    return kinds.resolve_action_type(word)


def parse_type(obj: Mapping[str, Any], where: str) -> OwnType:
    """An `action_type` object from a jsonl file or the sync hub, validated; the error
    (a DataFileError) names where it came from."""
    from allycli.core.errors import DataFileError

    def bad(why: str) -> DataFileError:
        return DataFileError(f"{where}: {why}; nothing was imported.")

    missing = TYPE_KEYS - set(obj)
    if missing:
        raise bad(f"missing {', '.join(sorted(missing))}")
    unknown = set(obj) - TYPE_KEYS
    if unknown:
        raise bad(f"unknown field {', '.join(sorted(map(str, unknown)))[:60]}")
    key, name = obj["key"], obj["name"]
    if not isinstance(key, str) or not NAME_RULE.fullmatch(key):
        raise bad(f"an action type's 'key' must be {NAME_HINT}")
    if key in ACTION_TYPES or key in PILLARS or key in RESERVED:
        raise bad("an action type's 'key' must not be a built-in type, a pillar or reserved")
    if obj["id"] != type_id(key):
        raise bad("an action type's 'id' must be the one derived from its key")
    if not isinstance(name, str) or not NAME_RULE.fullmatch(name):
        raise bad(f"an action type's 'name' must be {NAME_HINT}")
    if obj["pillar"] not in PILLARS:
        raise bad(f"'pillar' must be one of {', '.join(PILLARS)}")
    about = from_file(obj, "about", optional_text, where)
    if about is not None and len(about) > ABOUT_LIMIT * 4:
        raise bad("'about' must be text or null")
    aliases = obj["aliases"]
    if not isinstance(aliases, list) or any(
        not isinstance(a, str) or not NAME_RULE.fullmatch(a) for a in aliases
    ):
        raise bad(f"'aliases' must be a list of words, each {NAME_HINT}")
    if not isinstance(obj["retired"], bool):
        raise bad("'retired' must be true or false")
    updated = from_file(obj, "updated_at", instant, where)
    return OwnType(key, name, obj["pillar"], about, tuple(aliases), obj["retired"], updated)


def merged_kinds(kinds: Kinds, types: Iterable[OwnType]) -> Kinds:
    """Kinds with `types` (from a file) added; one that the journal holds already is kept
    as the journal holds it, except for a type the journal does not know."""
    known = {t.key for t in kinds.own}
    added = {t.key: t for t in types if t.key not in known}
    return Kinds((*kinds.own, *added.values()))
