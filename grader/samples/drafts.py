"""Drafts of a candidate's files, kept as data until written, so defects can edit them.

A unit's sample module builds the perfect drafts from the key; a ``Defect`` edits a deep
copy and states the points each affected criterion must then get.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any


@dataclass
class WorkbookDraft:
    """A workbook as sheets of rows (header row first), written as xlsx, xlsm, xls or csv."""

    stem: str
    sheets: dict[str, list[list[Any]]]
    fmt: str = "xlsx"
    # when given: sheets are keyed, and headed, by the rubric's names, written as these labels
    # (per sheet: "" its title, each column or field its header, ":field"/":value" the header row)
    labels: dict[str, dict[str, str]] | None = None

    @property
    def file_name(self) -> str:
        return f"{self.stem}.{self.fmt}"

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / self.file_name
        path.write_bytes(self.to_bytes())
        return path

    def rendered(self) -> dict[str, list[list[Any]]]:
        """The sheets as the file shows them: titles, headers and field labels of the template."""
        if self.labels is None:
            return self.sheets
        out = {}
        for name, rows in self.sheets.items():
            names = self.labels.get(name, {})
            if not rows:
                out[names.get("", name)] = []
                continue
            header = [names.get(c, c) if isinstance(c, str) else c for c in rows[0]]
            body = [list(r) for r in rows[1:]]
            if rows[0][:1] == [":field"]:
                for row in body:
                    if row and isinstance(row[0], str):
                        row[0] = names.get(row[0], row[0])
            out[names.get("", name)] = [header] + body
        return out

    def to_bytes(self) -> bytes:
        sheets = self.rendered()
        if self.fmt in ("xlsx", "xlsm"):
            return _xlsx_bytes(sheets)
        if self.fmt == "xls":
            return _xls_bytes(sheets)
        if self.fmt == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            for row in next(iter(sheets.values())):
                writer.writerow(["" if v is None else v for v in row])
            return buffer.getvalue().encode("utf-8-sig")
        raise ValueError(f"unknown workbook format {self.fmt}")

    def sheet(self, title: str) -> list[list[Any]]:
        return self.sheets[title]

    def set_field(self, title: str, label: str, value: Any) -> None:
        """In a field/value sheet, set the value of the row whose field is ``label``."""
        for row in self.sheets[title][1:]:
            if row[0] == label:
                row[1] = value
                return
        raise KeyError(f"{title}: no field {label!r}")

    def set_cell(self, title: str, column: str, row_index: int, value: Any) -> None:
        """In a table sheet, set ``column`` (by header) of data row ``row_index`` (0-based)."""
        rows = self.sheets[title]
        rows[row_index + 1][rows[0].index(column)] = value


@dataclass
class FileDraft:
    """Any other file: its path inside the candidate folder and its bytes."""

    relpath: str
    data: bytes

    def write(self, folder: Path) -> Path:
        path = folder / self.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.data)
        return path


@dataclass
class FolderDraft:
    """A deliverable folder (images, service texts): files by path inside the folder."""

    name: str
    files: dict[str, bytes] = field(default_factory=dict)

    def write(self, folder: Path) -> Path:
        root = folder / self.name
        root.mkdir(parents=True, exist_ok=True)
        for relpath, data in sorted(self.files.items()):
            path = root / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return root


Draft = WorkbookDraft | FileDraft | FolderDraft
Drafts = dict[str, Draft]  # deliverable name → draft


@dataclass(frozen=True)
class Defect:
    """A named mistake: ``apply`` edits the drafts; ``expected`` gives the points it leaves."""

    name: str
    unit: str
    apply: Callable[[Drafts, Any], None]
    expected: dict[str, Fraction | int | str]
    flags: tuple[str, ...] = ()
    description: str = ""


FIXED_TIME = (2026, 6, 20, 10, 30, 0)


def _xlsx_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "exam candidate"
    book.properties.created = book.properties.modified = dt.datetime(*FIXED_TIME)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return stable_zip(buffer.getvalue())


def stable_zip(data: bytes) -> bytes:
    """The same zip with fixed member times and core properties, so a draft always gives the same bytes."""
    import re
    import zipfile

    out = io.BytesIO()
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_TIME)
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), body)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, body)
    return out.getvalue()


def _xls_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    import datetime as dt

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for title, rows in sheets.items():
        ws = book.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, (dt.date, dt.datetime)):
                    ws.write(r, c, value, date_style)
                elif value is not None:
                    ws.write(r, c, float(value) if hasattr(value, "as_tuple") else value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def together(*edits: Callable[[Drafts, Any], None]) -> Callable[[Drafts, Any], None]:
    """One defect made of several edits, applied in order."""

    def apply(drafts: Drafts, key: Any) -> None:
        for edit in edits:
            edit(drafts, key)

    return apply
