"""Console output that survives the console's encoding.

A Chinese Windows console writes GBK, which has no ✓, ✗ or ›; printing them there raises
UnicodeEncodeError. ``echo`` writes each character the stream's encoding can show as it is
(Chinese stays Chinese under GBK) and each one it cannot as a plain mark, else ``?``:

>>> printable("✓ 一致 › ✗ ¥5", "gbk")
'OK 一致 > X ￥5'
>>> printable("✓ 一致 — …", "ascii")
'OK ?? - ...'
"""
from __future__ import annotations

import codecs
import sys
import unicodedata

import click

# Stand-ins, best first, for characters a console encoding may lack.
MARKS = {
    "✓": ("OK",), "✗": ("X",), "›": (">",), "✎": ("*",), "…": ("...",), "→": ("->",),
    "—": ("-",), "–": ("-",), "‒": ("-",), "‑": ("-",), "−": ("-",), "×": ("x",), "·": (".",),
    "≥": (">=",), "≤": ("<=",), "¥": ("￥", "CNY "), "￥": ("CNY ",),
}


def printable(text: str, encoding: str) -> str:
    """``text`` with every character ``encoding`` cannot encode replaced by its mark, else ``?``."""
    try:
        text.encode(encoding)
        return text
    except UnicodeEncodeError:
        return "".join(_shown(ch, encoding) for ch in text)


def _shown(ch: str, encoding: str) -> str:
    for option in (ch, *MARKS.get(ch, ()), unicodedata.normalize("NFKC", ch)):
        try:
            option.encode(encoding)
            return option
        except UnicodeEncodeError:
            continue
    return "?"


def stream_encoding(stream: object) -> str:
    """The stream's encoding by its codec's name; UTF-8 when the stream names none or an unknown one."""
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name
    except LookupError:
        return "utf-8"


def echo(text: str, err: bool = False, nl: bool = True) -> None:
    """Print ``text`` to stdout (stderr with ``err``) so that the stream's encoding can take it."""
    stream = sys.stderr if err else sys.stdout
    click.echo(printable(text, stream_encoding(stream)), err=err, nl=nl)
