"""One spreadsheet reader for .xlsx, .xlsm, .xls and .csv.

Sheets and columns are found by header name (the rubric's aliases, compared with
``header_key``), never by position. Every value keeps its cell coordinate so a check can
say where a deduction comes from. Formulas are never evaluated: the cached value is read.
What it builds are the records of ``grader.records.tables``.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from grader.errors import ReadError, describe
from grader.limits import Limits
from grader.locale import N_
from grader.read.ooxml import checked_zip
from grader.records.tables import Cell, Row, Sheet, Workbook, sheet_grid
from grader.values import header_key

HEADER_SCAN_ROWS = 10


# ---------------------------------------------------------------- raw grids

RawCell = tuple[Any, bool]  # (value, is_date)
RawSheet = tuple[str, list[list[RawCell]]]


def check_zip(path: Path | bytes, limits: Limits, what: str = "zip container") -> tuple[list[str], list[str]]:
    """Refuse a zip container (xlsx) over the caps (``ooxml.checked_zip``); return its part names and,
    from the same opening, the worksheets holding formulas without cached values. ``path`` may be
    the file's bytes, already read: the file is then not opened again."""
    with checked_zip(path, limits, what) as archive:
        names = archive.namelist()
        return names, formulas_without_values(archive, names)


_FORMULA_WITHOUT_VALUE = re.compile(rb"(?:</f>|<f[^>]*/>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")


def formulas_without_values(archive: Any, parts: list[str]) -> list[str]:
    """Sheets (part names) holding formulas with no cached value: the grader reads those cells as empty."""
    return [name for name in parts if name.startswith("xl/worksheets/") and name.endswith(".xml")
            and _FORMULA_WITHOUT_VALUE.search(archive.read(name))]


def _grid_xlsx(path: Path, limits: Limits, warnings: list[str], data: bytes | None = None) -> list[RawSheet]:
    """``data``: the file's bytes when they are already read (every parser then reads them, not the file)."""
    import openpyxl  # defusedxml, when installed, makes openpyxl parse the XML safely

    parts, formulas = check_zip(path if data is None else data, limits, N_("xlsx workbook"))
    if "EncryptedPackage" in parts:
        raise ReadError(N_("password-protected workbook"))
    if "xl/workbook.xml" not in parts:
        raise ReadError(N_("a zip file, but not an Excel workbook (no xl/workbook.xml)"))
    if formulas:
        warnings.append(N_("formulas without cached values (saved by a program that does not calculate); "
                           "those cells are read as empty"))
    fast = _grid_calamine(path, data)
    if fast is not None:
        return fast
    handle = path.open("rb") if data is None else io.BytesIO(data)  # a file object: openpyxl then judges by content, not by the extension
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except MemoryError:
        raise  # the worker's memory cap: the supervisor flags `memory-limit`
    except Exception as exc:
        handle.close()
        raise ReadError(N_("not a readable xlsx workbook ({why})").format(why=describe(exc, path))) from exc
    try:
        sheets = []
        for ws in book.worksheets:
            rows = []
            for row in ws.iter_rows():
                rows.append([(c.value, bool(getattr(c, "is_date", False))) for c in row])
            sheets.append((ws.title, rows))
        return sheets
    except MemoryError:
        raise  # the worker's memory cap: the supervisor flags `memory-limit`
    except Exception as exc:
        raise ReadError(N_("workbook could not be read to the end ({why})").format(why=describe(exc, path))) from exc
    finally:
        book.close()
        handle.close()


def _grid_calamine(path: Path, data: bytes | None = None) -> list[RawSheet] | None:
    """The sheets read by python-calamine (Rust, several times faster than openpyxl), or None
    when it cannot read the file, which then goes to openpyxl for a reading or a clear error."""
    import datetime as dt

    try:
        from python_calamine import CalamineWorkbook

        # from bytes calamine tries every format, from a path it goes by the extension: the bytes
        # are handed over only where the extension already names the reader they get
        book = CalamineWorkbook.from_filelike(io.BytesIO(data)) if data is not None and \
            path.suffix.lower() in (".xlsx", ".xlsm") else CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets.append((name, [[(None if v == "" else v, isinstance(v, (dt.date, dt.time, dt.timedelta)))
                                   for v in row] for row in rows]))
        return sheets
    except MemoryError:
        raise  # the worker's memory cap: the supervisor flags `memory-limit`
    except Exception:  # noqa: BLE001 - calamine's errors are its own types; openpyxl then explains the problem
        return None


