"""Reflection and learning prompts: load and validate the YAML, choose prompts.

Loading reads files (the caller names them); choosing is pure and takes `today`.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from allycli.core.errors import DataFileError, UsageError
from allycli.core.fields import excerpt
from allycli.core.taxonomy import ACTION_TYPES, NAME_RULE, PILLARS, Kinds

KINDS = ("reflection", "learning")
_FIELDS = {"id", "kind", "pillar", "action_type", "text", "themes"}

# The themes a prompt may carry: first the oppressions the source text names (it asks for
# speaking out against what is "racist, sexist, homophobic, transphobic, xenophobic, ableist,
# ageist, and misogynist"), then the further ones a practice meets. The set is fixed, so that
# shell completion can offer it without reading a prompts file.
OPPRESSIONS = (
    "racism", "sexism", "misogyny", "homophobia", "transphobia", "xenophobia", "ableism", "ageism",
)  # fmt: skip
THEMES = (
    *OPPRESSIONS,
    "class", "colonialism", "antisemitism", "islamophobia", "intersectionality",
    "accountability", "consent", "safety", "access", "systems", "rest",
)  # fmt: skip


@dataclass(frozen=True)
class Prompt:
    id: str
    kind: str
    pillar: str
    action_type: str | None  # a built-in type's key, or a word naming one's own type
    text: str
    themes: tuple[str, ...] = ()
    # "The prompts file F, item N": where a warning about it points
    where: str = dataclasses.field(default="", compare=False)


def parse(raw: str, path: Path) -> list[Prompt]:
    """The prompts of one file's text (YAML), validated; `path` names it in messages."""
    import yaml  # heavy: only when prompts are needed

    # libyaml's safe loader when PyYAML was built with it: the same documents, in a seventh
    # of the time (`ally today` and `reflect` parse the prompts on every run)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(raw, Loader=loader)  # a safe loader, C or Python
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise DataFileError(
            f"The prompts file {path} is not valid YAML{where}; fix it or move it aside."
        ) from None
    items = data.get("prompts") if isinstance(data, dict) else data
    if data is None:
        return []
    if not isinstance(items, list):
        raise DataFileError(f"The prompts file {path} must hold a list under the key 'prompts'.")
    prompts: list[Prompt] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        prompt = _validate(item, f"The prompts file {path}, item {number}")
        if prompt.id in seen:
            raise DataFileError(
                f"The prompts file {path}, item {number}: the id '{excerpt(prompt.id)}' is "
                "used twice."
            )
        seen.add(prompt.id)
        prompts.append(prompt)
    return prompts


def _validate(item: object, where: str) -> Prompt:
    if not isinstance(item, dict):
        raise DataFileError(f"{where} is not a mapping of id, kind, pillar and text.")
    unknown = set(item) - _FIELDS
    if unknown:
        shown = ", ".join(excerpt(str(k)) for k in sorted(map(str, unknown))[:3])
        more = f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
        raise DataFileError(f"{where} has unknown fields: {shown}{more}.")
    for field in ("id", "kind", "pillar", "text"):
        value = item.get(field)
        if not isinstance(value, str) or not value.strip():
            raise DataFileError(f"{where} needs a non-empty text '{field}'.")
    pid = item["id"].strip()
    if any(ch.isspace() for ch in pid) or not pid.isprintable():
        raise DataFileError(f"{where}: the id must be one word without spaces.")
    if item["kind"] not in KINDS:
        raise DataFileError(f"{where}: kind must be one of {', '.join(KINDS)}.")
    if item["pillar"] not in PILLARS:
        raise DataFileError(f"{where}: pillar must be one of {', '.join(PILLARS)}.")
    action_type = item.get("action_type")
    if action_type is not None and (
        not isinstance(action_type, str) or not NAME_RULE.fullmatch(action_type)
    ):
        raise DataFileError(
            f"{where}: action_type must be one of {', '.join(ACTION_TYPES)}, or the name of "
            "an action type of your own."
        )
    return Prompt(
        id=pid,
        kind=item["kind"],
        pillar=item["pillar"],
        action_type=action_type,
        text=" ".join(item["text"].split()),
        themes=_themes(item.get("themes"), where),
        where=where,
    )


def with_kinds(prompts: Sequence[Prompt], kinds: Kinds) -> tuple[tuple[Prompt, ...], list[str]]:
    """The prompts whose action type the journal knows (an own type's name or alias read as
    its key), and a one-line warning for each prompt left aside because its type is unknown."""
    kept: list[Prompt] = []
    warnings: list[str] = []
    for p in prompts:
        if p.action_type is None or p.action_type in ACTION_TYPES:
            kept.append(p)
            continue
        key = kinds.file_key(p.action_type)
        if key is None:
            warnings.append(
                f"{p.where or 'A prompts file'}: no action type is named "
                f"'{excerpt(p.action_type)}', so the prompt {excerpt(p.id)} is left aside."
            )
            continue
        kept.append(p if key == p.action_type else replace(p, action_type=key))
    return tuple(kept), warnings


