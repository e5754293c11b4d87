"""Flag reasons and evidence messages in Chinese, from one gettext catalogue.

A flag's reason is raised in English, from a message marked ``N_`` in the code: the English
text with named fields, filled with the measured values (``N_("modified {when}, after the exam
ended").format(when=...)``). The catalogue ``zh_CN/LC_MESSAGES/grader.po`` gives each message
its Chinese, with the same fields; ``grader.mo`` beside it is what the grader reads (compiled
from the .po by ``tools/catalogue.py``, which needs Babel; a centre that corrects a
translation edits the .po and compiles it again).

``zh`` finds the message a reason was made from, by matching the English text against each
message's fields, and fills the Chinese with the same values; a value that is itself a message
(the reader's reason inside an ``unreadable-file`` flag) is translated too. A reason no message
makes is returned as it is. The flag record keeps one text, the English one, so that a decision
recorded by an examiner names the same flag on every run and every results folder.

An evidence message is said in both languages where it is made: ``say`` fills a message's English
and its Chinese from the catalogue with the same values (an evidence message is held with the
context ``evidence``, looked up by its exact text, never matched against a flag's reason), and a value that is itself said in both
(a ``Said``: a problem found inside the message) gives its English to the English and its Chinese
to the Chinese. A translation may leave out fields of its message (a shorter Chinese); a message
the catalogue does not hold, or a translation that cannot be filled, is said in English twice.

>>> zh("modified 2026-11-25 11:02:07+08:00, after the exam ended")
'修改时间 2026-11-25 11:02:07+08:00，晚于考试结束时间'
>>> zh("holds binary data, not text in any encoding")
'内容为二进制数据，不是任何编码的文本'
>>> zh("no message makes this")
'no message makes this'
>>> N_("{count} folders") == "{count} folders"
True
>>> say("{label} equals the materials'", label=say("ID number"))
Said(en="ID number equals the materials'", zh='身份证号与材料一致')
>>> say("no message makes {this}", this=1)
Said(en='no message makes 1', zh='no message makes 1')
"""
from __future__ import annotations

import re
import string
import struct
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

DOMAIN = "grader"
LOCALE = "zh_CN"
EVIDENCE = "evidence"  # the context of an evidence message in the catalogue
CONTEXT = "\x04"  # what separates a message's context from its msgid in a compiled catalogue
DEPTH = 3  # messages inside messages inside messages: as deep as the grader nests reasons
LONGEST = 4000  # characters: a longer reason (a runaway exception text) is not matched, only shown


def N_(msgid: str) -> str:
    """Mark ``msgid`` as a message of the catalogue; it is returned unchanged."""
    return msgid


class Message(NamedTuple):
    """One message of the catalogue: the English with its fields, the Chinese, and the pattern that
    finds the English in a reason."""

    msgid: str
    msgstr: str
    pattern: re.Pattern[str]

    def literal_length(self) -> int:
        return sum(len(literal) for literal, _, _, _ in string.Formatter().parse(self.msgid))


def fields(text: str) -> list[str]:
    """The names of a message's fields, in order, a field used twice named twice."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def pattern_of(msgid: str) -> re.Pattern[str]:
    """The regular expression that matches every text the message can make."""
    parts, seen = [], set()
    for literal, name, _, _ in string.Formatter().parse(msgid):
        parts.append(re.escape(literal))
        if name is None:
            continue
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
    return re.compile("".join(parts), re.DOTALL)


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with each field replaced by its value as text (format specs were applied when
    the English was made; the values are that text)."""
    out = []
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(literal)
        if name is not None:
            out.append(values[name])
    return "".join(out)


def read_mo(data: bytes) -> dict[str, str]:
    """The messages of a compiled catalogue (GNU .mo), without its header entry."""
    order = "<" if data[:4] == b"\xde\x12\x04\x95" else ">"
    _, count, ids_at, strs_at = struct.unpack(order + "4I", data[4:20])
    catalogue = {}
    for i in range(count):
        id_length, id_offset = struct.unpack(order + "2I", data[ids_at + 8 * i:ids_at + 8 * i + 8])
        str_length, str_offset = struct.unpack(order + "2I", data[strs_at + 8 * i:strs_at + 8 * i + 8])
        msgid = data[id_offset:id_offset + id_length].decode("utf-8")
        if msgid:
            catalogue[msgid] = data[str_offset:str_offset + str_length].decode("utf-8")
    return catalogue


def mo_path() -> resources.abc.Traversable:
    return resources.files(__name__) / LOCALE / "LC_MESSAGES" / f"{DOMAIN}.mo"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, str]:
    """The compiled catalogue: each msgid (an evidence message's behind its context) and its Chinese."""
    return read_mo(mo_path().read_bytes())


@lru_cache(maxsize=1)
def messages() -> tuple[Message, ...]:
    """The catalogue's flag reasons, the most specific first (the most literal text), so that a
    message whose fields could swallow another's words is tried after it."""
    found = [Message(msgid, msgstr, pattern_of(msgid)) for msgid, msgstr in sorted(catalogue().items())
             if msgstr and CONTEXT not in msgid]
    return tuple(sorted(found, key=lambda m: -m.literal_length()))


def match(text: str) -> tuple[Message, dict[str, str]] | None:
    """The message ``text`` was made from and the values of its fields; None when none makes it."""
    for message in messages():
        found = message.pattern.fullmatch(text)
        if found is not None:
            return message, found.groupdict()
    return None


class Said(NamedTuple):
    """One message said in English and in Chinese, filled with its values."""

    en: str
    zh: str


def say(msgid: str, /, **values: object) -> Said:
    """The message ``msgid`` (marked ``N_`` where it is written) in English and in Chinese, each
    filled with ``values``; a ``Said`` value fills each language with its own text."""
    english = msgid.format(**{name: v.en if isinstance(v, Said) else v for name, v in values.items()})
    msgstr = catalogue().get(EVIDENCE + CONTEXT + msgid)
    if not msgstr:
        return Said(english, english)
    try:
        chinese = msgstr.format(**{name: v.zh if isinstance(v, Said) else v for name, v in values.items()})
    except (KeyError, IndexError, ValueError, AttributeError):  # a translation edited out of step with its message
        chinese = english
    return Said(english, chinese)


def zh(text: str, depth: int = DEPTH) -> str:
    """The Chinese of a reason made from a message of the catalogue; ``text`` itself otherwise."""
    found = match(text) if depth > 0 and len(text) <= LONGEST else None
    if found is None:
        return text
    message, values = found
    return fill(message.msgstr, {name: zh(value, depth - 1) for name, value in values.items()})
