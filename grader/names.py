"""Candidate names: the name shown, and the result id that a candidate's files are named by.

A folder name comes from the disc as Python gives it: a ``str`` that holds lone surrogates
where the bytes were not UTF-8 (a disc burned on a Chinese Windows server holds GBK names).
``display_name`` turns it into text that can be written anywhere; ``result_stem`` into a file
stem that no other name shares, that no file system refuses and that stays readable:

* a plain name (lower-case ASCII letters, digits, ``_ . -`` and Chinese characters, at most
  64 characters, not ending in ``.``, not a name Windows reserves) is its own stem;
* any other name becomes a readable part (characters a file name cannot hold replaced,
  at most 40 characters) + ``~`` + the first 8 hex digits of the sha256 of the name's bytes.

``result_ids`` then makes the stems of one disc distinct even where a file system ignores
case (``ks01`` at the root and ``考生数据/ks01``): each of the stems that still clash gets the
hash of its folder's path on the disc as well.

>>> result_stem("ks01"), result_stem("考生01")
('ks01', '考生01')
>>> result_stem("ks:01"), result_stem("ks_01")
('ks_01~5de7005e', 'ks_01')
>>> result_stem("KS02"), result_stem(" ks04"), result_stem("CON"), result_stem("nul.txt")
('KS02~899027cd', 'ks04~15170c95', 'CON~a3dbc4b6', '_nul.txt~7f3cbdd5')
>>> import os
>>> display_name(os.fsdecode("张三".encode("gbk"))), display_name(os.fsdecode(b"ks\\xff"))
('张三', 'ks\\ufffd')
>>> result_ids([("ks01", "ks01"), ("ks01", "考生数据/ks01"), ("ks02", "ks02")])
['ks01~2c5b37be', 'ks01~bacedf49', 'ks02']
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

MAX_PLAIN = 64  # characters of a name used as its own stem
MAX_READABLE = 40  # characters of a name kept before its hash
HASH_DIGITS = 8

_CHINESE = "\u3400-\u4dbf\u4e00-\u9fff"
PLAIN = re.compile(f"[a-z0-9{_CHINESE}][a-z0-9_.\\-{_CHINESE}]{{0,{MAX_PLAIN - 1}}}")
UNSAFE = set('/\\:*?"<>|')
# Windows refuses these as file names, in any case and whatever the extension (NUL.txt is NUL)
RESERVED = {"con", "prn", "aux", "nul", *(f"{p}{n}" for p in ("com", "lpt") for n in "0123456789¹²³")}


def name_key(name: str) -> str:
    """What two spellings of one user name share (full-width letters, case, spaces around)."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def name_bytes(name: str) -> bytes:
    """The bytes a name had on the disc (lone surrogates stand for bytes that were not UTF-8)."""
    try:
        return name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file system made: kept as its code
        return name.encode("utf-8", "surrogatepass")


def decode_name(name: str) -> tuple[str, str]:
    """The name as text and the encoding it was read in: UTF-8, else GB18030 (what a Chinese
    Windows server writes), else UTF-8 with U+FFFD for the bytes that are neither."""
    raw = name_bytes(name)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace"), "utf-8 with U+FFFD"


def display_name(name: str) -> str:
    """The name as it is shown and matched against the roster."""
    return decode_name(name)[0]


def display_path(path: str) -> str:
    """A path (``/`` between its parts) as shown: each part read as ``display_name`` reads a name."""
    return "/".join(display_name(part) for part in path.split("/"))


def digest(text: str) -> str:
    return hashlib.sha256(name_bytes(text)).hexdigest()[:HASH_DIGITS]


def is_reserved(name: str) -> bool:
    return name.split(".", 1)[0].rstrip(" ").casefold() in RESERVED


def is_plain(name: str) -> bool:
    return PLAIN.fullmatch(name) is not None and not name.endswith(".") and not is_reserved(name)


def readable(name: str) -> str:
    """What a file name can keep of a name: unsafe characters replaced, at most MAX_READABLE characters."""
    kept = "".join("_" if _unsafe(ch) else ch for ch in display_name(name).strip())
    kept = re.sub(r"\s+", "_", kept).lstrip(".-")[:MAX_READABLE].rstrip(".")  # never -x, .x or x.
    return kept or "_"


def _unsafe(ch: str) -> bool:
    return ch in UNSAFE or unicodedata.category(ch) in ("Cc", "Cs")


def result_stem(name: str) -> str:
    """The file stem of a candidate named ``name``, before the disc's clashes are settled."""
    if is_plain(name):
        return name
    stem = f"{readable(name)}~{digest(name)}"
    return "_" + stem if is_reserved(stem) else stem  # nul.txt~… is still NUL to Windows


def result_ids(candidates: Sequence[tuple[str, str]]) -> list[str]:
    """The result id of each (name, folder path on the disc) in order: distinct, also when case is ignored."""
    stems = [result_stem(name) for name, _ in candidates]
    clashing = Counter(s.casefold() for s in stems)
    ids = [f"{stem}~{digest(path)}" if clashing[stem.casefold()] > 1 else stem
           for stem, (_, path) in zip(stems, candidates)]
    taken: set[str] = set()
    for i, result_id in enumerate(ids):  # a clash left after the paths' hashes (two equal hashes): counted
        n = 1
        while ids[i].casefold() in taken:
            n += 1
            ids[i] = f"{result_id}~{n}"
        taken.add(ids[i].casefold())
    return ids


def find(typed: str, candidates: Iterable[tuple[str, str]]) -> list[str]:
    """The result ids that ``typed`` names among (user name, result id) pairs: a result id as
    written, else every user of the same ``name_key``, else a result id in another case.
    More than one id means the name is ambiguous."""
    pairs = list(candidates)
    exact = [rid for _, rid in pairs if rid == typed]
    if exact:
        return exact
    same_user = sorted({rid for user, rid in pairs if name_key(user) == name_key(typed)})
    if same_user:
        return same_user
    return sorted({rid for _, rid in pairs if rid.casefold() == typed.casefold()})
