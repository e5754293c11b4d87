"""The records that flow through the pipeline: evidence, flags, outcomes, results.

Every record is frozen. Checks build ``Outcome``; the scorer turns outcomes into
``CriterionResult``; report writers read ``CandidateResult``, and the ``Exhibit`` of each file
the page shows (made in the read stage and cached with the result), so that no report ever
opens a file of the disc.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from grader.names import result_stem

# Candidate statuses, in the words of the paper (§3).
GRADED = "graded"
ABSENT = "absent"
NEEDS_REVIEW = "needs-review"
UNREADABLE = "unreadable"
REVIEWED = "reviewed"  # an examiner decided every flag (grader.review); the flags stay, with the decisions

STATUS_LABELS = {
    GRADED: "已评分 graded",
    ABSENT: "缺考 absent",
    NEEDS_REVIEW: "待复核 needs review",
    REVIEWED: "已复核 reviewed",
    UNREADABLE: "无法读取 unreadable",
}


@dataclass(frozen=True)
class Exhibit:
    """What a reader holds of one of the candidate's files, for the candidate's page: a picture's
    preview (a small JPEG) and facts, or a text as decoded."""

    preview: bytes = b""
    width: int = 0  # as displayed (EXIF orientation applied)
    height: int = 0
    size: int = 0  # bytes on disk
    format: str = ""
    mode: str = ""
    text: str | None = None
    problem: str = ""  # why there is no preview or text, in words, when the file could not be shown
    truncated: bool = False  # the text was cut short for the page

    def to_dict(self) -> dict[str, Any]:
        return {"preview": base64.b64encode(self.preview).decode("ascii"), "width": self.width,
                "height": self.height, "size": self.size, "format": self.format, "mode": self.mode,
                "text": self.text, "problem": self.problem, "truncated": self.truncated}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Exhibit:
        return cls(**{**data, "preview": base64.b64decode(data["preview"])})


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff")  # shown as pictures
TEXT_SUFFIXES = (".txt", ".docx")  # shown as texts


@dataclass(frozen=True)
class Evidence:
    """One observation behind a criterion's points: where, what was expected, what was found."""

    message: str
    message_zh: str = ""
    file: str = ""
    sheet: str = ""
    cell: str = ""
    expected: str = ""
    found: str = ""
    ok: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "message_zh": self.message_zh,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "expected": self.expected,
            "found": self.found,
            "ok": self.ok,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(**data)


@dataclass(frozen=True)
class Flag:
    """Something an examiner must look at. Flags never change points."""

    code: str
    reason: str
    file: str = ""
    unit: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "reason": self.reason, "file": self.file, "unit": self.unit}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Flag:
        # a candidate's JSON also holds the code's Chinese name, for its readers; the flag is the rest
        return cls(data["code"], data["reason"], data.get("file", ""), data.get("unit", ""))

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.unit, self.code, self.file, self.reason)

    def key(self) -> str:
        """What an examiner's decision names the flag by: the same flag gets the same key on every
        run, and a flag that changes (another file, another share) is a new one, still open.

        >>> Flag("misplaced", "one folder too deep", "u1_accounts.xlsx", "U1").key()
        '9b1fafa4ec6f'
        """
        text = f"{self.code}\0{self.unit}\0{self.file}\0{self.reason}"
        return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:12]


@dataclass(frozen=True)
class Decision:
    """An examiner's decision on a candidate, as the results show it: a row of the review log
    (``grader.review``): a ``confirm`` (the points stand), an ``override`` of one criterion, with
    the keys of the flags it decided, or a key ``amend``-ment for everyone that changed this
    candidate's points (``points`` is then its credit per matching answer)."""

    seq: int  # the row's number in the review log
    kind: str
    examiner: str
    reason: str
    at: str  # UTC, ISO 8601, seconds
    criterion: str = ""
    points: Fraction | None = None
    flags: tuple[str, ...] = ()  # Flag.key() of each flag decided
    expected: str = ""  # an amendment's key value ("" for any) and the answer it also accepts
    found: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = {"seq": self.seq, "kind": self.kind, "examiner": self.examiner, "reason": self.reason,
                "at": self.at, "criterion": self.criterion,
                "points": fraction_text(self.points) if self.points is not None else None,
                "flags": list(self.flags)}
        return {**data, "expected": self.expected, "found": self.found} if self.kind == "amend" else data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decision:
        points = data.get("points")
        return cls(data["seq"], data["kind"], data["examiner"], data["reason"], data["at"],
                   data.get("criterion", ""), Fraction(points) if points is not None else None,
                   tuple(data.get("flags", ())), data.get("expected", ""), data.get("found", ""))


