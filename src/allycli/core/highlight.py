"""Where the searched words are in an entry's original text. Pure: no I/O.

Search matches on the folded copy of the text (folding.fold); to highlight, each original
character is folded on its own, remembering which character every folded one came from,
so a match in the folded text maps back to a span of the original (`cafe` marks `Café`,
`strasse` marks `Straße`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from allycli.core.folding import fold


def spans(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans of `text` where folded `words` occur."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in fold(ch):
            chars.append(c)
            origin.append(i)
    folded = "".join(chars)
    found: list[tuple[int, int]] = []
    for word in words:
        if not word:
            continue
        at = folded.find(word)
        while at != -1:
            end = at + len(word)
            start, stop = origin[at], origin[end - 1] + 1
            while stop < len(text) and unicodedata.combining(text[stop]):
                stop += 1  # the accent belongs to the letter it follows
            found.append((start, stop))
            at = folded.find(word, end)
    merged: list[tuple[int, int]] = []
    for start, stop in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
        else:
            merged.append((start, stop))
    return merged