def _themes(value: object, where: str) -> tuple[str, ...]:
    """A prompt's themes: a list (possibly empty) from the fixed set, each named once."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise DataFileError(f"{where}: themes must be a list such as [racism, access].")
    for theme in value:
        if theme not in THEMES:
            raise DataFileError(
                f"{where}: no theme '{excerpt(theme)}'. Choose from: {', '.join(THEMES)}."
            )
    return tuple(dict.fromkeys(value))


def resolve_theme(name: str) -> str:
    """The theme `name` names, whatever its case; anything else is a usage error."""
    word = name.strip().lower()
    if word in THEMES:
        return word
    raise UsageError(f"No theme '{excerpt(name)}'. Choose one of: {', '.join(THEMES)}.")


def of_theme(prompts: Sequence[Prompt], theme: str) -> list[Prompt]:
    """The reflection prompts that carry `theme`, in id order: the theme's pool."""
    return sorted(
        (p for p in prompts if p.kind == "reflection" and theme in p.themes), key=lambda p: p.id
    )


def theme_of_the_day(prompts: Sequence[Prompt], today: date, theme: str) -> Prompt:
    """The reflection prompt for `today` from one theme's pool, for `reflect --theme`.

    The same rotation as the prompt of the day, without the lean: the pool's entry at the
    day's number modulo the pool's size, so a pool of n prompts brings one back n days later.
    """
    pool = of_theme(prompts, theme)
    if not pool:
        raise DataFileError(
            f"No reflection prompt carries the theme '{theme}'; check your prompts files."
        )
    return pool[today.toordinal() % len(pool)]


def find(prompts: Sequence[Prompt], prompt_id: str) -> Prompt | None:
    return next((p for p in prompts if p.id == prompt_id), None)


def pillar_order(last_practiced: Mapping[str, date], today: date) -> list[str]:
    """Pillars from least recently practiced (never first) to most recent."""
    return sorted(
        PILLARS,
        key=lambda p: (p in last_practiced, last_practiced.get(p, date.min), PILLARS.index(p)),
    )


# How strongly the prompt of the day leans toward the least recently practiced pillar:
# weights by rank, least recent first.
LEAN = (6, 2, 1, 1)


def prompt_of_the_day(
    prompts: Sequence[Prompt],
    today: date,
    last_practiced: Mapping[str, date],
    logged_types: Collection[str] = (),
) -> Prompt:
    """The reflection prompt for `today`: the same all day, leaning to the neglected pillar.

    The pillar is drawn with a lean toward the one practiced least recently. Its pool is the
    pillar's own reflection prompts plus those of the action types in `logged_types` (the
    types logged at least once), in id order, and the day's prompt is the pool's entry at the
    day's number modulo the pool's size: while the pool stays the same, a pool of n prompts
    brings a prompt back n days later at the soonest, whether or not it was answered.
    `last_practiced` and `logged_types` must describe entries made before the day began, so
    that what is recorded during the day, here or on another machine, does not change the
    day's prompt.
    """
    reflections = sorted((p for p in prompts if p.kind == "reflection"), key=lambda p: p.id)
    if not reflections:
        raise DataFileError("There are no reflection prompts; check your prompts files.")
    logged = frozenset(logged_types)
    pools = {
        pillar: [
            p for p in _of(reflections, pillar) if not p.action_type or p.action_type in logged
        ]
        for pillar in PILLARS
    }
    if not any(pools.values()):  # only action-type prompts, none of a logged type
        pools = {pillar: _of(reflections, pillar) for pillar in PILLARS}
    order = [p for p in pillar_order(last_practiced, today) if pools[p]]
    rng = random.Random(today.toordinal())
    pillar = rng.choices(order, weights=LEAN[: len(order)])[0]
    pool = pools[pillar]
    return pool[today.toordinal() % len(pool)]


def another(prompts: Sequence[Prompt], exclude: str, seed: int | None = None) -> Prompt:
    """Any reflection prompt but `exclude`, for `ally reflect --another`."""
    pool = sorted(
        (p for p in prompts if p.kind == "reflection" and p.id != exclude), key=lambda p: p.id
    )
    if not pool:
        raise DataFileError("There is no other reflection prompt to offer.")
    return random.Random(seed).choice(pool)


def learning_for(
    prompts: Sequence[Prompt],
    gaps: Sequence[tuple[str, str]],
    seed: int,
    limit: int = 3,
    pillar_of: Mapping[str, str] | None = None,
) -> tuple[Prompt, ...]:
    """One learning prompt for each of the first gaps that has any, up to `limit`.

    `gaps` are (kind, category) pairs, most neglected first. The choice within a
    category is fixed by `seed` (the period's start), so a report reads the same
    each time it is run. An action type of one's own (in `pillar_of`, with its pillar)
    that no prompt names is served by its pillar's learning prompts.
    """
    learning = sorted((p for p in prompts if p.kind == "learning"), key=lambda p: p.id)
    chosen: list[Prompt] = []
    rng = random.Random(seed)
    for kind, category in gaps:
        if kind == "pillar":
            pool = [p for p in learning if p.pillar == category and p.action_type is None]
        else:
            pool = [p for p in learning if p.action_type == category]
            if not pool and pillar_of and category in pillar_of:
                pool = [
                    p for p in learning if p.pillar == pillar_of[category] and p.action_type is None
                ]
        if pool:
            chosen.append(rng.choice(pool))
        if len(chosen) == limit:
            break
    return tuple(chosen)


def _of(prompts: Sequence[Prompt], pillar: str) -> list[Prompt]:
    return [p for p in prompts if p.pillar == pillar]
