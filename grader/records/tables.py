"""A workbook as read: sheets found for the rubric's sheet specs, every value with its cell.

``grader.read.tables`` builds these from a spreadsheet file; checks read them.

>>> row = Row(3, {"price": Cell("12.99", "D3")})
>>> row["price"].ref, row.value("price"), row["stock"].empty
('D3', '12.99', True)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Cell:
    """A value and where it stands: ``ref`` is an A1 coordinate ("B3"), "" when absent."""

    value: Any
    ref: str = ""
    is_date: bool = False

    @property
    def empty(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


EMPTY = Cell(None)


@dataclass(frozen=True)
class Row:
    number: int  # the row number as the spreadsheet shows it
    cells: dict[str, Cell]

    def __getitem__(self, column: str) -> Cell:
        return self.cells.get(column, EMPTY)

    def value(self, column: str) -> Any:
        return self[column].value

    @property
    def empty(self) -> bool:
        return all(c.empty for c in self.cells.values())


@dataclass(frozen=True)
class Sheet:
    """A sheet found for one of the rubric's sheet specs.

    Table sheets have ``rows``; field/value sheets have ``fields`` (canonical field → value cell).
    """

    spec: str
    name: str
    file: str
    columns: dict[str, str] = field(default_factory=dict)  # canonical column → letter
    rows: tuple[Row, ...] = ()
    fields: dict[str, Cell] = field(default_factory=dict)
    missing_columns: tuple[str, ...] = ()

    def field(self, name: str) -> Cell:
        return self.fields.get(name, EMPTY)

    def column_ref(self, column: str, row: int | None = None) -> str:
        letter = self.columns.get(column, "")
        if not letter:
            return ""
        return f"{letter}{row}" if row else f"column {letter}"


@dataclass(frozen=True)
class SheetGrid:
    """One sheet of the file as read, every cell where it stands, whether or not the rubric names
    it: what the review page shows beside the evidence, without the disc. ``rows[r][c]`` is the
    value at row r + 1, column c + 1 (None for an empty cell); a sheet larger than
    ``GRID_ROWS`` × ``GRID_COLUMNS`` is kept up to there, ``rows_in_sheet`` and
    ``columns_in_sheet`` saying how large it was."""

    name: str
    rows: tuple[tuple[Any, ...], ...]
    rows_in_sheet: int = 0
    columns_in_sheet: int = 0

    @property
    def cut(self) -> bool:
        """Whether part of the sheet was left out (past ``GRID_ROWS`` or ``GRID_COLUMNS``)."""
        return self.rows_in_sheet > GRID_ROWS or self.columns_in_sheet > GRID_COLUMNS

    def at(self, ref: str) -> Any:
        """The value at an A1 reference ("B3"); None outside what was kept."""
        row, column = cell_position(ref)
        if row <= len(self.rows) and column <= len(self.rows[row - 1]):
            return self.rows[row - 1][column - 1]
        return None


GRID_ROWS, GRID_COLUMNS = 500, 52  # enough for any deliverable of the paper; a huge sheet is not copied whole


def sheet_grid(name: str, rows: list[list[tuple[Any, bool]]]) -> SheetGrid:
    """The grid kept of a sheet read as (value, is_date) rows, trailing empty cells and rows dropped."""
    kept = []
    for raw in rows[:GRID_ROWS]:
        values = [value for value, _ in raw[:GRID_COLUMNS]]
        while values and (values[-1] is None or values[-1] == ""):
            values.pop()
        kept.append(tuple(values))
    while kept and not kept[-1]:
        kept.pop()
    return SheetGrid(name, tuple(kept), len(rows), max((len(r) for r in rows), default=0))


def cell_position(ref: str) -> tuple[int, int]:
    """Row and column numbers (from 1) of an A1 reference.

    >>> cell_position("B3"), cell_position("AA10")
    ((3, 2), (10, 27))
    """
    letters = ref.rstrip("0123456789")
    if not letters or not letters.isalpha() or not letters.isascii() or len(letters) == len(ref):
        raise ValueError(f"{ref!r} is not a cell reference")
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return int(ref[len(letters):]), column


@dataclass(frozen=True)
class Workbook:
    file: str  # path relative to the candidate folder
    sheets: dict[str, Sheet]
    missing_sheets: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    grids: tuple[SheetGrid, ...] = ()  # every sheet of the file as read, in the file's order

    def grid(self, name: str) -> SheetGrid | None:
        return next((g for g in self.grids if g.name == name), None)

    def sheet(self, spec: str) -> Sheet | None:
        return self.sheets.get(spec)
