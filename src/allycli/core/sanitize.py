"""Stored text made safe for where it goes: a terminal, markdown, csv, JSON, an error message.

Notes, answers and prompts come from people and from files; printed raw, an escape sequence
can retitle a window, clear the screen or write the clipboard, and a bidi override can make
text read differently from what it holds. Every output goes through one function here:

- `for_terminal`: control characters and bidi overrides become U+FFFD (list, report, ...);
- `visible`: they become escapes a person can read, `\\x1b` or `\\u202e` (md and csv exports);
- `markdown`: Markdown syntax in user text is escaped, so a note stays a note;
- `csv_cell`: a cell that a spreadsheet would run as a formula starts with a quote (OWASP);
- `json_text`: JSON with those characters as `\\uXXXX`, which is still lossless;
- `one_line`: a whole error message on one line, every control character visible.

Pure: no I/O.
"""

from __future__ import annotations

import json
import re

REPLACEMENT = "\ufffd"
# Bidi embeddings and overrides: they reorder everything after them, up to the end of the
# line, so text reads differently from what it holds ("Trojan Source"). Isolates and marks
# (U+2066-U+2069, U+200E, U+200F, U+061C) are how right-to-left text is written well; they
# are shown, and escaped only in JSON, where that costs nothing.
_OVERRIDES = "\u202a-\u202e"
_BIDI = f"\u061c\u200e\u200f{_OVERRIDES}\u2066-\u2069"
# C0 controls but tab and newline, DEL, C1 controls (CSI, OSC, ... in 8-bit form), overrides.
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_OVERRIDES}]")
_CONTROL_OR_SPACE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")
# What json.dumps leaves as it is (it escapes C0 itself) but a terminal would act on.
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_BIDI}\u2028\u2029]")
# Characters that can start Markdown syntax anywhere in a line.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>~|&!])")
# What can make a line a heading, quote, list, table, code fence or setext underline.
_MD_LINE_START = re.compile(r"^([#>+\-=*:~`|]|\d{1,9}(?=[.)]))")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escaped(ch: str) -> str:
    """One character as a visible escape a person can read: `\\n`, `\\x1b`, `\\u202e`."""
    code = ord(ch)
    if code == 0x0A:
        return "\\n"
    if code == 0x09:
        return "\\t"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _escape(match: re.Match[str]) -> str:
    return escaped(match.group())


def for_terminal(text: str) -> str:
    """`text` with every control character but newline and tab, and every bidi override,
    replaced by U+FFFD."""
    return _CONTROL.sub(REPLACEMENT, text.replace("\r\n", "\n"))


def visible(text: str) -> str:
    """`text` with every control character but newline and tab, and every bidi override, as
    a visible escape."""
    return _CONTROL.sub(_escape, text.replace("\r\n", "\n"))


def one_line(text: str) -> str:
    """`text` on one line with every control and bidi character visible (error messages)."""
    return _CONTROL_OR_SPACE.sub(_escape, text)


def markdown(text: str) -> str:
    """User text as Markdown that shows it as it is: never a heading, list, quote, code block,
    table, link or HTML. Leading spaces become no-break spaces (indentation stays visible
    without starting a code block)."""
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        body = line.lstrip(" \t")
        indent = "\u00a0" * (len(line) - len(body))
        body = _MD_INLINE.sub(r"\\\1", body)
        body = _MD_LINE_START.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit()
                                  else "\\" + m.group(1), body)  # fmt: skip
        lines.append(indent + body)
    return visible("\n".join(lines))


def csv_cell(text: str) -> str:
    """A csv cell that shows control characters as escapes and that no spreadsheet runs as
    a formula: a cell that begins with =, +, -, @, tab or carriage return gets a leading '."""
    shown = visible(text)
    return "'" + shown if shown.startswith(FORMULA_START) else shown


def json_text(obj: object, indent: int | None = None) -> str:
    """JSON (UTF-8 text, not ASCII-escaped) in which no character can drive a terminal."""
    text = json.dumps(obj, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
