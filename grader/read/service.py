"""The ``service`` deliverable kind (unit 8): the mailbox workbook and the reply and template texts.

The folder holds ``mailbox.xlsx`` (field/value; ``.xlsx``, ``.xlsm``, ``.xls`` or ``.csv``), and a
text per slot: ``replies/reply_01`` … and ``templates/return`` … (Chinese names accepted), each a
``.txt`` or a ``.docx``. The rubric's ``[deliverables.u8_service]`` names every slot and folder.

A slot found under several names or formats is read from one (convention 5: the expected folder
first, then the English name before the Chinese one, then ``.txt`` before ``.docx``) and flagged
``duplicate-deliverable``; one found outside its folder, as §1 allows (``grader.read.places``), is
flagged ``misplaced``.

Text is decoded as Windows Notepad saves it: a byte-order mark first (UTF-8, UTF-16 LE/BE), then
strict UTF-8, then GB18030 (which covers GBK, Notepad's "ANSI" on Chinese Windows), then
charset-normalizer's guess, flagged ``guessed-encoding``; bytes that are no text at all are an
``unreadable-file``. A ``.docx`` is read with python-docx, paragraphs and table cells in document order.
A file is read by its content: a ``.txt`` holding a Word document (or the reverse) is read as what it
holds and flagged ``wrong-extension``.

>>> decode_text("Dear Emily,".encode("utf-16")).encoding in ("utf-16-le", "utf-16-be")
True
>>> decode_text("Dear customer — we’re sorry".encode("gbk"))
Decoded(text='Dear customer — we’re sorry', encoding='gb18030', guessed=False)
"""
from __future__ import annotations

import codecs
import io
import re
import unicodedata
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.errors import ReadError, describe
from grader.limits import Limits
from grader.locale import N_
from grader.read import reader
from grader.read.ooxml import checked_zip
from grader.read.places import HOME, Home
from grader.read.submission import WORKBOOK_SUFFIXES, NothingFound
from grader.read.tables import build_workbook, read_grid
from grader.records.service import Email, ServiceFolder, TextFile
from grader.records.tables import Workbook
from grader.values import header_key

if TYPE_CHECKING:
    from grader.paper import DeliverableSpec
    from grader.read.submission import Located, Submission

