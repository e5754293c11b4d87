"""The gradebook sheets of ``summary.xlsx``: class statistics, flags, overrides and two native charts.

Built from the compact per-criterion points table of the run (``SummaryRow.criteria``),
never from full results. The population is every candidate who sat the exam (status not
absent); unreadable candidates are in it with the points they got.

- ``units`` (单元统计): per unit and for the total, n, mean, median, standard deviation,
  lowest, highest, pass rate and Cronbach's alpha; the score histogram in 10-point bands
  with the pass line, and the unit means, as charts Excel draws.
- ``items`` (评分项分析): per criterion, mean, facility (mean / maximum), discrimination
  (corrected item–total correlation: the criterion's points against the total without
  them), the share scoring zero and the share scoring full marks.
- ``flags`` (标记): every flag of every candidate.
- ``overrides`` (人工改分): every examiner override with the automatic value.

Readings: a unit's pass rate is the share scoring at least the paper's pass fraction
(60 of 100) of the unit's weight. Alpha and discrimination use only criteria whose points
vary across candidates (a criterion every candidate scored alike carries no information);
alpha needs two such criteria, and is blank otherwise. Variances are sample variances.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from grader.flags import labelled
from grader.locale import zh as chinese
from grader.model import ABSENT, fraction_text
from grader.paper import Paper
from grader.report.summary import SummaryRow, put_value

BAND = 10
TOP = 100
PASS_COLOUR = "2E7D32"
FAIL_COLOUR = "C62828"
BAR_COLOUR = "4472C4"
MAX_COLOUR = "BFBFBF"


@dataclass(frozen=True)
class UnitStats:
    unit: str  # a unit id, or "total"
    title: str
    title_en: str
    maximum: Fraction
    n: int
    mean: float | None
    median: float | None
    sd: float | None
    lowest: float | None
    highest: float | None
    pass_rate: float | None
    alpha: float | None
    items: int  # criteria used for alpha (those whose points vary)


@dataclass(frozen=True)
class ItemStats:
    criterion: str
    unit: str
    title: str
    title_en: str
    maximum: Fraction
    n: int
    mean: float | None
    facility: float | None
    discrimination: float | None
    zero_share: float | None
    full_share: float | None
    automatic: bool  # False for a criterion this version of the grader does not grade


@dataclass(frozen=True)
class Band:
    label: str
    low: int
    high: int  # inclusive only for the top band
    count: int
    passing: bool


# ---------------------------------------------------------------- statistics


def present(rows: Sequence[SummaryRow]) -> list[SummaryRow]:
    """The candidates who sat the exam and whose criteria points are known."""
    return [r for r in rows if r.status != ABSENT and r.criteria]


def _frame(rows: Sequence[SummaryRow], paper: Paper):
    import pandas as pd

    ids = [c.id for c in paper.criteria()]
    data = [[float(p) for p in r.criteria] for r in rows if len(r.criteria) == len(ids)]
    return pd.DataFrame(data, columns=ids, dtype=float)


def _value(number: Any) -> float | None:
    """A pandas figure as a float, None when undefined (NaN)."""
    if number is None:
        return None
    number = float(number)
    return None if math.isnan(number) else number


def cronbach_alpha(items) -> tuple[float | None, int]:
    """Cronbach's alpha of the item columns (a DataFrame) whose points vary, with their count.

    alpha = k / (k − 1) × (1 − Σ var(item) / var(sum of the k items)), sample variances.
    """
    varying = [c for c in items.columns if items[c].nunique() > 1]
    k = len(varying)
    if k < 2 or len(items) < 2:
        return None, k
    kept = items[varying]
    total_var = kept.sum(axis=1).var(ddof=1)
    if not total_var:
        return None, k
    return _value(k / (k - 1) * (1 - kept.var(ddof=1).sum() / total_var)), k


def unit_statistics(rows: Sequence[SummaryRow], paper: Paper) -> list[UnitStats]:
    """One row per unit, then one for the total."""
    import pandas as pd

    sat = present(rows)
    frame = _frame(sat, paper)
    stats = []
    share = paper.pass_mark / TOP
    for index, unit in enumerate(paper.units):
        points = pd.Series([float(r.units[index]) for r in sat], dtype=float)
        passed = [r.units[index] >= share * unit.weight for r in sat]
        columns = [c.id for c in unit.criteria]
        alpha, k = cronbach_alpha(frame[columns])
        stats.append(_stats(unit.id, unit.title, unit.title_en, unit.weight, points, passed, alpha, k))
    totals = pd.Series([float(r.total) for r in sat], dtype=float)
    alpha, k = cronbach_alpha(frame)
    stats.append(_stats("total", "总分", "Total", Fraction(TOP), totals, [r.passed for r in sat], alpha, k))
    return stats


def _stats(unit: str, title: str, title_en: str, maximum: Fraction, points, passed: list[bool],
           alpha: float | None, k: int) -> UnitStats:
    n = len(points)
    if not n:
        return UnitStats(unit, title, title_en, maximum, 0, None, None, None, None, None, None, None, k)
    return UnitStats(unit, title, title_en, maximum, n, _value(points.mean()), _value(points.median()),
                     _value(points.std(ddof=1)) if n > 1 else None, _value(points.min()),
                     _value(points.max()), sum(passed) / n, alpha, k)


def item_statistics(rows: Sequence[SummaryRow], paper: Paper) -> list[ItemStats]:
    import pandas as pd

    sat = present(rows)
    frame = _frame(sat, paper)
    stats = []
    for index, criterion in enumerate(paper.criteria()):
        n = len(sat)
        title_en = criterion.title_en
        automatic = criterion.check != "pending"
        if not n:
            stats.append(ItemStats(criterion.id, criterion.unit, criterion.title, title_en, criterion.points,
                                   0, None, None, None, None, None, automatic))
            continue
        item = frame[criterion.id]
        # the rest of the total, exactly, so that equal rests are equal floats
        rest = pd.Series([float(r.total - r.criteria[index]) for r in sat], dtype=float)
        discrimination = None
        if item.nunique() > 1 and rest.nunique() > 1:
            discrimination = _value(item.corr(rest))
        mean = _value(item.mean())
        stats.append(ItemStats(
            criterion.id, criterion.unit, criterion.title, title_en, criterion.points, n, mean,
            mean / float(criterion.points) if criterion.points else None, discrimination,
            sum(1 for r in sat if r.criteria[index] == 0) / n,
            sum(1 for r in sat if r.criteria[index] == criterion.points) / n, automatic))
    return stats


def histogram(rows: Sequence[SummaryRow], paper: Paper) -> list[Band]:
    """Totals of the candidates who sat, in bands 0–10, 10–20, … 90–100 (the top band holds 100)."""
    bands = []
    totals = [r.total for r in present(rows)]
    for low in range(0, TOP, BAND):
        high = low + BAND
        last = high == TOP
        count = sum(1 for t in totals if low <= t < high or (last and t == high))
        bands.append(Band(f"{low}–{high}", low, high, count, low >= paper.pass_mark))
    return bands


# ---------------------------------------------------------------- sheets

UNIT_HEAD = [("单元", "Unit"), ("名称", "Title"), ("满分", "Maximum"), ("人数", "n"), ("平均分", "Mean"),
             ("中位数", "Median"), ("标准差", "SD"), ("最低", "Lowest"), ("最高", "Highest"),
             ("合格率", "Pass rate"), ("α 系数", "Cronbach's alpha"), ("α 评分项数", "Items in alpha")]
ITEM_HEAD = [("评分项", "Criterion"), ("单元", "Unit"), ("名称", "Title"), ("满分", "Maximum"), ("人数", "n"),
             ("平均分", "Mean"), ("难度(得分率)", "Facility"), ("区分度", "Discrimination"),
             ("零分比例", "Share scoring 0"), ("满分比例", "Share full marks"), ("说明", "Note")]
FLAG_HEAD = [("准考证号", "Candidate no."), ("姓名", "Name"), ("用户名", "User"), ("单元", "Unit"),
             ("标记", "Flag"), ("文件", "File"), ("原因", "Reason (zh)"),
             ("英文原因", "Reason (en)")]
OVERRIDE_HEAD = [("准考证号", "Candidate no."), ("用户名", "User"), ("评分项", "Criterion"), ("满分", "Maximum"),
                 ("自动评分", "Automatic"), ("人工改分", "Override"), ("理由", "Reason"), ("阅卷人", "Examiner")]


ALARM_MIN_PRESENT = 5  # below this a class proves nothing about its rubric and key


@dataclass(frozen=True)
class Alarm:
    """A criterion that every present candidate lost: more likely a rubric or key mistake than a
    class that all failed it, so an examiner should check the rubric and key."""

    criterion: str
    unit: str
    title: str
    points: Fraction
    present: int
    evidence: str  # what the first of them was told, as the shared evidence

    def text(self) -> str:
        return (f"{self.criterion} {self.title}: 0 / {fraction_text(self.points)} for all {self.present} "
                f"candidates 全部考生得 0 分 — {self.evidence}")


def class_alarms(rows: Sequence[SummaryRow], paper: Paper,
                 evidence_of: Callable[[str, str], str]) -> list[Alarm]:
    """Every criterion no present candidate earned a point of, once at least ``ALARM_MIN_PRESENT``
    sat the exam; ``evidence_of(result_id, criterion)`` gives the shared evidence."""
    sat = present(rows)
    if len(sat) < ALARM_MIN_PRESENT:
        return []
    alarms = []
    for i, criterion in enumerate(paper.criteria()):
        if all(len(r.criteria) > i and r.criteria[i] == 0 for r in sat):
            alarms.append(Alarm(criterion.id, criterion.unit, criterion.title, criterion.points, len(sat),
                                evidence_of(sat[0].result_id, criterion.id)))
    return alarms


def sheets(rows: Sequence[SummaryRow], paper: Paper, alarms: Sequence[Alarm] = ()) -> list[Callable[[Any], None]]:
    """The ``extra_sheets`` of ``write_xlsx``: each adds one sheet to the summary workbook."""
    return [
        lambda book: add_units_sheet(book, rows, paper),
        lambda book: add_items_sheet(book, rows, paper),
        lambda book: add_flags_sheet(book, rows),
        lambda book: add_overrides_sheet(book, rows, paper),
        lambda book: add_alarms_sheet(book, alarms),
    ]


def add_alarms_sheet(book, alarms: Sequence[Alarm]) -> None:
    """``check rubric``: the criteria every candidate lost, or a line saying there are none."""
    ws = book.create_sheet("check rubric")
    _head(ws, [("评分项", "Criterion"), ("单元", "Unit"), ("名称", "Title"), ("满分", "Points"),
               ("考生数", "Candidates"), ("共同依据", "Shared evidence")])
    for r, alarm in enumerate(alarms, start=2):
        _put(ws, r, [alarm.criterion, alarm.unit, alarm.title, float(alarm.points), alarm.present, alarm.evidence])
    if not alarms:
        _put(ws, 2, ["—", "", "没有全部考生都失分的评分项 No criterion was lost by every candidate"])
    ws.freeze_panes = "A2"


def _head(ws, head: list[tuple[str, str]], row: int = 1) -> None:
    from openpyxl.styles import Alignment, Font

    for col, (zh, en) in enumerate(head, start=1):
        cell = ws.cell(row, col, f"{zh}\n{en}")
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[row].height = 32


def _put(ws, row: int, values: list[Any], formats: dict[int, str] | None = None) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row, col)
        if isinstance(value, Fraction):
            value = float(value)
        put_value(cell, value)
        if formats and col in formats and value is not None:
            cell.number_format = formats[col]


def add_units_sheet(book, rows: Sequence[SummaryRow], paper: Paper) -> None:
    ws = book.create_sheet("units")
    _head(ws, UNIT_HEAD)
    points = "0." + "0" * paper.places if paper.places else "0"
    formats = {3: "0", 5: points, 6: points, 7: points, 8: points, 9: points, 10: "0.0%", 11: "0.000"}
    stats = unit_statistics(rows, paper)
    for r, s in enumerate(stats, start=2):
        title = f"{s.title} {s.title_en}".strip()
        _put(ws, r, [s.unit if s.unit != "total" else "总分 total", title, s.maximum, s.n, s.mean, s.median,
                     s.sd, s.lowest, s.highest, s.pass_rate, s.alpha, s.items], formats)
    last_unit_row = 1 + len(paper.units)
    note_row = len(stats) + 3
    ws.cell(note_row, 1, f"合格率: 单元得分 ≥ 满分 × {paper.pass_mark}/{TOP}; 总分 ≥ {paper.pass_mark}. "
                         f"Pass rate: unit points ≥ {paper.pass_mark}/{TOP} of the unit's maximum; "
                         f"total ≥ {paper.pass_mark}. α uses the criteria whose points vary.")
    band_row = note_row + 2
    bands = histogram(rows, paper)
    _head(ws, [("分数段", "Score band"), ("从", "From"), ("到", "To (below)"), ("人数", "Candidates")], band_row)
    for i, band in enumerate(bands, start=band_row + 1):
        _put(ws, i, [band.label, band.low, band.high, band.count])
    top, step = axis_top(max(b.count for b in bands))
    helpers = chart_data_sheet(book)
    line_x = float(paper.pass_mark / BAND)  # on the hidden 0–10 axis of the pass line
    _head(helpers, [("合格线 x", "Pass line x"), ("合格线 y", "Pass line y")])
    for row, y in enumerate((0, top), start=2):
        _put(helpers, row, [line_x, y])
    ws.freeze_panes = "A2"
    ws.add_chart(histogram_chart(ws, band_row, bands, paper, top, step, helpers), "N2")
    ws.add_chart(unit_means_chart(ws, last_unit_row), "N22")


def axis_top(count: int) -> tuple[int, int]:
    """A round top for the count axis and its step: 11 → (12, 2), 0 → (1, 1)."""
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if math.ceil(count / step) <= 8:
            return max(step, math.ceil(count / step) * step), step
    return count, max(1, count // 5)


CHART_DATA = "chart data"


def chart_data_sheet(book):
    """A hidden sheet for the numbers only a chart needs (the pass line's two points), so no
    reader of the units sheet meets unexplained cells."""
    ws = book.create_sheet(CHART_DATA)
    ws.sheet_state = "hidden"
    return ws


def histogram_chart(ws, band_row: int, bands: list[Band], paper: Paper, top: int, step: int, helpers):
    """Candidates per 10-point band, passing bands in green, with a vertical pass line.

    The pass line is a scatter series on hidden secondary axes spanning 0–10 across the
    plot, so x = pass mark / 10 falls on the band boundary; it runs from 0 to ``top`` and
    both count axes end at ``top``, so a program that draws it on the primary axis draws
    the same line.
    """
    from openpyxl.chart import BarChart, Reference, ScatterChart, Series
    from openpyxl.chart.axis import NumericAxis
    from openpyxl.chart.marker import DataPoint

    first, last = band_row + 1, band_row + len(bands)
    bar = BarChart()
    bar.type = "col"
    bar.grouping = "clustered"
    bar.gapWidth = 15
    bar.title = f"总分分布 Score distribution (合格线 pass line {paper.pass_mark})"
    bar.add_data(Reference(ws, min_col=4, min_row=band_row, max_row=last), titles_from_data=True)
    _text_categories(bar, Reference(ws, min_col=1, min_row=first, max_row=last))
    series = bar.series[0]
    series.graphicalProperties.solidFill = FAIL_COLOUR
    for index, band in enumerate(bands):
        if band.passing:
            point = DataPoint(idx=index)
            point.graphicalProperties.solidFill = PASS_COLOUR
            series.dPt.append(point)
    bar.x_axis.title = "分数段 Score band"
    bar.y_axis.title = "人数 Candidates"
    bar.x_axis.delete = False
    bar.y_axis.delete = False
    bar.y_axis.scaling.min, bar.y_axis.scaling.max = 0, top
    bar.y_axis.majorUnit = step
    bar.legend = None

    line = ScatterChart()
    line.scatterStyle = "line"
    pass_line = Series(Reference(helpers, min_col=2, min_row=2, max_row=3),
                       Reference(helpers, min_col=1, min_row=2, max_row=3),
                       title=f"合格线 Pass line {paper.pass_mark}")
    pass_line.marker.symbol = "none"
    pass_line.smooth = False
    pass_line.graphicalProperties.line.solidFill = "000000"
    pass_line.graphicalProperties.line.width = 28575  # 2.25 pt
    pass_line.graphicalProperties.line.dashStyle = "dash"
    line.series.append(pass_line)
    line.x_axis = NumericAxis(axId=500, crossAx=600)
    line.y_axis = NumericAxis(axId=600, crossAx=500)
    line.x_axis.scaling.min, line.x_axis.scaling.max = 0, TOP / BAND
    line.y_axis.scaling.min, line.y_axis.scaling.max = 0, top
    line.x_axis.delete = True
    line.y_axis.delete = True
    line.x_axis.axPos, line.y_axis.axPos = "b", "r"
    line.y_axis.crosses = "max"
    line.x_axis.majorGridlines = None
    line.y_axis.majorGridlines = None
    bar += line
    bar.width, bar.height = 18, 9
    return bar


def unit_means_chart(ws, last_unit_row: int):
    """Mean points of each unit beside the unit's maximum."""
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = "单元平均分 Unit means"
    chart.add_data(Reference(ws, min_col=5, min_row=1, max_row=last_unit_row), titles_from_data=True)
    chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=last_unit_row), titles_from_data=True)
    _text_categories(chart, Reference(ws, min_col=1, min_row=2, max_row=last_unit_row))
    chart.series[0].graphicalProperties.solidFill = BAR_COLOUR
    chart.series[1].graphicalProperties.solidFill = MAX_COLOUR
    chart.x_axis.title = "单元 Unit"
    chart.y_axis.title = "分 Points"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.scaling.min = 0
    chart.width, chart.height = 18, 9
    return chart


