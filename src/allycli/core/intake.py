"""Text a person gives ally (typed, piped, edited or passed as a flag), made storable.

Pure: it refuses what cannot be stored faithfully and normalizes line ends, nothing more.
Messages name what was refused, never the text itself.
"""

from __future__ import annotations

from allycli.core.errors import UsageError


def storable(text: str, what: str) -> str:
    """`text` with CRLF line ends made LF; refuses lone surrogates and NUL characters."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(
            f"The {what} contains characters that are not valid text (such as a lone "
            "surrogate); nothing was saved."
        ) from None
    if "\x00" in text:
        raise UsageError(
            f"The {what} contains a NUL character, which ally does not store; nothing was saved."
        )
    return text.replace("\r\n", "\n")
