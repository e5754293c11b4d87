"""``summary.xlsx`` and ``summary.csv``: one row per candidate, roster order, Chinese and English headers."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

from grader.flags import labelled
from grader.locale import match
from grader.locale import zh as chinese
from grader.model import ABSENT, STATUS_LABELS, CandidateResult, Decision, Flag, fraction_text
from grader.names import result_stem
from grader.paper import Paper
from grader.report import write_atomic
from grader.score import display

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class OverrideNote(NamedTuple):
    """An examiner's override as the class list shows it."""

    criterion: str
    automatic: Fraction
    points: Fraction
    reason: str
    examiner: str

    def text(self) -> str:
        return (f"{self.criterion} {fraction_text(self.automatic)}→{fraction_text(self.points)} "
                f"({self.reason} — {self.examiner})")


@dataclass(frozen=True)
class SummaryRow:
    """What the class list needs of a candidate; small, so a large run keeps only these in memory.

    ``criteria`` holds the points of every criterion in paper order: the compact table the
    gradebook's statistics are built from.
    """

    user: str
    candidate_no: str
    name: str
    status: str
    units: tuple[Fraction, ...]
    total: Fraction
    passed: bool
    flags: tuple[str, ...]
    criteria: tuple[Fraction, ...] = ()
    overrides: tuple[OverrideNote, ...] = ()
    flag_records: tuple[Flag, ...] = ()
    result_id: str = ""  # the stem of the candidate's files; "" takes the user's own
    decisions: tuple[Decision, ...] = ()  # the review log's decisions on the candidate

    def __post_init__(self) -> None:
        if not self.result_id:
            object.__setattr__(self, "result_id", result_stem(self.user))

    @classmethod
    def of(cls, result: CandidateResult) -> SummaryRow:
        flags = tuple(flag_text(f) for f in result.flags)
        criteria = [c for u in result.units for c in u.criteria]
        overrides = tuple(
            OverrideNote(c.id, c.automatic or Fraction(0), c.points, c.override.get("reason", ""),
                         c.override.get("examiner", ""))
            for c in criteria if c.override is not None)
        return cls(result.user, result.candidate_no, result.name, result.status,
                   tuple(u.points for u in result.units), result.total, result.passed, flags,
                   tuple(c.points for c in criteria), overrides, result.flags, result.result_id,
                   result.decisions)


def flag_text(flag: Flag) -> str:
    """A flag as the class list shows it: its Chinese name and code, then its details (the unit and
    file, the reason in Chinese with the measured values: the time, the sizes); a similarity flag
    as the other candidate, the share and the work: ``与他人相似 similar-to (ks07, 93%, U8 reply_02)``."""
    name = labelled(flag.code)
    found = match(flag.reason) if flag.code == "similar-to" else None
    if found is not None and set(found[1]) == {"other", "share", "label"}:
        values = found[1]
        return f"{name} ({values['other']}, {values['share']}%, {values['label']})"
    where = " ".join(part for part in (flag.unit, flag.file) if part)
    return name + (f" ({where})" if where else "") + (f": {chinese(flag.reason)}" if flag.reason else "")


def neutral(value: str) -> str:
    """Text that a spreadsheet program cannot take for a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def headers(paper: Paper) -> list[tuple[str, str]]:
    head = [("准考证号", "Candidate no."), ("姓名", "Name"), ("用户名", "User")]
    head += [(f"{u.id} {u.title}", f"{u.title_en} ({u.weight})") for u in paper.units]
    head += [("总分", "Total (100)"), ("合格", "Pass"), ("状态", "Status"), ("标记", "Flags"),
             ("人工改分", "Overrides")]
    return head


def row_values(row: SummaryRow, paper: Paper, between: str = "; ") -> list[Any]:
    """The row's cells; ``between`` separates its flags and its overrides (a line break in the
    workbook, where each flag then starts its own line)."""
    places = paper.places
    return [row.candidate_no, row.name, row.user,
            *[display(p, places) for p in row.units],
            display(row.total, places), verdict(row),
            STATUS_LABELS.get(row.status, row.status), between.join(row.flags),
            between.join(o.text() for o in row.overrides)]


def verdict(row: SummaryRow) -> str:
    if row.status == ABSENT:
        return "缺考 absent"
    return "合格 pass" if row.passed else "不合格 fail"


def write_csv(path: Path, rows: list[SummaryRow], paper: Paper) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f"{zh} {en}" for zh, en in headers(paper)])
    for row in rows:
        writer.writerow([neutral(v) if isinstance(v, str) else v for v in row_values(row, paper)])
    write_atomic(path, buffer.getvalue().encode("utf-8-sig"))


def write_xlsx(path: Path, rows: list[SummaryRow], paper: Paper, extra_sheets: list[Any] = ()) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = "summary"
    head = headers(paper)
    for col, (zh, en) in enumerate(head, start=1):
        cell = ws.cell(1, col, f"{zh}\n{en}")
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row_values(row, paper, "\n"), start=1):
            cell = ws.cell(r, col)
            put_value(cell, value)
            if not isinstance(value, str):
                cell.number_format = "0." + "0" * paper.places if paper.places else "0"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{len(rows) + 1}"
    ws.print_area = ws.auto_filter.ref  # text overflowing to the right does not widen the page
    for add in extra_sheets:
        add(book)
    for sheet in list(book.worksheets):
        if sheet.sheet_state == "visible":
            fit_columns(sheet)
            print_setup(sheet)
        else:  # helpers for charts go last, after every sheet a reader looks at
            book.move_sheet(sheet, len(book.worksheets) - 1 - book.index(sheet))
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(path, buffer.getvalue())


def print_setup(ws: Any) -> None:
    """A4 landscape, every column on the page's width, the header row on every page, a footer
    with the sheet and page number: the class list prints as a centre files it."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&A — 第 &P / &N 页"