def _grid_xls(path: Path) -> list[RawSheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except MemoryError:
        raise  # the worker's memory cap: the supervisor flags `memory-limit`
    except Exception as exc:
        if "encrypt" in str(exc).lower():
            raise ReadError(N_("password-protected workbook")) from exc
        raise ReadError(N_("not a readable xls workbook ({why})").format(why=describe(exc, path))) from exc
    sheets = []
    try:
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            rows = []
            for r in range(ws.nrows):
                out = []
                for c in range(ws.ncols):
                    cell = ws.cell(r, c)
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        try:
                            out.append((xlrd.xldate.xldate_as_datetime(cell.value, book.datemode), True))
                        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                            out.append((cell.value, False))
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) or cell.ctype == xlrd.XL_CELL_ERROR:
                        out.append((None, False))
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        out.append((bool(cell.value), False))
                    else:
                        out.append((cell.value, False))
                rows.append(out)
            sheets.append((ws.name, rows))
    finally:
        book.release_resources()
    return sheets


def decode_csv(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM) first, then GBK/GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ReadError(N_("CSV is neither UTF-8 nor GBK/GB18030 text")) from exc


def _grid_csv(path: Path, data: bytes | None = None) -> list[RawSheet]:
    text = decode_csv(path.read_bytes() if data is None else data)
    if "\x00" in text:
        raise ReadError(N_("CSV holds binary data"))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # a field is never longer than its file, which is already capped: the csv module's own limit
    # (128 KiB) would refuse a long cell that is still a text to grade
    csv.field_size_limit(max(csv.field_size_limit(), len(text)))
    try:
        rows = [[(v if v != "" else None, False) for v in r] for r in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise ReadError(N_("not a readable CSV ({why})").format(why=describe(exc))) from exc
    return [(path.stem, rows)]


def read_grid(path: Path, limits: Limits | None = None, warnings: list[str] | None = None,
              data: bytes | None = None) -> list[RawSheet]:
    """Every sheet of a spreadsheet file as rows of (value, is_date), by the real format.

    The format comes from the bytes, not the name: a .xls renamed .xlsx is read as .xls.
    ``warnings`` collects what the reader noticed but could still read (formulas without values).
    ``data``: the file's bytes when the caller has read them already (``Submission.record``), so
    that the file is read once; ``path`` then only names it.
    """
    limits = limits or Limits()
    warnings = warnings if warnings is not None else []
    size = path.stat().st_size if data is None else len(data)
    if size == 0:
        raise ReadError(N_("empty file (0 bytes)"))
    if size > limits.max_file_bytes:
        raise ReadError(N_("file of {size:,} bytes is over the cap of {cap:,}; not read").format(
            size=size, cap=limits.max_file_bytes))
    if data is None:
        with path.open("rb") as handle:
            head = handle.read(8)
    else:
        head = data[:8]
    suffix = path.suffix.lower()
    if head.startswith(b"PK"):
        return _grid_xlsx(path, limits, warnings, data)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if _is_encrypted_ooxml(path, data):
            raise ReadError(N_("password-protected workbook"))
        return _grid_xls(path)
    if suffix == ".csv":
        return _grid_csv(path, data)
    raise ReadError(N_("{suffix} does not hold a spreadsheet (its first bytes are {head})").format(
        suffix=suffix or "file", head=repr(head[:4])))


def _is_encrypted_ooxml(path: Path, data: bytes | None = None) -> bool:
    """An OLE2 container holding an EncryptedPackage stream: a password-protected xlsx (its first
    MiB looked at: ``data``'s when the bytes are read already)."""
    if data is None:
        with path.open("rb") as handle:
            data = handle.read(1 << 20)
    return "EncryptedPackage".encode("utf-16-le") in data[:1 << 20]


# ---------------------------------------------------------------- sheet specs


@dataclass(frozen=True)
class SheetSpec:
    """What the rubric says a sheet looks like (see ``rubrics/*.toml``: deliverables)."""

    name: str
    aliases: tuple[str, ...] = ()
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # table layout
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)  # field/value layout
    header: dict[str, tuple[str, ...]] = field(default_factory=dict)  # field/value header names

    @property
    def is_fields(self) -> bool:
        return bool(self.fields)

    def names(self) -> set[str]:
        return {header_key(n) for n in (self.name, *self.aliases)}

    @classmethod
    def from_rubric(cls, name: str, data: dict[str, Any]) -> SheetSpec:
        def aliases(mapping: dict[str, Any]) -> dict[str, tuple[str, ...]]:
            return {k: tuple(v) for k, v in mapping.items()}

        return cls(
            name=name,
            aliases=tuple(data.get("aliases", ())),
            columns=aliases(data.get("columns", {})),
            fields=aliases(data.get("fields", {})),
            header=aliases(data.get("header", {"field": ["字段"], "value": ["内容"]})),
        )


