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
class Workbook:
    file: str  # path relative to the candidate folder
    sheets: dict[str, Sheet]
    missing_sheets: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def sheet(self, spec: str) -> Sheet | None:
        return self.sheets.get(spec)