# what the read stage made of one deliverable
MISSING, UNREADABLE_FILE, READ = "missing", "unreadable", "read"


@dataclass(frozen=True)
class FileRecord:
    """One deliverable as the read stage left it: ``read`` (``parsed`` is the reader's record),
    ``missing`` or ``unreadable`` (``reason`` says why); ``file`` is where it was found."""

    name: str  # the rubric's deliverable name
    names: tuple[str, ...]  # the file or folder names it is accepted under
    state: str = MISSING
    file: str = ""
    reason: str = ""
    parsed: Any = None


@dataclass(frozen=True)
class Reading:
    """A candidate's folder read completely, before any check runs: every deliverable's record,
    the folder's listing, the flags reading raised and the files read (for the manifest)."""

    records: tuple[FileRecord, ...]
    files: tuple[str, ...] = ()  # every file of the folder, relative, junk left out
    flags: tuple[Flag, ...] = ()
    inputs: tuple[dict[str, Any], ...] = ()  # path, sha256 and size of each file read, by path
    seconds: float = 0.0  # time spent reading

    def record(self, name: str) -> FileRecord:
        for record in self.records:
            if record.name == name:
                return record
        raise KeyError(f"no deliverable {name!r} was read")

    def state(self, name: str) -> str:
        return self.record(name).state

    def parsed(self, name: str) -> Any:
        return self.record(name).parsed


@dataclass(frozen=True)
class Outcome:
    """What a check returns: the share of the criterion earned (0..1), evidence and flags."""

    share: Fraction
    evidence: tuple[Evidence, ...] = ()
    flags: tuple[Flag, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.share, Fraction):
            object.__setattr__(self, "share", Fraction(self.share))
        if not 0 <= self.share <= 1:
            raise ValueError(f"share {self.share} outside 0..1")


@dataclass(frozen=True)
class CriterionResult:
    id: str
    unit: str
    title: str
    points: Fraction
    maximum: Fraction
    evidence: tuple[Evidence, ...] = ()
    graded: bool = True
    automatic: Fraction | None = None  # set when an override replaced the points
    override: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "unit": self.unit,
            "title": self.title,
            "points": fraction_text(self.points),
            "maximum": fraction_text(self.maximum),
            "evidence": [e.to_dict() for e in self.evidence],
            "graded": self.graded,
        }
        if self.override is not None:
            data["automatic"] = fraction_text(self.automatic or Fraction(0))
            data["override"] = dict(self.override)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CriterionResult:
        return cls(
            id=data["id"],
            unit=data["unit"],
            title=data["title"],
            points=Fraction(data["points"]),
            maximum=Fraction(data["maximum"]),
            evidence=tuple(Evidence.from_dict(e) for e in data["evidence"]),
            graded=data["graded"],
            automatic=Fraction(data["automatic"]) if "automatic" in data else None,
            override=data.get("override"),
        )