WIDEST = 60  # characters: a wider text wraps inside its column
NARROWEST = 6
LINE_POINTS = 18  # a row's height per line of text: CJK glyphs need more than Latin's default 15
TALLEST = 10  # lines a row grows to at most


def fit_columns(ws: Any) -> None:
    """Columns as wide as their values (a CJK character two wide) up to ``WIDEST``, and headers as
    wide as their longest English word; every text that is wider wraps, its row grown to show it.
    A row holding one text alone (a note under a table) runs on to the right instead."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    rows = [[c for c in row if c.value is not None] for row in ws.iter_rows(min_row=2)]
    widths: dict[int, int] = {}
    for cell in ws[1]:
        if cell.value is not None:
            latin = [w for w in str(cell.value).split() if not _is_cjk(w)]  # CJK wraps between characters
            widths[cell.column] = max((_display_width(w) for w in latin), default=4) + 1  # bold
    for row in rows:
        if len(row) < 2:
            continue
        for cell in row:
            widths[cell.column] = max(widths.get(cell.column, 0), _shown_width(cell))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, NARROWEST), WIDEST)
    # one Alignment per horizontal setting, set on every cell that has it: the workbook keeps each
    # distinct style once, and finds the very object it holds at once instead of comparing a new
    # one field by field (a class of thousands has hundreds of thousands of cells)
    aligned: dict[Any, Any] = {}
    for row in [[c for c in ws[1] if c.value is not None], *rows]:
        if len(row) < 2 and row and row[0].row != 1:
            continue
        lines = 1
        for cell in row:
            horizontal = cell.alignment.horizontal
            alignment = aligned.get(horizontal)
            if alignment is None:
                alignment = aligned[horizontal] = Alignment(horizontal=horizontal, vertical="top", wrap_text=True)
            cell.alignment = alignment
            if not isinstance(cell.value, str):
                continue  # a number is one line, shown in its format
            lines = max(lines, wrapped_lines(cell.value, ws.column_dimensions[cell.column_letter].width))
        if row:
            ws.row_dimensions[row[0].row].height = LINE_POINTS * min(lines, TALLEST)


def wrapped_lines(text: str, room: float) -> int:
    r"""The lines ``text`` takes in a column ``room`` characters wide, wrapped as a spreadsheet
    does: between English words, and between any two CJK characters.

    >>> wrapped_lines("满分比例\nShare full marks", 8)
    4
    """
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0
        for token in WRAP_TOKENS.findall(paragraph):
            width = _display_width(token)
            gap = 1 if used and not _is_cjk(token) else 0
            if used and used + gap + width > room:
                lines, used = lines + 1, width
            else:
                used += gap + width
        total += lines
    return total


WRAP_TOKENS = re.compile(r"[\u2e80-\U0010ffff]|[^\s\u2e80-\U0010ffff]+")


def _shown_width(cell: Any) -> int:
    value = cell.value
    if isinstance(value, bool):
        return 5
    if isinstance(value, float):
        return len(f"{value:.3f}")
    return max(_display_width(part) for part in str(value).split("\n"))


def _is_cjk(text: str) -> bool:
    return any(ord(ch) > 0x2E80 for ch in text)


def put_value(cell: Any, value: Any) -> None:
    """Set an xlsx cell; text is stored as text, never a formula, without the control
    characters a workbook cannot hold."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
    else:
        cell.value = value


def _display_width(text: str) -> int:
    """Columns a text takes in Excel: CJK characters are two wide."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