def _text_categories(chart, labels) -> None:
    """Category labels as text (a string reference; openpyxl's default is a numeric one)."""
    from openpyxl.chart.data_source import AxDataSource, StrRef

    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(labels)))


def add_items_sheet(book, rows: Sequence[SummaryRow], paper: Paper) -> None:
    ws = book.create_sheet("items")
    _head(ws, ITEM_HEAD)
    points = "0." + "0" * paper.places if paper.places else "0"
    formats = {4: "0.###", 6: points, 7: "0.000", 8: "0.000", 9: "0.0%", 10: "0.0%"}
    for r, s in enumerate(item_statistics(rows, paper), start=2):
        note = "" if s.automatic else "未自动评分 not graded by this version"
        _put(ws, r, [s.criterion, s.unit, f"{s.title} {s.title_en}".strip(), s.maximum, s.n, s.mean, s.facility,
                     s.discrimination, s.zero_share, s.full_share, note], formats)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def add_flags_sheet(book, rows: Sequence[SummaryRow]) -> None:
    ws = book.create_sheet("flags")
    _head(ws, FLAG_HEAD)
    r = 2
    for row in rows:
        for flag in row.flag_records:
            _put(ws, r, [row.candidate_no, row.name, row.user, flag.unit, labelled(flag.code), flag.file,
                          chinese(flag.reason), flag.reason])
            r += 1
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:H{max(r - 1, 1)}"


def add_overrides_sheet(book, rows: Sequence[SummaryRow], paper: Paper) -> None:
    ws = book.create_sheet("overrides")
    _head(ws, OVERRIDE_HEAD)
    maxima = {c.id: c.points for c in paper.criteria()}
    r = 2
    for row in rows:
        for note in row.overrides:
            _put(ws, r, [row.candidate_no, row.user, note.criterion, maxima.get(note.criterion), note.automatic,
                         note.points, note.reason, note.examiner], {4: "0.###", 5: "0.###", 6: "0.###"})
            r += 1
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:H{max(r - 1, 1)}"
