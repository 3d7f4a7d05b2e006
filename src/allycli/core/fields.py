"""The shapes of the values ally takes, decided once for every door: the command line,
import and sync.

A note or answer, a number of minutes, a day, an instant, an id or the start of one, a
pause's span. Each check returns the value as ally keeps it, or raises FieldError with the
reason as a phrase ("contains a NUL character, which ally does not store") that each door
puts in its own sentence: the command line names the text or the flag ("The note contains
...; nothing was saved."), import names the file, line and field ("FILE, line 3: 'note'
contains ...; nothing was imported."). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from allycli.core.errors import DataFileError, UsageError
from allycli.core.sanitize import escaped

MAX_MINUTES = 24 * 60  # minutes in a day: one entry never holds more
MAX_PAUSE_DAYS = 366  # a pause lasts at most a year, a leap year included
ID_PREFIX_LENGTH = 4  # an id may be given by its first 4 or more characters
EXCERPT_LENGTH = 40  # what an error message may show of a word it refuses

_HEX = frozenset("0123456789abcdef-")
T = TypeVar("T")


class FieldError(ValueError):
    """A value of the wrong shape; `why` completes a sentence that names the field."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


# -- text ----------------------------------------------------------------------------------


def text(value: str, *, given: bool = True) -> str:
    """Text as ally keeps it. NUL and lone surrogates cannot be stored faithfully and are
    refused. A text a person gives (typed, piped, edited or passed as a flag) has its CRLF
    line ends made LF; one read from a file or the hub (`given=False`) is kept as written,
    so that an export read back, or a version from another machine, is the same version."""
    _encodable(value)
    if "\x00" in value:
        raise FieldError("contains a NUL character, which ally does not store")
    return value.replace("\r\n", "\n") if given else value


def storable(value: str, what: str) -> str:
    """Text a person gave, made storable (`text`); refused with a usage error that names
    `what` it is ("note", "answer") and never repeats the text."""
    try:
        return text(value)
    except FieldError as exc:
        raise UsageError(f"The {what} {exc.why}; nothing was saved.") from None


def optional_text(value: object) -> str | None:
    """A person's text or null, from a file (`text`, kept as written)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise FieldError("must be text or null")
    return text(value, given=False)


def copied_text(value: object) -> str | None:
    """Text or null that ally copied rather than took from a person (a prompt as it was
    shown, and its id, from a prompts file): kept as written, so that every export reads
    back; only what cannot be stored at all is refused."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise FieldError("must be text or null")
    _encodable(value)
    return value


def _encodable(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise FieldError(
            "contains characters that are not valid text (such as a lone surrogate)"
        ) from None


# -- numbers, days and instants ------------------------------------------------------------


def minutes(value: object) -> int:
    """A whole number of minutes, 1 to 1440 (a day)."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_MINUTES:
        raise FieldError(f"must be a whole number from 1 to {MAX_MINUTES}")
    return value


def day(value: object) -> date:
    """A calendar day written YYYY-MM-DD, exactly."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise FieldError("must be YYYY-MM-DD")


def instant(value: object) -> str:
    """An ISO 8601 time with an offset, kept as written (merges compare it as an instant)."""
    if isinstance(value, str):
        try:
            if datetime.fromisoformat(value).utcoffset() is not None:
                return value
        except ValueError:
            pass
    raise FieldError("must be an ISO 8601 time with an offset")


# -- ids -----------------------------------------------------------------------------------


def object_id(value: object) -> str:
    """A UUID in its usual form (lower case, with dashes), as ally writes every id."""
    import uuid

    try:
        found = str(uuid.UUID(value if isinstance(value, str) else ""))
    except ValueError:
        raise FieldError("must be a UUID") from None
    assert isinstance(value, str)
    if found != value.lower():
        raise FieldError("must be a UUID in its usual form")
    return found


def id_prefix(value: object) -> str:
    """An id or its first 4 or more characters (hex digits and dashes; no id is longer than
    36), in lower case."""
    prefix = value.lower() if isinstance(value, str) else ""
    if not ID_PREFIX_LENGTH <= len(prefix) <= 36 or not set(prefix) <= _HEX:
        raise FieldError(f"must be an id or its first {ID_PREFIX_LENGTH} or more characters")
    return prefix


# -- pauses --------------------------------------------------------------------------------


def pause_days(since: date, until: date) -> int:
    """How many days a pause from `since` to `until` (both included) lasts: 1 to 366."""
    if until < since:
        raise FieldError("ends before it begins")
    days = (until - since).days + 1
    if days > MAX_PAUSE_DAYS:
        raise FieldError(f"lasts at most {MAX_PAUSE_DAYS} days (this one would last {days})")
    return days


# -- what a message may show ---------------------------------------------------------------


def excerpt(value: str, limit: int = EXCERPT_LENGTH) -> str:
    """A short excerpt of a word or text, for a message that names what it refuses without
    repeating it whole: on one line, every character a terminal would act on or not show
    (control, bidi override, line separator) written as a visible escape, at most `limit`
    characters."""
    shown = "".join(ch if ch.isprintable() else escaped(ch) for ch in value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


# -- the doors: one sentence each ----------------------------------------------------------


def from_flag(flag: str, value: Any, check: Callable[[Any], T]) -> T:
    """`value` given to `flag`, as `check` takes it; refused with a usage error that names
    the flag ("--minutes must be a whole number from 1 to 1440.")."""
    try:
        return check(value)
    except FieldError as exc:
        raise UsageError(f"{flag} {exc.why}.") from None


def from_file(
    obj: Mapping[str, Any], key: str, check: Callable[[Any], T], where: str, whose: str = ""
) -> T:
    """`obj[key]` as `check` takes it; refused with a DataFileError that names the file, the
    line and the field ("FILE, line 3: 'minutes' must be ...; nothing was imported.")."""
    try:
        return check(obj[key])
    except FieldError as exc:
        raise DataFileError(f"{where}: {whose}'{key}' {exc.why}; nothing was imported.") from None