def _alias_index(mapping: dict[str, tuple[str, ...]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, names in mapping.items():
        for name in (canonical, *names):
            index.setdefault(header_key(name), canonical)
    return index


def _find_header(rows: list[list[RawCell]], index: dict[str, str]) -> tuple[int, dict[str, int]]:
    """The row (0-based) among the first rows whose cells match most aliases, and column positions."""
    best_row, best = -1, {}
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found: dict[str, int] = {}
        for c, (value, _) in enumerate(row):
            if value is None:
                continue
            canonical = index.get(header_key(value))
            if canonical and canonical not in found:
                found[canonical] = c
        if len(found) > len(best):
            best_row, best = r, found
    return best_row, best


def _table(spec: SheetSpec, title: str, file: str, rows: list[list[RawCell]]) -> Sheet:
    header_row, positions = _find_header(rows, _alias_index(spec.columns))
    found = []
    for r in range(header_row + 1, len(rows)):
        raw = rows[r]
        cells = {}
        for col, pos in positions.items():
            value, is_date = raw[pos] if pos < len(raw) else (None, False)
            if isinstance(value, str) and not value.strip():
                value = None
            cells[col] = Cell(value, f"{get_column_letter(pos + 1)}{r + 1}", is_date)
        row = Row(r + 1, cells)
        if not row.empty:
            found.append(row)
    return Sheet(spec=spec.name, name=title, file=file,
                 columns={col: get_column_letter(pos + 1) for col, pos in positions.items()},
                 rows=tuple(found), missing_columns=tuple(c for c in spec.columns if c not in positions))


def _fields(spec: SheetSpec, title: str, file: str, rows: list[list[RawCell]]) -> Sheet:
    header_row, positions = _find_header(rows, _alias_index(spec.header))
    field_pos = positions.get("field", 0)
    value_pos = positions.get("value", field_pos + 1)
    index = _alias_index(spec.fields)
    fields: dict[str, Cell] = {}
    for r in range(header_row + 1, len(rows)):
        raw = rows[r]
        if field_pos >= len(raw) or raw[field_pos][0] is None:
            continue
        canonical = index.get(header_key(raw[field_pos][0]))
        if canonical is None or canonical in fields:
            continue  # an unknown field, or a repeat: the first row is graded (convention 6)
        value, is_date = raw[value_pos] if value_pos < len(raw) else (None, False)
        fields[canonical] = Cell(value, f"{get_column_letter(value_pos + 1)}{r + 1}", is_date)
    return Sheet(spec=spec.name, name=title, file=file,
                 columns={"field": get_column_letter(field_pos + 1), "value": get_column_letter(value_pos + 1)},
                 fields=fields, missing_columns=tuple(f for f in spec.fields if f not in fields))


def _held(rows: list[list[RawCell]]) -> set[str]:
    """Header keys of the values in a sheet's first columns (where field names stand)."""
    return {header_key(v) for r in rows for v, _ in r[:3] if v is not None}


def _fit(spec: SheetSpec, rows: list[list[RawCell]]) -> int:
    """How many of a spec's headers (or fields) a sheet's content holds."""
    if spec.is_fields:
        index = _alias_index(spec.fields)
        return len({index[k] for k in _held(rows) if k in index})
    return len(_find_header(rows, _alias_index(spec.columns))[1])


def _exclusive_fit(spec: SheetSpec, others: Iterable[SheetSpec], rows: list[list[RawCell]]) -> int:
    """Fields only this spec has that the content holds (convention 24: a csv's company-only field)."""
    other_names = {header_key(n) for o in others for f, al in o.fields.items() for n in (f, *al)}
    mine = _alias_index(spec.fields)
    return len({mine[k] for k in _held(rows) if k in mine and k not in other_names})


def build_workbook(file: str, grid: list[RawSheet], specs: list[SheetSpec]) -> Workbook:
    """Match a file's sheets to the rubric's sheet specs and read each found one."""
    found: dict[str, tuple[str, list[list[RawCell]]]] = {}
    used: set[int] = set()
    for spec in specs:  # by name first
        for i, (title, rows) in enumerate(grid):
            if i not in used and header_key(title) in spec.names():
                found[spec.name] = (title, rows)
                used.add(i)
                break
    unnamed = [i for i in range(len(grid)) if i not in used]
    for i in unnamed:  # then a sheet with another name, by what its content holds
        title, rows = grid[i]
        open_specs = [s for s in specs if s.name not in found]
        if not open_specs:
            break
        scored = []
        for order, spec in enumerate(open_specs):
            others = [o for o in specs if o is not spec]
            scored.append((_exclusive_fit(spec, others, rows), _fit(spec, rows), -order, spec))
        best = max(scored, key=lambda t: t[:3])
        if best[1] > 0:
            found[best[3].name] = (title, rows)
    sheets = {}
    for spec in specs:
        if spec.name in found:
            title, rows = found[spec.name]
            sheets[spec.name] = (_fields if spec.is_fields else _table)(spec, title, file, rows)
    missing = tuple(s.name for s in specs if s.name not in sheets)
    return Workbook(file=file, sheets=sheets, missing_sheets=missing,
                    grids=tuple(sheet_grid(title, rows) for title, rows in grid))
