"""Examiner overrides: points an examiner sets by hand after the automatic scoring.

An overrides file is a CSV with one row per changed criterion::

    candidate,criterion,points,reason,examiner
    ks07,U3-02,2,"keyword 'insulated' typed with two typos; accepted on review",examiner-01

Every row is checked before any candidate is graded (as many fields as the header, quotes
well formed, a known candidate who sat the exam, a criterion of the paper, points from 0 to
the criterion's maximum, a reason and an examiner within their length caps and free of
control characters, no criterion named twice for one candidate); the first bad row stops the
run with its line number. A reason holding a comma must be in double quotes (a double quote
inside it doubled): an unquoted ``关键词拼错两处, 复核后接受`` is one field too many, as is
``1,5`` typed for 1.5, and both are refused rather than read into the wrong columns. The file may be saved by Excel (UTF-8 with or without BOM, or GBK);
blank lines and lines starting with ``#`` are skipped. Headers may be English or Chinese
(考生, 评分项, 分数, 理由, 阅卷人).

Applied after the automatic scoring, an override replaces the criterion's points; the
result keeps the automatic value, the reason and the examiner, so every report can show
all three. Overrides never touch flags.

>>> from fractions import Fraction
>>> parse_points("1.5"), parse_points("9/4"), parse_points(" 2 ")
(Fraction(3, 2), Fraction(9, 4), Fraction(2, 1))
>>> parse_points("two") is None
True
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from grader.errors import OverridesError
from grader.model import CandidateResult, UnitResult, fraction_text
from grader.names import find

COLUMNS = ("candidate", "criterion", "points", "reason", "examiner")
ALIASES = {
    "candidate": ("candidate", "user", "username", "考生", "用户名"),
    "criterion": ("criterion", "criterion id", "评分项", "评分点"),
    "points": ("points", "score", "分数", "得分"),
    "reason": ("reason", "理由", "原因"),
    "examiner": ("examiner", "阅卷人", "评分人", "考评员"),
}

TEMPLATE = """\
# Overrides 人工改分 — one row per criterion whose automatic points an examiner changes.
# candidate 考生 = the user name (ks07), or the result id where two folders share a name;
# criterion 评分项 = a criterion id of the paper (U3-02);
# points 分数 = the new points, from 0 to the criterion's maximum (1.5 or 9/4);
# reason 理由 and examiner 阅卷人 are required. Lines starting with # are ignored.
# Use:  grade DISC --overrides overrides.csv
candidate,criterion,points,reason,examiner
# ks07,U3-02,2,"keyword typed with two typos; accepted on review",examiner-01
"""

_NUMBER = re.compile(r"\d+(\.\d+)?(/\d+)?")
MAX_BYTES = 4 * 1024 * 1024  # an overrides file larger than this is not a file of overrides
# characters each field may hold; the review log (grader.review) holds the same caps
LIMITS = {"candidate": 64, "criterion": 16, "points": 32, "reason": 500, "examiner": 64}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Override:
    """One row of an overrides file."""

    line: int
    candidate: str  # the candidate's result id
    criterion: str
    points: Fraction
    reason: str
    examiner: str

    def record(self) -> dict[str, str]:
        """What the criterion's result keeps of the override (no line number: results stay stable)."""
        return {"points": fraction_text(self.points), "reason": self.reason, "examiner": self.examiner}


@dataclass(frozen=True)
class Overrides:
    """A validated overrides file: its rows by (candidate, criterion), its path and sha256."""

    path: Path
    sha256: str
    rows: tuple[Override, ...]

    def for_candidate(self, result_id: str) -> dict[str, Override]:
        return {o.criterion: o for o in self.rows if o.candidate == result_id}

    def apply(self, result: CandidateResult, pass_mark: Fraction) -> CandidateResult:
        """The result with this candidate's overrides in place of the automatic points."""
        return apply_overrides(result, self.for_candidate(result.result_id).values(), pass_mark)

    def manifest_record(self) -> dict[str, object]:
        return {"path": str(self.path.resolve()), "sha256": self.sha256, "rows": len(self.rows)}


def parse_points(text: str) -> Fraction | None:
    """Points as typed: a decimal or a fraction, full-width digits allowed; None when not a number."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not _NUMBER.fullmatch(cleaned):
        return None
    try:
        return Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        return None


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (BOM or not), else GB 18030 as Excel on a Chinese Windows saves CSV."""
    from grader.errors import ReadError
    from grader.read.tables import decode_csv

    try:
        return decode_csv(data)
    except ReadError as exc:
        raise OverridesError(f"the file is neither UTF-8 nor GBK text ({exc})") from None


