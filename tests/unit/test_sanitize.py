"""The one sanitizing module: exact cases for each place text goes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allycli.core import sanitize


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("a\x00b\x7fc\x9bd", "a\\x00b\\x7fc\\x9bd"),
        ("rtl \u202eevil\u202c", "rtl \\u202eevil\\u202c"),
        ("keeps\nnewline\tand tab", "keeps\nnewline\tand tab"),
        ("crlf\r\nline", "crlf\nline"),
        ("lone\rcr", "lone\\x0dcr"),
        ("isolate \u2067rtl\u2069", "isolate \u2067rtl\u2069"),
    ],
)
def test_visible(raw: str, shown: str) -> None:
    assert sanitize.visible(raw) == shown


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("# heading", "\\# heading"),
        ("> quote", "\\> quote"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("* item", "\\* item"),
        ("12. item", "12\\. item"),
        ("3) item", "3\\) item"),
        ("===", "\\==="),
        ("    code", "\u00a0\u00a0\u00a0\u00a0code"),
        ("```", "\\`\\`\\`"),
        ("[a](http://x)", "\\[a\\](http://x)"),
        ("<b>&amp;</b>", "\\<b\\>\\&amp;\\</b\\>"),
        ("*em* _em_ ~~s~~ | t", "\\*em\\* \\_em\\_ \\~\\~s\\~\\~ \\| t"),
        ("back\\slash", "back\\\\slash"),
        ("plain words.", "plain words."),
        ("two\n# lines", "two\n\\# lines"),
        ("esc \x1b]0;t\x07", "esc \\x1b\\]0;t\\x07"),
    ],
)
def test_markdown(raw: str, shown: str) -> None:
    assert sanitize.markdown(raw) == shown


@pytest.mark.parametrize(
    ("raw", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "\\x0d=1"),  # a carriage return is shown as an escape, so it starts no formula
        ("a=1", "a=1"),
        ("", ""),
        ("2026-11-25", "2026-11-25"),
    ],
)
def test_csv_cell(raw: str, cell: str) -> None:
    assert sanitize.csv_cell(raw) == cell


def test_json_text_escapes_what_json_dumps_leaves() -> None:
    text = sanitize.json_text({"k\u202e": "\x1b\x7f\x85\u2066\u2028 é"})
    assert text == '{"k\\u202e": "\\u001b\\u007f\\u0085\\u2066\\u2028 é"}'


@given(st.recursive(st.text(), lambda c: st.lists(c) | st.dictionaries(st.text(), c)))
def test_json_text_is_lossless(value: object) -> None:
    assert json.loads(sanitize.json_text(value)) == value
    assert json.loads(sanitize.json_text(value, indent=2)) == value