@dataclass(frozen=True)
class UnitResult:
    id: str
    title: str
    title_en: str
    points: Fraction
    maximum: Fraction
    criteria: tuple[CriterionResult, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "title_en": self.title_en,
            "points": fraction_text(self.points),
            "maximum": fraction_text(self.maximum),
            "criteria": [c.to_dict() for c in self.criteria],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UnitResult:
        return cls(
            id=data["id"],
            title=data["title"],
            title_en=data["title_en"],
            points=Fraction(data["points"]),
            maximum=Fraction(data["maximum"]),
            criteria=tuple(CriterionResult.from_dict(c) for c in data["criteria"]),
        )


@dataclass(frozen=True)
class CandidateResult:
    user: str
    candidate_no: str
    name: str
    folder: str  # relative to the disc root; "" when absent
    status: str
    total: Fraction
    passed: bool
    units: tuple[UnitResult, ...]
    flags: tuple[Flag, ...] = ()
    inputs: tuple[dict[str, Any], ...] = field(default=())  # files read: path, sha256, size
    result_id: str = ""  # the stem of the candidate's files (grader.names); "" takes the user's own
    decisions: tuple[Decision, ...] = ()  # the examiners' decisions, in the review log's order

    def __post_init__(self) -> None:
        if not self.result_id:
            object.__setattr__(self, "result_id", result_stem(self.user))

    def to_dict(self) -> dict[str, Any]:
        # a plain name's result id is the name itself: its JSON stays as it was before result ids
        named = {"result_id": self.result_id} if self.result_id != self.user else {}
        # without decisions the JSON stays as it was before the review log
        reviewed = {"decisions": [d.to_dict() for d in self.decisions]} if self.decisions else {}
        return {
            **reviewed,
            **named,
            "user": self.user,
            "candidate_no": self.candidate_no,
            "name": self.name,
            "folder": self.folder,
            "status": self.status,
            "total": fraction_text(self.total),
            "passed": self.passed,
            "units": [u.to_dict() for u in self.units],
            "flags": [f.to_dict() for f in self.flags],
            "inputs": [dict(i) for i in self.inputs],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CandidateResult:
        return cls(
            user=data["user"],
            candidate_no=data["candidate_no"],
            name=data["name"],
            folder=data["folder"],
            status=data["status"],
            total=Fraction(data["total"]),
            passed=data["passed"],
            units=tuple(UnitResult.from_dict(u) for u in data["units"]),
            flags=tuple(Flag.from_dict(f) for f in data["flags"]),
            inputs=tuple(data["inputs"]),
            result_id=data.get("result_id", ""),
            decisions=tuple(Decision.from_dict(d) for d in data.get("decisions", ())),
        )

    def decided(self) -> dict[str, Decision]:
        """The decision that decided each flag, by the flag's key (the first one that named it)."""
        found: dict[str, Decision] = {}
        for decision in self.decisions:
            for key in decision.flags:
                found.setdefault(key, decision)
        return found

    def open_flags(self) -> tuple[Flag, ...]:
        """The flags no decision has decided yet."""
        decided = self.decided()
        return tuple(f for f in self.flags if f.key() not in decided)

    def unit(self, unit_id: str) -> UnitResult:
        for unit in self.units:
            if unit.id == unit_id:
                return unit
        raise KeyError(unit_id)

    def criterion(self, criterion_id: str) -> CriterionResult:
        for unit in self.units:
            for criterion in unit.criteria:
                if criterion.id == criterion_id:
                    return criterion
        raise KeyError(criterion_id)


def round_half_up(value: Fraction, places: int) -> Decimal:
    """An exact value rounded half up to ``places`` decimals: the one rounding of the project
    (convention 1), for display and for the evidence's decimals alike.

    >>> round_half_up(Fraction(9, 8), 2), round_half_up(Fraction(-5, 2), 0)
    (Decimal('1.13'), Decimal('-3'))
    """
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def evidence_files(result: CandidateResult, suffixes: tuple[str, ...]) -> dict[str, list[tuple[str, Evidence]]]:
    """Files the evidence names with one of ``suffixes``, with every evidence item (and its
    criterion) about each: the files a candidate's page shows."""
    files: dict[str, list[tuple[str, Evidence]]] = {}
    for unit in result.units:
        for criterion in unit.criteria:
            for item in criterion.evidence:
                if item.file and item.file.lower().endswith(suffixes):
                    files.setdefault(item.file, []).append((criterion.id, item))
    return files


def fraction_text(value: Fraction) -> str:
    """Exact text of a fraction: '9/4', '3', '0'."""
    return str(Fraction(value))