TEXT_SUFFIXES = (".txt", ".docx")
BOMS = ((codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"))
PLAIN_ENCODINGS = ("utf-8", "gb18030")
BINARY_SHARE = 0.01  # more than 1% of characters that no text holds (controls, unassigned) is binary
ZIP_MAGIC = b"PK\x03\x04"


# ---------------------------------------------------------------- decoding


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # utf-8, utf-8-sig, utf-16-le, utf-16-be, gb18030, docx, or charset-normalizer's name
    guessed: bool = False


# control characters (Cc) no saved text holds: all but tab, line breaks, form feed and DOS's end of file
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f\ufffd]")
_BEYOND_CONTROLS = re.compile(r"[^\x00-\x9f]")


def _looks_binary(text: str) -> bool:
    """NUL, or too many characters no saved text holds: controls other than whitespace, U+FFFD
    (bytes that did not decode), unassigned, private-use or surrogate code points."""
    if "\x00" in text:
        return True
    bad = len(_CONTROLS.findall(text))
    if not text.isascii():  # only the characters past the controls can be unassigned or private
        bad += sum(1 for ch in _BEYOND_CONTROLS.findall(text)
                   if ch != "\ufffd" and unicodedata.category(ch) in ("Cn", "Co", "Cs"))
    return bad > len(text) * BINARY_SHARE


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(data: bytes) -> Decoded:
    """The text of a file saved by a plain-text editor; ReadError when the bytes are not text."""
    for bom, name, codec in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise ReadError(N_("starts with a {encoding} byte-order mark but is not {encoding} text "
                                   "(bad byte at {offset})").format(encoding=name,
                                                                    offset=exc.start + len(bom))) from exc
            if _looks_binary(text):
                raise ReadError(N_("starts with a {encoding} byte-order mark but holds binary data").format(encoding=name))
            return Decoded(_lines(text), name)
    for name in PLAIN_ENCODINGS:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if not _looks_binary(text):
            return Decoded(_lines(text), name)
    from charset_normalizer import from_bytes

    western = _western(data)
    if western is not None:
        return Decoded(_lines(western), WESTERN, guessed=True)
    best = from_bytes(data).best()
    if best is not None and not _looks_binary(str(best)):
        return Decoded(_lines(str(best)), best.encoding, guessed=True)
    raise ReadError(N_("holds binary data, not text in any encoding"))


WESTERN = "cp1252"  # Notepad's "ANSI" on a Western Windows


def _western(data: bytes) -> str | None:
    """The text as Windows-1252 (a Western Notepad's "ANSI") when every character past ASCII it
    gives is a Latin letter or typographic punctuation; else None. Short Latin text gives
    charset-normalizer too little to go on (one é read as Urdu cp1006, è as the Czech č).

    >>> _western("Dear Ms. Lefèvre, the café".encode("cp1252")), _western("订单".encode("utf-16-le"))
    ('Dear Ms. Lefèvre, the café', None)
    """
    try:
        text = data.decode(WESTERN)
    except UnicodeDecodeError:
        return None
    extra = {ch for ch in text if ord(ch) > 127}
    latin = all((unicodedata.category(ch).startswith("L") and ord(ch) < 0x250) or ch in "‘’“”–—…€•°×"
                for ch in extra)
    return text if extra and latin and not _looks_binary(text) else None


def guess_reason(decoded: Decoded) -> str:
    """What was assumed for a text in no encoding Notepad marks: a Western Notepad's Windows-1252
    said as such (and that Latin-1 reads it the same, when it does), else charset-normalizer's
    pick as the guess it is.

    >>> guess_reason(Decoded("Dear Jos\u00e9", WESTERN, guessed=True))
    'not UTF-8, UTF-16 or GBK; read as Windows-1252 (Western), which gives é; Latin-1 reads it the same'
    >>> guess_reason(Decoded("Na\u00efve \u201cquoted\u201d", WESTERN, guessed=True))
    'not UTF-8, UTF-16 or GBK; read as Windows-1252 (Western), which gives ï“”'
    >>> guess_reason(Decoded("Dear customer", "utf_16_le", guessed=True))
    'not UTF-8, UTF-16 or GBK; read as utf_16_le (guessed), which gives plain ASCII'
    """
    letters = "".join(dict.fromkeys(ch for ch in decoded.text if ord(ch) > 127))[:8]
    if decoded.encoding == WESTERN and letters:
        same = decoded.text.encode(WESTERN).decode("latin-1") == decoded.text
        reason = N_("not UTF-8, UTF-16 or GBK; read as Windows-1252 (Western), which gives {letters}; "
                    "Latin-1 reads it the same") if same else \
            N_("not UTF-8, UTF-16 or GBK; read as Windows-1252 (Western), which gives {letters}")
        return reason.format(letters=letters)
    reason = N_("not UTF-8, UTF-16 or GBK; read as {encoding} (guessed), which gives {letters}") \
        if letters else N_("not UTF-8, UTF-16 or GBK; read as {encoding} (guessed), which gives plain ASCII")
    return reason.format(encoding=decoded.encoding, letters=letters)


def docx_text(data: bytes, limits: Limits | None = None) -> str:
    """The paragraphs and table cells of a .docx, in document order, one per line; a document over
    the caps (``limits``, else the defaults) is refused before python-docx parses it."""
    from docx import Document
    from docx.table import Table

    with checked_zip(data, limits or Limits(), N_(".docx document")):
        pass
    try:
        document = Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    seen: list[Any] = []
                    for cell in row.cells:
                        if any(cell._tc is s for s in seen):  # a merged cell repeats across the span
                            continue
                        seen.append(cell._tc)
                        lines.append(cell.text)
            else:
                lines.append(block.text)
    except MemoryError:
        raise  # the worker's memory cap: the supervisor flags `memory-limit`
    except Exception as exc:  # python-docx raises many kinds for a damaged file
        raise ReadError(N_("not a readable .docx document ({why})").format(why=f"{type(exc).__name__}: {exc}")) from exc
    return _lines("\n".join(lines))


def read_text_bytes(data: bytes, suffix: str, limits: Limits | None = None) -> tuple[Decoded, bool]:
    """Decode a text slot's file by its content; also say whether the content disagrees with the suffix."""
    is_zip = data.startswith(ZIP_MAGIC)
    decoded = Decoded(docx_text(data, limits), "docx") if is_zip else decode_text(data)
    return decoded, is_zip != (suffix == ".docx")


# ---------------------------------------------------------------- the folder


def _unit_of(submission: Submission, deliverable: str) -> str:
    return next((u.id for u in submission.paper.units if u.deliverable == deliverable), "")


def _find(submission: Submission, files: list[Path], names: list[str], suffixes: tuple[str, ...],
          home: Home, stems: dict[Path, tuple[str, str]] | None = None) -> list[Path]:
    """The files standing for one slot, best first: at home, then the English name before the
    Chinese one, then the suffix's order (convention 5); misplaced ones as §1 allows. ``stems``:
    each file's (lower-case suffix, header key of its stem), when worked out already."""
    keys = [header_key(n) for n in names]
    named = stems or {p: (p.suffix.lower(), header_key(p.stem)) for p in files}
    hits = [p for p in files if named[p][0] in suffixes and named[p][1] in keys
            and submission.place(p, home) is not None]
    return sorted(hits, key=lambda p: (submission.place(p, home) != HOME, keys.index(named[p][1]),
                                       suffixes.index(named[p][0]), submission.relative(p)))


class _SlotReader:
    """Locates and reads the slots of one service folder, raising the flags reading calls for."""

    def __init__(self, submission: Submission, spec: DeliverableSpec, located: Located):
        self.submission = submission
        self.spec = spec
        self.root = located.path
        self.unit = _unit_of(submission, spec.name)
        self.folders = located.path.relative_to(submission.folder).parts
        # the folder's files, and those beside it (a mailbox saved one folder up)
        self.files = [p for p in submission.files if self.root in p.parents or p.parent == self.root.parent]
        # each file's suffix and name key, once for all the slots looked for among them
        self.stems = {p: (p.suffix.lower(), header_key(p.stem)) for p in self.files}

    def locate(self, label: str, names: list[str], suffixes: tuple[str, ...],
               homes: list[str] | None) -> Path | None:
        home = Home(self.folders, (tuple(homes),) if homes else (), key=header_key)
        hits = _find(self.submission, self.files, names, suffixes, home, self.stems)
        if not hits:
            return None
        chosen = hits[0]
        rel = self.submission.relative
        if len(hits) > 1:
            self.submission.flag("duplicate-deliverable",
                                 N_("{name} found as {files}; graded {graded}").format(
                                     name=label, files=", ".join(rel(h) for h in hits), graded=rel(chosen)),
                                 chosen, self.unit)
        if self.submission.place(chosen, home) != HOME:
            self.submission.flag("misplaced", N_("{name} found at {found}, expected in {where}").format(
                                     name=label, found=rel(chosen), where=home.where()),
                                 chosen, self.unit)
        return chosen

    def mailbox(self) -> tuple[Workbook | None, str, str]:
        path = self.locate("mailbox", list(self.spec.options["mailbox"]), WORKBOOK_SUFFIXES, None)
        if path is None:
            return None, "", "not found"
        relative = self.submission.relative(path)
        warnings: list[str] = []
        try:
            data = self.submission.record(path)  # read once: the reader parses these bytes
            grid = read_grid(path, self.submission.limits, warnings, data)
        except MemoryError:
            raise  # the worker's memory cap: the supervisor flags `memory-limit`
        except Exception as exc:  # noqa: BLE001 - one file's failure is its own slot's, never the folder's
            return None, relative, self.unreadable(path, exc)
        for warning in warnings:
            self.submission.flag("formula-without-value", warning, path, self.unit)
        return build_workbook(relative, grid, list(self.spec.sheets)), relative, ""

    def text(self, slot: str, names: list[str], homes: list[str]) -> TextFile:
        expected = f"{self.submission.relative(self.root)}/{homes[0]}/{names[0]}.txt"
        path = self.locate(slot, names, TEXT_SUFFIXES, homes)
        if path is None:
            return TextFile(slot, expected=expected, problem="not found")
        relative = self.submission.relative(path)
        try:
            data = self.submission.record(path)
            decoded, mismatch = read_text_bytes(data, path.suffix.lower(), self.submission.limits)
        except MemoryError:
            raise  # the worker's memory cap: the supervisor flags `memory-limit`
        except Exception as exc:  # noqa: BLE001 - one file's failure is its own slot's, never the folder's
            return TextFile(slot, relative, expected, problem=self.unreadable(path, exc))
        if mismatch:
            holds = N_("{suffix} file holds a .docx document; read by its content") \
                if decoded.encoding == "docx" else N_("{suffix} file holds plain text; read by its content")
            self.submission.flag("wrong-extension", holds.format(suffix=path.suffix), path, self.unit)
        if decoded.guessed:
            self.submission.flag("guessed-encoding", guess_reason(decoded), path, self.unit)
        return TextFile(slot, relative, expected, decoded.text, decoded.encoding, decoded.guessed)

    def unreadable(self, path: Path, exc: Exception) -> str:
        """Flag one file of the folder as unreadable and return its slot's problem; the other
        slots are read on. A reader's unforeseen error is named by its type."""
        reason = str(exc) if isinstance(exc, ReadError) else \
            N_("could not be read ({why})").format(why=describe(exc, path))
        self.submission.flag("unreadable-file", reason, path, self.unit)
        return f"unreadable: {reason}"


SERVICE_OPTIONS = ("mailbox", "reply_folder", "template_folder", "replies", "templates")


@reader("service", options=SERVICE_OPTIONS, required=SERVICE_OPTIONS)
def read_service(submission: Submission, spec: DeliverableSpec, located: Located) -> ServiceFolder:
    slots = _SlotReader(submission, spec, located)
    options = spec.options
    mailbox, mailbox_file, problem = slots.mailbox()
    if not located.present and not mailbox_file:  # the folder's texts belong inside it: only the mailbox is near
        raise NothingFound(f"no {spec.name} folder, and no mailbox beside where it belongs")
    replies = {slot: slots.text(slot, list(names), list(options["reply_folder"]))
               for slot, names in options["replies"].items()}
    templates = {slot: slots.text(slot, list(names), list(options["template_folder"]))
                 for slot, names in options["templates"].items()}
    return ServiceFolder(located.relative, mailbox, mailbox_file, problem, replies, templates)


# ---------------------------------------------------------------- the key's buyer emails


def read_email(path: Path) -> Email:
    """Parse a key's ``.eml`` with the standard library (``email.policy.default``)."""
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    sender = message["from"]
    addresses = getattr(sender, "addresses", ()) if sender is not None else ()
    name = addresses[0].display_name if addresses else ""
    address = addresses[0].addr_spec if addresses else ""
    part = message.get_body(preferencelist=("plain",))
    body = part.get_content() if part is not None else ""
    return Email(name, address, str(message.get("subject", "")), body)
