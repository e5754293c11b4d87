"""A corpus of hostile and broken candidate files, generated (never committed as binaries).

``make_corpus(disc, paper)`` writes one candidate folder per case beside good candidates and
returns, for each hostile user, the flag code and file the grader must report. Units 1 and 6
are the carriers: each case replaces or accompanies their deliverables.
"""
from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from helpers import make_candidate


@dataclass(frozen=True)
class Case:
    user: str
    code: str  # the flag the candidate must carry
    file: str  # the file the flag must name ("" when the flag names none)
    make: Callable[[Path, object], None]


def _good(folder: Path, paper) -> dict:
    return make_candidate(folder, paper)


def _replace(name: str, data: bytes | Callable[[bytes], bytes]):
    def make(folder: Path, paper) -> None:
        _good(folder, paper)
        path = folder / name
        path.write_bytes(data(path.read_bytes()) if callable(data) else data)
    return make


def _edit_part(part: str, edit: Callable[[bytes], bytes], stream: bool = False) -> Callable[[bytes], bytes]:
    """A valid workbook with one of its parts rewritten."""
    def rewrite(original: bytes) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                dst.writestr(info, edit(data) if info.filename == part else data)
        return out.getvalue()
    return rewrite


SHEET = "xl/worksheets/sheet1.xml"
LAUGHS = (b'<!DOCTYPE worksheet [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
          b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
          b'<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
          b'<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
          b'<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
          b'<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
          b'<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>')
XXE = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _with_entity(doctype: bytes, entity: bytes) -> Callable[[bytes], bytes]:
    def edit(xml: bytes) -> bytes:
        head, body = (xml.split(b"?>", 1)[0] + b"?>", xml.split(b"?>", 1)[1]) if xml.startswith(b"<?xml") \
            else (b"", xml)
        return head + doctype + body.replace(b"<t>", b"<t>" + entity, 1)
    return edit


