"""Shell completion: what TAB offers, and each shell's own script.

Every TAB runs ally again, so this module stays light: no YAML parse (prompt ids are read
from the prompts files with a regular expression), no SQLModel (entry ids come from
store/entries.py's plain sqlite3, read-only, which never creates a file). Completers take the
word typed so far and return (value, help) pairs; zsh and fish show the help beside each value.

An encrypted journal is read with its key from the key cache alone (`ally unlock`): TAB never
runs ALLY_PASSPHRASE_CMD and never asks, so a locked journal offers nothing. The keyring and
SQLCipher are imported only once a plain read has failed.
"""

from __future__ import annotations

import re
from pathlib import Path

from allycli.shell import output, session

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
FORMATS = (("jsonl", "lossless, one object a line"), ("csv", "for spreadsheets"),
           ("md", "a readable journal"))  # fmt: skip
DATE_WORDS = ("today", "yesterday", "monday", "tuesday", "wednesday", "thursday", "friday",
              "saturday", "sunday")  # fmt: skip
RHYTHM_SPECS = (
    ("1/day", "every day"), ("1/week", "once a week"), ("3/week", "three days a week"),
    ("1/month", "once a month"), ("2/3d", "two days in every three"),
    ("30min/week", "thirty minutes a week"), ("off", "no rhythm, and no gaps"),
    ("default", "back to the default"),
)  # fmt: skip
ENTRY_IDS_SHOWN = 40

_ID = re.compile(r"^\s*-?\s*id:\s*[\"']?([^\"'#\s]+)")
_KIND = re.compile(r"^\s*-?\s*kind:\s*[\"']?(\w+)")


def formats(incomplete: str) -> list[tuple[str, str]]:
    return [(f, h) for f, h in FORMATS if f.startswith(incomplete.lower())]


def dates(incomplete: str) -> list[str]:
    return [w for w in DATE_WORDS if w.startswith(incomplete.lower())]


def rhythm_specs(incomplete: str) -> list[tuple[str, str]]:
    return [(s, h) for s, h in RHYTHM_SPECS if s.startswith(incomplete.lower())]


def prompt_ids(incomplete: str, paths: tuple[Path, ...]) -> list[tuple[str, str]]:
    """Ids of the reflection prompts in the prompts files, read line by line (no YAML)."""
    found: dict[str, str] = {}
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        current = None
        for line in text.splitlines():
            if (m := _ID.match(line)) is not None:
                current = m.group(1)
                found[current] = ""
            elif current is not None and (k := _KIND.match(line)) is not None:
                found[current] = k.group(1)
    return [
        (i, f"{kind} prompt" if kind else "prompt")
        for i, kind in found.items()
        if kind != "learning" and i.startswith(incomplete)
    ]


def entry_ids(incomplete: str, db: Path) -> list[tuple[str, str]]:
    """The newest entries whose id starts with `incomplete`, from a read-only connection.

    A missing or unreadable database offers nothing (and no file is ever created).
    """
    from allycli.core.fields import excerpt
    from allycli.store.entries import completion_ids

    prefix = incomplete.lower()
    rows = completion_ids(db, prefix, ENTRY_IDS_SHOWN)
    if rows is None:  # unreadable in plain: an encrypted journal, read with a cached key
        key = cached_key(db)
        rows = completion_ids(db, prefix, ENTRY_IDS_SHOWN, key) if key is not None else None
    offered = []
    for entry_id, day, kind, pillar, action_type, prompt_id in rows or ():
        if kind == "reflection":
            what = f"reflection {prompt_id or pillar}"
        else:
            what = f"{action_type} ({pillar})" if action_type else pillar
        offered.append((entry_id, f"{day} {excerpt(what)}"))
    return offered


def shell_option(argv: list[str]) -> tuple[str, str] | None:
    """("--show-completion" or "--install-completion", SHELL) when argv names a shell."""
    options = ("--show-completion", "--install-completion")
    if len(argv) >= 2 and argv[0] in options and not argv[1].startswith("-"):
        return argv[0], argv[1]
    return None