def load_overrides(path: str | Path, candidates: Iterable[str | tuple[str, str]], maxima: dict[str, Fraction],
                   absent: Iterable[str | tuple[str, str]] = ()) -> Overrides:
    """Read and validate an overrides file; raise OverridesError naming the first bad line.

    ``candidates`` are the candidates of the disc, each a (user name, result id) pair or a user
    name that is its own result id; ``maxima`` every criterion id with its maximum; ``absent``
    the candidates who did not sit the exam (they have no work to re-score).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise OverridesError(f"overrides file {path}: {size} bytes, more than {MAX_BYTES}: not an overrides file")
        data = path.read_bytes()
    except OSError as exc:
        raise OverridesError(f"overrides file {path}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = decode(data)
    except OverridesError as exc:
        raise OverridesError(f"overrides file {path}: {exc}") from None
    users = [_pair(c) for c in candidates]
    missing = {_pair(c)[1] for c in absent}
    criteria = {c.upper(): c for c in maxima}
    rows: list[Override] = []
    seen: dict[tuple[str, str], int] = {}
    header: dict[str, int] | None = None
    fields = 0
    for line, record in _records(text, path):
        where = f"overrides file {path}, line {line}"
        if not any(v.strip() for v in record) or record[0].lstrip().startswith("#"):
            continue
        if header is None:
            header, fields = _header(record, where), len(record)
            continue
        if len(record) != fields:
            raise OverridesError(f"{where}: {len(record)} fields where the header has {fields}; a value holding "
                                 f"a comma goes in double quotes (\"关键词拼错两处, 复核后接受\"), and points "
                                 f"are written 1.5, not 1,5")
        row = _row(record, header, line, where, users, missing, criteria, maxima)
        pair = (row.candidate, row.criterion)
        if pair in seen:
            raise OverridesError(f"{where}: {row.candidate} {row.criterion} already overridden on "
                                 f"line {seen[pair]}")
        seen[pair] = row.line
        rows.append(row)
    if header is None:
        raise OverridesError(f"overrides file {path}: no header row ({','.join(COLUMNS)})")
    return Overrides(path, hashlib.sha256(data).hexdigest(), tuple(rows))


def _records(text: str, path: Path) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on (a quoted value may span lines), read strictly:
    a stray quote or an overlong field is refused with its line."""
    reader = csv.reader(io.StringIO(text), strict=True)
    end = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise OverridesError(f"overrides file {path}, line {reader.line_num}: {exc} (a value holding a comma "
                                 f"or a quote goes in double quotes, each quote inside it doubled)") from None
        line, end = end + 1, reader.line_num
        yield line, record


def _header(record: list[str], where: str) -> dict[str, int]:
    names = [_name_key(v) for v in record]
    header = {}
    for column, aliases in ALIASES.items():
        for index, name in enumerate(names):
            if name in {_name_key(a) for a in aliases}:
                header[column] = index
                break
        else:
            raise OverridesError(f"{where}: the header lacks the column {column!r} "
                                 f"(expected {','.join(COLUMNS)})")
    return header


def _row(record: list[str], header: dict[str, int], line: int, where: str, users: list[tuple[str, str]],
         absent: set[str], criteria: dict[str, str], maxima: dict[str, Fraction]) -> Override:
    values = {c: (record[i].strip() if i < len(record) else "") for c, i in header.items()}
    for column, value in values.items():
        if len(value) > LIMITS[column]:
            raise OverridesError(f"{where}: the {column} is {len(value)} characters, more than {LIMITS[column]}")
        if _CONTROL.search(value):
            raise OverridesError(f"{where}: the {column} holds a control character")
    user = unicodedata.normalize("NFKC", values["candidate"]).strip()
    if not user:
        raise OverridesError(f"{where}: no candidate")
    named = find(user, users)
    if not named:
        raise OverridesError(f"{where}: candidate {user!r} is not on this disc")
    if len(named) > 1:
        raise OverridesError(f"{where}: candidate {user!r} stands for {len(named)} folders on this disc; "
                             f"give the result id of one: {', '.join(named)}")
    if named[0] in absent:
        raise OverridesError(f"{where}: candidate {user!r} is absent (缺考); there is no work to re-score")
    typed = unicodedata.normalize("NFKC", values["criterion"]).strip()
    criterion = criteria.get(typed.upper())
    if criterion is None:
        raise OverridesError(f"{where}: {typed!r} is not a criterion of this paper")
    points = parse_points(values["points"])
    if points is None:
        raise OverridesError(f"{where}: points {values['points']!r} is not a number")
    if not 0 <= points <= maxima[criterion]:
        raise OverridesError(f"{where}: points {values['points']} outside 0–{fraction_text(maxima[criterion])} "
                             f"for {criterion}")
    if not values["reason"]:
        raise OverridesError(f"{where}: a reason is required")
    if not values["examiner"]:
        raise OverridesError(f"{where}: the examiner is required")
    return Override(line, named[0], criterion, points, values["reason"], values["examiner"])


def apply_overrides(result: CandidateResult, overrides: Iterable[Override], pass_mark: Fraction) -> CandidateResult:
    """Replace the named criteria's points, keeping the automatic value; recompute units and total."""
    by_criterion = {o.criterion: o for o in overrides}
    if not by_criterion:
        return result
    units: list[UnitResult] = []
    for unit in result.units:
        criteria = []
        for criterion in unit.criteria:
            override = by_criterion.get(criterion.id)
            if override is not None:
                automatic = criterion.automatic if criterion.override is not None else criterion.points
                criterion = replace(criterion, points=override.points, automatic=automatic,
                                    override=override.record())
            criteria.append(criterion)
        points = sum((c.points for c in criteria), Fraction(0))
        units.append(replace(unit, points=points, criteria=tuple(criteria)))
    total = sum((u.points for u in units), Fraction(0))
    return replace(result, units=tuple(units), total=total, passed=total >= pass_mark)


def _pair(candidate: str | tuple[str, str]) -> tuple[str, str]:
    return (candidate, candidate) if isinstance(candidate, str) else (candidate[0], candidate[1])


def _name_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()