def _zip_bomb(original: bytes) -> bytes:
    """A sheet part that expands to 1 GiB of one repeated string (about 1 MB compressed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == SHEET:
                member = zipfile.ZipInfo(info.filename)
                member.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(member, "w", force_zip64=True) as handle:
                    handle.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                 b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
                    block = b"A" * (1 << 20)
                    for _ in range(1024):
                        handle.write(block)
                    handle.write(b"</t></is></c></row></sheetData></worksheet>")
            else:
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def _encrypted_xlsx(original: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(original)).encrypt("exam2026", out)
    return out.getvalue()


def _xls_named_xlsx(folder: Path, paper) -> None:
    drafts = _good(folder, paper)
    draft = drafts["u6_orders"]
    draft.fmt = "xls"
    (folder / "u6_orders.xlsx").write_bytes(draft.to_bytes())


def _xlsx_named_xls(folder: Path, paper) -> None:
    _good(folder, paper)
    (folder / "u6_orders.xlsx").rename(folder / "u6_orders.xls")


def _formulas(folder: Path, paper) -> None:
    def edit(drafts):
        drafts["u6_orders"].sheets["订单"][1][3] = "=1+1"
    make_candidate(folder, paper, edit=edit)


def _huge_csv(folder: Path, paper) -> None:
    _good(folder, paper)
    (folder / "u6_orders.xlsx").unlink()
    with (folder / "u6_orders.csv").open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk


def _symlink_outside(folder: Path, paper) -> None:
    _good(folder, paper)
    os.symlink("/etc/passwd", folder / "u8_notes.txt")


def _directory_loop(folder: Path, paper) -> None:
    _good(folder, paper)
    (folder / "work").mkdir()
    os.symlink("..", folder / "work" / "loop")


def _deep(folder: Path, paper) -> None:
    _good(folder, paper)
    deep = folder
    for n in range(50):
        deep = deep / f"d{n}"
    deep.mkdir(parents=True)
    (deep / "u1_accounts.xlsx").write_bytes(b"x")


def _bad_names(folder: Path, paper) -> None:
    _good(folder, paper)
    (folder / ("长" * 80 + ".txt")).write_bytes(b"long name")
    os.close(os.open(os.fsencode(folder) + b"/bad\xff\xfename.xlsx", os.O_CREAT | os.O_WRONLY))


def _fifo(folder: Path, paper) -> None:
    _good(folder, paper)
    os.mkfifo(folder / "u1_accounts.csv")


CASES = [
    Case("h01", "unreadable-file", "u1_accounts.xlsx", _replace("u1_accounts.xlsx", b"")),
    Case("h02", "unreadable-file", "u1_accounts.xlsx", _replace("u1_accounts.xlsx", lambda b: b[: len(b) // 2])),
    Case("h03", "unreadable-file", "u1_accounts.xlsx",
         _replace("u1_accounts.xlsx", _edit_part(SHEET, _with_entity(LAUGHS, b"&lol9;")))),
    Case("h04", "unreadable-file", "u1_accounts.xlsx",
         _replace("u1_accounts.xlsx", _edit_part(SHEET, _with_entity(XXE, b"&xxe;")))),
    Case("h05", "unreadable-file", "u1_accounts.xlsx", _replace("u1_accounts.xlsx", _zip_bomb)),
    Case("h06", "unreadable-file", "u1_accounts.xlsx", _replace("u1_accounts.xlsx", _encrypted_xlsx)),
    Case("h07", "formula-without-value", "u6_orders.xlsx", _formulas),
    Case("h08", "unreadable-file", "u6_orders.csv", _huge_csv),
    Case("h09", "symlink", "u8_notes.txt", _symlink_outside),
    Case("h10", "symlink", "work/loop", _directory_loop),
    Case("h11", "special-file", "u1_accounts.csv", _fifo),
    Case("h12", "unreadable-file", "u1_accounts.xlsx", _replace("u1_accounts.xlsx", os.urandom(4096))),
]

# Cases graded normally: the file is still read (no flag needed), and nothing breaks.
BENIGN = [
    ("b01", _xls_named_xlsx),
    ("b02", _xlsx_named_xls),
    ("b03", _deep),
    ("b04", _bad_names),
]





# ---------------------------------------------------------------- images and texts (units 4 and 8)


def _with_images(edit: Callable[[Path], None]) -> Callable[[Path, object], None]:
    def make(folder: Path, paper) -> None:
        make_candidate(folder, paper, only=("u1_accounts", "u6_orders", "u4_images", "u8_service"))
        edit(folder)
    return make


def _main(folder: Path) -> Path:
    return next((folder / "u4_images").glob("*.MAIN.jpg"))


def _truncated_jpeg(folder: Path) -> None:
    main = _main(folder)
    main.write_bytes(main.read_bytes()[: main.stat().st_size // 2])


def _png_bomb(folder: Path) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + \
        chunk(b"IEND", b"")
    _main(folder).write_bytes(data)


def _as_format(fmt: str, mode: str = "RGB"):
    def edit(folder: Path) -> None:
        from PIL import Image

        main = _main(folder)
        with Image.open(main) as picture:
            converted = picture.convert(mode)
        buffer = io.BytesIO()
        converted.save(buffer, fmt)
        main.write_bytes(buffer.getvalue())
    return edit


def _sixteen_bit_png(folder: Path) -> None:
    import numpy as np
    from PIL import Image

    pt = next((folder / "u4_images").glob("*.PT01.jpg"))
    buffer = io.BytesIO()
    Image.fromarray(np.full((900, 900), 40000, dtype=np.uint16)).save(buffer, "PNG")
    pt.with_suffix(".png").write_bytes(buffer.getvalue())
    pt.unlink()


def _garbage_txt(folder: Path) -> None:
    (folder / "u8_service" / "replies" / "reply_01.txt").write_bytes(os.urandom(3000) + b"\x00" * 10)


def _invalid_utf8(folder: Path) -> None:
    (folder / "u8_service" / "replies" / "reply_02.txt").write_bytes(b"Dear Emily \xff\xfe\xfa\x00\x81 order")


CASES += [
    Case("i01", "damaged-image", "u4_images/HKB100.MAIN.jpg", _with_images(_truncated_jpeg)),
    Case("i02", "image-too-large", "u4_images/HKB100.MAIN.jpg", _with_images(_png_bomb)),
    Case("t01", "unreadable-file", "u8_service/replies/reply_01.txt", _with_images(_garbage_txt)),
    Case("t02", "unreadable-file", "u8_service/replies/reply_02.txt", _with_images(_invalid_utf8)),
]

# graded without a flag, the points saying what is wrong (U4-02 reads the real format)
BENIGN_IMAGES = [
    ("b05", _with_images(_as_format("GIF", "P"))),
    ("b06", _with_images(_as_format("WEBP"))),
    ("b07", _with_images(_sixteen_bit_png)),
]


def make_corpus(disc: Path, paper) -> None:
    for case in CASES:
        case.make(disc / case.user, paper)
    for user, make in BENIGN + BENIGN_IMAGES:
        make(disc / user, paper)
