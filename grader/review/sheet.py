"""The ``decisions`` sheet of summary.xlsx (复核记录): every review decision applied, one row each."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from grader.flags import labelled
from grader.model import fraction_text
from grader.report.summary import SummaryRow

HEAD = [("序号", "Row"), ("准考证号", "Candidate no."), ("姓名", "Name"), ("用户名", "User"),
        ("决定", "Decision"), ("评分项", "Criterion"), ("分数", "Points"), ("已决标记", "Flags decided"),
        ("考评员", "Examiner"), ("理由", "Reason"), ("时间 (UTC)", "At (UTC)")]
KIND_LABELS = {"confirm": "确认 confirm", "override": "改分 override", "amend": "修正答案 key amendment"}


def add_decisions_sheet(book: Any, rows: Sequence[SummaryRow]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from grader.report.summary import put_value

    ws = book.create_sheet("decisions")
    for col, (zh, en) in enumerate(HEAD, start=1):
        cell = ws.cell(1, col, f"{zh}\n{en}")
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    r = 2
    for row in rows:
        codes = {f.key(): labelled(f.code) for f in row.flag_records}
        for d in row.decisions:
            values = [d.seq, row.candidate_no, row.name, row.user, KIND_LABELS.get(d.kind, d.kind), d.criterion,
                      fraction_text(d.points) if d.points is not None else "",
                      "; ".join(codes.get(k, k) for k in d.flags), d.examiner, d.reason, d.at]
            for col, value in enumerate(values, start=1):
                put_value(ws.cell(r, col), value)
            r += 1
    for col, width in enumerate([6, 14, 12, 12, 14, 10, 8, 40, 16, 60, 22], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