def handle_shell_option(option: str, shell: str) -> int:
    """Print or install the named shell's own script; refuse a shell ally cannot complete in."""
    from allycli.core.errors import UsageError
    from allycli.core.fields import excerpt

    if shell not in SHELLS:
        raise UsageError(
            f"ally has no completion for '{excerpt(shell, 20)}'; it completes in bash, zsh "
            "and fish (and PowerShell). Run 'ally --show-completion bash' (or zsh, fish)."
        )
    from typer.completion import get_completion_script, install

    if option == "--show-completion":
        script = get_completion_script(prog_name="ally", complete_var="_ALLY_COMPLETE", shell=shell)
        output.plain(script)
        return 0
    name, path = install(shell=shell, prog_name="ally", complete_var="_ALLY_COMPLETE")
    output.say(
        f"{name} completion installed in {path}; it takes effect in a new shell "
        "(ally must be on your PATH)."
    )
    return 0


# -- the completers that options name (autocompletion=...) ---------------------------------


def own_types(retired: bool = True) -> list[tuple[str, str, bool]]:
    """(word, name, retired) of the journal's own types: one read-only query, no SQLModel."""
    from allycli.store.types import completion_words

    db = session.db_path()
    words = completion_words(db)
    if words is None:  # unreadable in plain: an encrypted journal, read with a cached key
        key = cached_key(db)
        words = completion_words(db, key) if key is not None else None
    return [w for w in words or () if retired or not w[2]]


def cached_key(db: Path) -> bytes | None:
    """An encrypted journal's raw key from the key cache alone, or None: never the
    passphrase command, never a question."""
    from allycli.core.errors import AllyError
    from allycli.shell.unlocking import Unlocker
    from allycli.store.opening import encrypted

    if not encrypted(db):
        return None
    try:
        return Unlocker(ask=False).cached(db)
    except AllyError:  # a `.pub` that cannot be read: offer nothing, say nothing
        return None


def complete_activity(incomplete: str) -> list[str]:
    from allycli.core.taxonomy import ACTION_TYPES, ALIASES, PILLARS

    words = [*ACTION_TYPES, *(p for p in PILLARS if p not in ACTION_TYPES), *ALIASES]
    words += [w for w, _, _ in own_types(retired=False)]
    return [w for w in dict.fromkeys(words) if w.startswith(incomplete.lower())]


def complete_pillar(incomplete: str) -> list[str]:
    from allycli.core.taxonomy import PILLARS

    return [p for p in PILLARS if p.startswith(incomplete.lower())]


def complete_type(incomplete: str) -> list[str]:
    from allycli.core.taxonomy import ACTION_TYPES

    words = [*ACTION_TYPES, *(name for _, name, _ in own_types())]
    return [t for t in dict.fromkeys(words) if t.startswith(incomplete.lower())]


def complete_own_type(incomplete: str) -> list[str]:
    """The names of one's own types, for `ally type rename` and `retire`."""
    names = dict.fromkeys(name for _, name, _ in own_types())
    return [n for n in names if n.startswith(incomplete.lower())]


def complete_theme(incomplete: str) -> list[str]:
    """The themes prompts may carry: a fixed set, so no prompts file is read."""
    from allycli.core.prompts import THEMES

    return [t for t in THEMES if t.startswith(incomplete.lower())]


def complete_date(incomplete: str) -> list[str]:
    return dates(incomplete)


def complete_format(incomplete: str) -> list[tuple[str, str]]:
    return formats(incomplete)


def complete_prompt(incomplete: str) -> list[tuple[str, str]]:
    return prompt_ids(incomplete, session.prompt_paths())


def complete_entry_id(incomplete: str) -> list[tuple[str, str]]:
    """Entry ids for `show`, `edit` and `delete`."""
    return entry_ids(incomplete, session.db_path())


def complete_category(incomplete: str) -> list[str]:
    """What `ally rhythm` takes first: practice, a pillar or an action type."""
    from allycli.core.taxonomy import ACTION_TYPES, PILLARS

    words = ["practice", *PILLARS, *(t for t in ACTION_TYPES if t not in PILLARS)]
    words += [name for _, name, retired in own_types() if not retired]
    return [w for w in dict.fromkeys(words) if w.startswith(incomplete.lower())]


def complete_rhythm_spec(incomplete: str) -> list[tuple[str, str]]:
    return rhythm_specs(incomplete)
