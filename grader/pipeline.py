"""The run: intake → (per candidate, in a process pool) read → check → score → report.

Each candidate is graded on its own, under a time limit; whatever goes wrong inside becomes
a flag on that candidate. Workers put each candidate's result, fingerprints and exhibits (what
its page shows of its files) in the cache as soon as it is graded, and send back only the
similarity fingerprints and the cache entry's key, so memory does not grow with the size of
the disc. A candidate whose files, rubric, key and grader are unchanged since the last run
into the same reports folder is taken from the cache instead of being regraded; that is also
how an interrupted run resumes. After all candidates, the similarity stage finds the
``similar-to`` flags; then each candidate's JSON and page are written once, from its cache
entry (overrides, validated before any grading, applied; the disc is not opened again), and
the class reports (summary, gradebook, index, manifest). ``rewrite_reports`` writes them all
again from the cache alone.
"""
from __future__ import annotations

import hashlib
import os
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import orjson

from grader import cache
from grader.checks import load_all as load_checks
from grader.errors import DiscError, NothingReadError, OutputError
from grader.fingerprints import fingerprints as take_fingerprints
from grader.intake import CandidateEntry, Disc, flag_skipped, scan_disc
from grader.limits import Limits
from grader.model import (
    ABSENT,
    GRADED,
    NEEDS_REVIEW,
    READ,
    REVIEWED,
    UNREADABLE,
    CandidateResult,
    Exhibit,
    Flag,
    Reading,
)
from grader.outfolder import claim, disc_identity, held_disc, output_problem, refuse_out_inside
from grader.overrides import Override, Overrides, load_overrides
from grader.paper import Paper, choose_paper, load_paper
from grader.read import load_all as load_readers
from grader.read.exhibits import page_exhibits
from grader.read.submission import read_submission
from grader.report import gradebook, json_bytes, write_atomic
from grader.report.candidate_json import candidate_path, shared_evidence, unchanged, write_candidate
from grader.report.html import page_name, write_candidate_page, write_fallback_page, write_index
from grader.report.manifest import file_sha256, write_manifest
from grader.report.summary import SummaryRow, write_csv, write_xlsx
from grader.review.decisions import Decisions, load_decisions
from grader.review.sheet import add_decisions_sheet
from grader.score import absent_result, grade_reading, stopped_result
from grader.similarity import find_similar
from grader.sources import open_disc
from grader.supervise import Failure, supervise

Progress = Callable[[int, int, str], None]
STAGES = ("intake", "reading", "checks", "similarity", "reports", "class reports")


@dataclass
class Run:
    """What a run produced: where the reports are, the class's figures, where the time went."""

    out: Path
    paper: Paper
    rows: list[SummaryRow]
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    overrides: Overrides | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # per stage; worker stages summed over workers
    cached: int = 0  # candidates taken from the cache
    warnings: list[str] = field(default_factory=list)
    alarms: list[Any] = field(default_factory=list)  # criteria every present candidate lost: check the rubric

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in (GRADED, NEEDS_REVIEW, REVIEWED, UNREADABLE, ABSENT)}

    @property
    def present(self) -> list[SummaryRow]:
        return [r for r in self.rows if r.status != ABSENT]

    @property
    def nothing_read(self) -> bool:
        """Candidates are present, but not one has a deliverable read (each unreadable, or an empty folder)."""
        return bool(self.present) and all(
            r.status == UNREADABLE or any(f.code == "no-deliverables" for f in r.flag_records) for r in self.present)

    @property
    def mean(self) -> Fraction | None:
        present = self.present
        if not present:
            return None
        return sum((r.total for r in present), Fraction(0)) / len(present)

    @property
    def pass_rate(self) -> Fraction | None:
        present = self.present
        if not present:
            return None
        return Fraction(sum(1 for r in present if r.passed), len(present))


def default_out(disc: Path) -> Path:
    name = disc.resolve().name or "disc"
    return Path("reports") / (name.rsplit(".", 1)[0] if disc.is_file() else name)


def deliverable_names(paper: Paper) -> list[str]:
    return [n for spec in paper.deliverables.values() for n in spec.names]


# ---------------------------------------------------------------- one candidate


@dataclass
class Graded:
    """What a worker sends back for one candidate: small, whatever the size of the candidate.
    The result itself is in the cache under ``key``; a stopped candidate's (never cached) is here."""

    index: int
    user: str
    result_id: str
    key: str
    inputs: tuple[dict[str, Any], ...]
    fingerprints: dict[str, str]
    cached: bool = False
    stopped: CandidateResult | None = None
    seconds: dict[str, float] = field(default_factory=dict)


def exhibits(reading: Reading) -> dict[str, Exhibit]:
    """What the readers decoded of the candidate's pictures and texts (by path in the folder), so
    that making the candidate's page's exhibits need not read those files again."""
    found: dict[str, Exhibit] = {}
    for record in reading.records:
        if record.state == READ and hasattr(record.parsed, "exhibits"):
            found.update(record.parsed.exhibits())
    return found


def grade_candidate(entry: CandidateEntry, disc: Disc, paper: Paper, limits: Limits | None = None
                    ) -> tuple[CandidateResult, dict[str, str], dict[str, float], dict[str, Exhibit]]:
    """Grade one candidate: read its folder completely, then check and score what was read.
    Return the automatic result, its fingerprints, the seconds spent reading and checking, and
    the exhibits of the files its page shows (``grader.read.exhibits``). Never raises for
    anything inside the candidate's files."""
    limits = limits or Limits()
    if entry.folder is None:
        return absent_result(entry, paper), {}, {}, {}
    reading = None
    shown: dict[str, Exhibit] = {}
    started = time.perf_counter()
    try:
        known = (Flag("not-on-roster", "folder graded, but the user is not on the roster"),) \
            if disc.has_roster and not entry.rostered else ()
        reading = read_submission(entry.folder, paper, disc_root=disc.root, exam_end=disc.exam_end,
                                  limits=limits, flags=known)
        result = grade_reading(entry, reading, paper)
        prints = take_fingerprints(reading, paper, len(entry.folder.relative_to(disc.root).parts))
        shown = exhibits(reading)
    except MemoryError:
        raise  # the supervisor flags the candidate `memory-limit`
    except Exception as exc:  # noqa: BLE001 - the last wall: a reader or scorer bug must not cost other candidates
        where = traceback.extract_tb(exc.__traceback__)[-1]
        reason = f"grading stopped: {type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})"
        result, prints = stopped_result(entry, paper, Flag("grader-error", reason), reading), {}
    clock = time.perf_counter()
    shown = page_exhibits(result, disc.root, shown)
    total = time.perf_counter() - started
    spent = (reading.seconds if reading is not None else 0.0) + time.perf_counter() - clock
    return result, prints, {"reading": spent, "checks": max(0.0, total - spent)}, shown


@dataclass(frozen=True)
class Job:
    """Everything a worker needs besides the paper (loaded once per worker)."""

    disc: Disc
    out: Path
    limits: Limits
    use_cache: bool
    paper_hashes: tuple[str, str]


def run_job(index: int, entry: CandidateEntry, job: Job, paper: Paper) -> Graded:
    """Grade one candidate (or find it in the cache) and leave its result, fingerprints and
    exhibits in the cache, as it finishes: an interrupted run resumes from there. Its reports are
    written after the similarity stage (``publish``)."""
    seconds: dict[str, float] = {}
    key = cache.cache_key(entry, job.disc, job.paper_hashes, job.limits)
    hit = cache.load(job.out, entry.result_id, key) if job.use_cache else None  # --fresh: not read, still written
    if hit is not None:
        result, prints, _ = hit
    else:
        result, prints, seconds, shown_files = grade_candidate(entry, job.disc, paper, job.limits)
        _written(lambda: cache.store(job.out, entry.result_id, key, result, prints, shown_files))
    return Graded(index, result.user, result.result_id, key, result.inputs, prints, hit is not None,
                  seconds=seconds)


def stopped_job(index: int, entry: CandidateEntry, job: Job, paper: Paper, failure: Failure) -> Graded:
    """The result of a candidate whose worker was stopped or died: written like any other, never
    cached (the next run tries again)."""
    result = stopped_result(entry, paper, Flag(failure.code, failure.reason))
    return Graded(index, result.user, result.result_id, "", result.inputs, {}, stopped=result)


# ---------------------------------------------------------------- the candidates' reports


@dataclass(frozen=True)
class Ready:
    """One candidate, graded, as the report writers need it: where its result is (the cache
    entry under ``key``, or the stopped result itself) and the similarity flags it gets."""

    result_id: str
    key: str
    cached: bool = False
    stopped: CandidateResult | None = None
    similar: tuple[Flag, ...] = ()


@dataclass(frozen=True)
class Published:
    row: SummaryRow
    result_file: tuple[str, str]  # candidates/<result id>.json and its sha256


def publish(out: Path, paper: Paper, overrides: Overrides | None, ready: Ready,
            decisions: Decisions | None = None) -> Published:
    """Write one candidate's JSON and page, once: its result with the overrides applied, its
    similarity flags added and the review log's decisions applied, and the exhibits cached with
    it (the disc is not opened). A cached candidate whose JSON is already exactly this is not
    rewritten."""
    shown, shown_files = _as_shown(out, paper, overrides, ready, decisions)
    path = candidate_path(out, shown.result_id)
    page = out / "candidates" / page_name(shown.result_id)
    if not (ready.cached and page.is_file() and unchanged(out, shown, paper.places)):
        path = _written(lambda: write_candidate(out, shown, paper.places))
        _written(lambda: write_page(out, shown, paper, shown_files))
    return _published(out, shown, path)


def _as_shown(out: Path, paper: Paper, overrides: Overrides | None, ready: Ready,
              decisions: Decisions | None = None) -> tuple[CandidateResult, dict[str, Exhibit]]:
    """The candidate's result as its reports show it, and its exhibits."""
    if ready.stopped is not None:
        result, shown_files = ready.stopped, {}
    else:
        entry = cache.load(out, ready.result_id, ready.key or None)
        if entry is None:
            raise OutputError(f"{cache.cache_path(out, ready.result_id)}: the result just graded cannot be "
                              f"read back from the cache; grade again")
        result, _, shown_files = entry
    shown = overrides.apply(result, paper.pass_mark) if overrides is not None else result
    if ready.similar:
        shown = replace(shown, flags=tuple(sorted(set(shown.flags) | set(ready.similar), key=Flag.sort_key)),
                        status=NEEDS_REVIEW if shown.status == GRADED else shown.status)
    if decisions is not None:  # after the similarity flags: a decision can decide those too
        shown = decisions.apply(shown, paper.pass_mark)
    return shown, shown_files


def _published(out: Path, shown: CandidateResult, path: Path) -> Published:
    return Published(SummaryRow.of(shown), (path.relative_to(out).as_posix(), file_sha256(path)))


def _publish_stopped(out: Path, paper: Paper, overrides: Overrides | None, ready: Ready,
                     failure: Failure, decisions: Decisions | None = None) -> Published:
    """A candidate whose page took a writer past its limits: its JSON, and a plain page saying why."""
    shown, _ = _as_shown(out, paper, overrides, ready, decisions)
    path = _written(lambda: write_candidate(out, shown, paper.places))
    _written(lambda: write_fallback_page(out, shown, f"{failure.code}: {failure.reason}"))
    return _published(out, shown, path)


def _start_writer(out: Path, paper: Paper, overrides: Overrides | None, decisions: Decisions | None
                  ) -> tuple[Path, Paper, Overrides | None, Decisions | None]:
    return out, paper, overrides, decisions


def _write_one(state: tuple[Path, Paper, Overrides | None, Decisions | None], index: int,
               ready: Ready) -> Published:
    out, paper, overrides, decisions = state
    return publish(out, paper, overrides, ready, decisions)


def _written(write: Callable[[], Any]) -> Any:
    """Run a report write; a failure of the out folder (full, read-only, not permitted, a file in
    the way) becomes an OutputError: the run stops with one line, it is not a candidate's flag."""
    try:
        return write()
    except OSError as exc:
        raise OutputError(output_problem(exc)) from None


def _start_worker(paper: Paper, job: Job) -> tuple[Paper, Job]:
    load_checks()  # a spawned worker starts bare (the paper arrives pickled); a forked one has them
    load_readers()
    return paper, job


def _work(state: tuple[Paper, Job], index: int, entry: CandidateEntry) -> Graded:
    paper, job = state
    return run_job(index, entry, job, paper)


def _graded(entries: list[CandidateEntry], job: Job, paper: Paper, jobs: int,
            dask: str | None, method: str | None) -> Iterator[Graded]:
    numbered = list(enumerate(entries))
    if dask:
        from grader.distributed import run_on_dask

        yield from run_on_dask(dask, numbered, job, paper, method)
        return
    for (index, entry), outcome in supervise(
            numbered, _work, workers=min(jobs, len(entries)), seconds=job.limits.candidate_seconds,
            max_bytes=job.limits.max_memory_bytes, initializer=_start_worker, initargs=(paper, job),
            method=method):
        yield stopped_job(index, entry, job, paper, outcome) if isinstance(outcome, Failure) else outcome


# ---------------------------------------------------------------- the run


def grade_disc(disc_path: str | Path, paper: Paper | str | Path | None = None, out: str | Path | None = None,
               *, jobs: int | None = None, only: Iterable[str] | None = None,
               progress: Progress | None = None, overrides: str | Path | None = None,
               limits: Limits | None = None, use_cache: bool = True, dask: str | None = None,
               start_method: str | None = None, papers: Iterable[str | Path] = ()) -> Run:
    """Grade every candidate of a disc (a folder, an .iso or a .zip) and write the reports.

    ``paper``: a loaded paper, an id or a rubric file; None takes exam.toml's paper, else the
    default paper (``grader.paper.choose_paper``); ``papers``: folders searched first for an id.

    ``overrides``: an overrides CSV (see ``grader.overrides``), checked before any grading.
    ``use_cache=False`` (``--fresh``) regrades every candidate and replaces the out folder's
    earlier results, of this disc or another. ``dask``: a dask.distributed scheduler address
    (``tcp://host:8786``) to send the candidates to instead of the local worker processes.
    ``start_method``: how workers start (``fork`` or ``spawn``); the platform's best by default.
    Raises ``OutputError`` when the out folder cannot be used (see ``grader.outfolder``), and
    ``NothingReadError``, after every report is written, when no present candidate has a
    deliverable read.
    """
    limits = limits or Limits()
    load_readers()
    disc_path = Path(disc_path)
    out = Path(out) if out is not None else default_out(disc_path)
    with open_disc(disc_path, limits) as source:
        if not isinstance(paper, Paper):  # an image's exam.toml is read once it is unpacked
            paper = load_paper(choose_paper(paper, source.root, papers), papers=papers)
        run = _grade_source(source, disc_path, paper, out, jobs=jobs, only=only, progress=progress,
                            overrides=overrides, limits=limits, use_cache=use_cache, dask=dask,
                            start_method=start_method)
    if run.nothing_read:
        folders = f"{len(run.present)} folder{'s' if len(run.present) > 1 else ''} graded"
        raise NothingReadError(f"no candidate on {disc_path} has a readable deliverable ({folders}, reports in "
                               f"{out}): is this the right disc, or was it burned without long file names?", run)
    return run


def _grade_source(source, disc_path: Path, paper: Paper, out: Path, *, jobs: int | None,
                  only: Iterable[str] | None, progress: Progress | None, overrides: str | Path | None,
                  limits: Limits, use_cache: bool, dask: str | None, start_method: str | None) -> Run:
    clock = time.perf_counter()
    seconds = dict.fromkeys(STAGES, 0.0)
    if dask and source.kind != "folder":
        from grader.distributed import ClusterError

        raise ClusterError(f"--dask grades a disc folder on a mount every worker shares; {disc_path} is an "
                           f".{source.kind} image, unpacked where only this machine sees it: copy its "
                           f"contents to the shared mount and grade that folder")
    disc = flag_skipped(scan_disc(source.root, deliverable_names(paper)), source.skipped)
    refuse_out_inside(out, disc.root)
    entries = disc.candidates
    if only:
        wanted = {u.strip().casefold() for u in only if u.strip()}
        entries = [e for e in entries if e.user.casefold() in wanted or e.result_id.casefold() in wanted]
        if not entries:
            raise DiscError(f"none of {', '.join(sorted(wanted))} is a candidate on {disc_path}")
    changes = None
    if overrides is not None:
        changes = load_overrides(overrides, [(e.user, e.result_id) for e in disc.candidates],
                                 {c.id: c.points for c in paper.criteria()},
                                 [(e.user, e.result_id) for e in disc.candidates if e.folder is None])
    jobs = jobs or os.cpu_count() or 1
    identity = disc_identity(disc)
    with claim(out, identity, paper.id, fresh=not use_cache):
        return _grade_claimed(source, disc, disc_path, entries, paper, out, jobs=jobs, progress=progress,
                              changes=changes, limits=limits, use_cache=use_cache, dask=dask,
                              start_method=start_method, identity=identity, seconds=seconds, clock=clock)


def _grade_claimed(source, disc: Disc, disc_path: Path, entries: list[CandidateEntry], paper: Paper, out: Path,
                   *, jobs: int, progress: Progress | None, changes: Overrides | None, limits: Limits,
                   use_cache: bool, dask: str | None, start_method: str | None, identity: dict[str, Any],
                   seconds: dict[str, float], clock: float) -> Run:
    inputs: dict[str, dict[str, Any]] = {}
    for path in disc.inputs:
        data = path.read_bytes()
        inputs[disc.relative(path)] = {"path": disc.relative(path), "sha256": hashlib.sha256(data).hexdigest(),
                                       "size": len(data)}
    seconds["intake"] = time.perf_counter() - clock

    job = Job(disc, out, limits, use_cache, (paper.rubric_sha256, paper.key_sha256))
    ready: list[Ready | None] = [None] * len(entries)
    similar = disc.exam.get("similarity", True) is not False
    # one compact blob per candidate: thousands of texts kept as separate strings while the same
    # process grades (--jobs 1) pinned the heap and grew it by a third of a MiB a candidate
    prints: dict[str, bytes] = {}
    cached = 0
    if progress:
        progress(0, len(entries), "")  # the count is known before the first candidate
    for done, graded in enumerate(_graded(entries, job, paper, jobs, dask, start_method), start=1):
        ready[graded.index] = Ready(graded.result_id, graded.key, graded.cached, graded.stopped)
        if similar:
            prints[graded.result_id] = orjson.dumps(graded.fingerprints)
        cached += graded.cached
        for stage, spent in graded.seconds.items():
            seconds[stage] += spent
        for item in graded.inputs:
            inputs[item["path"]] = item
        if progress:
            progress(done, len(entries), graded.user)
    candidates = [r for r in ready if r is not None]
    _written(lambda: _store_run(out, candidates, disc.exam, changes))
    decisions = load_decisions(out, identity["id"], paper.id)

    clock = time.perf_counter()
    flags = similar_flags({rid: orjson.loads(blob) for rid, blob in prints.items()}, paper) if similar else {}
    del prints
    seconds["similarity"] = time.perf_counter() - clock

    clock = time.perf_counter()
    published = _publish_all(out, paper, changes, candidates, flags, 1 if dask else jobs, limits, start_method,
                             decisions)
    seconds["reports"] = time.perf_counter() - clock
    final = [p.row for p in published]
    written = {p.result_file[0]: p.result_file[1] for p in published}

    clock = time.perf_counter()
    alarms = class_alarms(out, final, paper)
    run = Run(out, paper, final, inputs, changes, seconds, cached, [*paper.warnings, *source.warnings], alarms)
    _written(lambda: _write_class_reports(out, final, paper, disc.exam, alarms, {
        "disc_identity": identity,
        "overrides": changes.manifest_record() if changes is not None else None,
        "review": decisions.manifest_record(),
        "results": dict(sorted(written.items())),
        "source": {"kind": source.kind, "warnings": source.warnings},
    }, disc_path, inputs))
    seconds["class reports"] = time.perf_counter() - clock
    return run


def _publish_all(out: Path, paper: Paper, overrides: Overrides | None, candidates: list[Ready],
                 flags: dict[str, tuple[Flag, ...]], jobs: int = 1, limits: Limits | None = None,
                 method: str | None = None, decisions: Decisions | None = None) -> list[Published]:
    """Every candidate's JSON and page, in ``jobs`` worker processes (rendering the pages is most of
    it; one process alone made a large run a sixth slower), in roster order."""
    ready = [replace(r, similar=flags.get(r.result_id, ())) for r in candidates]
    if jobs <= 1 or len(ready) <= 1:
        return [publish(out, paper, overrides, r, decisions) for r in ready]
    limits = limits or Limits()
    published: list[Published | None] = [None] * len(ready)
    for (index, item), outcome in supervise(
            list(enumerate(ready)), _write_one, workers=min(jobs, len(ready)), seconds=limits.candidate_seconds,
            max_bytes=limits.max_memory_bytes, initializer=_start_writer,
            initargs=(out, paper, overrides, decisions), method=method):
        published[index] = (_publish_stopped(out, paper, overrides, item, outcome, decisions)
                            if isinstance(outcome, Failure) else outcome)
    return [p for p in published if p is not None]


def _write_class_reports(out: Path, final: list[SummaryRow], paper: Paper, exam: dict[str, Any],
                         alarms: list[gradebook.Alarm], extra: dict[str, Any] | None = None,
                         disc_path: Path | None = None, inputs: dict[str, dict[str, Any]] | None = None) -> None:
    """The class reports; the manifest too when the disc's facts are given (``extra``)."""
    write_csv(out / "summary.csv", final, paper)
    write_xlsx(out / "summary.xlsx", final, paper,
               extra_sheets=[*gradebook.sheets(final, paper, alarms), lambda book: add_decisions_sheet(book, final)])
    write_index(out, final, paper, exam, alarms)
    if extra is not None and disc_path is not None:
        write_manifest(out, paper, disc_path, inputs or {}, extra=extra)


def class_alarms(out: Path, final: list[SummaryRow], paper: Paper) -> list[gradebook.Alarm]:
    """The criteria every present candidate lost, with the evidence the first was given (from
    the candidate JSON just written)."""
    return gradebook.class_alarms(final, paper, lambda result_id, criterion: shared_evidence(out, result_id,
                                                                                              criterion))


# ---------------------------------------------------------------- reports again, from the cache


RUN_RECORD = "run.record"  # in the cache folder, beside the entries (each <result id>.json)


def _store_run(out: Path, candidates: list[Ready], exam: dict[str, Any], overrides: Overrides | None) -> None:
    """What the reports of the run are made of besides the cache entries: the candidates in roster
    order with their entries' keys (a stopped candidate's result itself), the exam's facts and
    the overrides applied."""
    write_atomic(out / cache.CACHE_DIR / RUN_RECORD, json_bytes({
        "candidates": [{"result_id": r.result_id, "key": r.key,
                        "stopped": r.stopped.to_dict() if r.stopped is not None else None} for r in candidates],
        "exam": {k: v for k, v in exam.items() if isinstance(v, (str, int, float, bool))},
        "overrides": None if overrides is None else {
            "path": str(overrides.path), "sha256": overrides.sha256,
            "rows": [{**o.record(), "line": o.line, "candidate": o.candidate, "criterion": o.criterion}
                     for o in overrides.rows]},
    }))


def _overrides_of(record: dict[str, Any] | None) -> Overrides | None:
    if record is None:
        return None
    return Overrides(Path(record["path"]), record["sha256"], tuple(
        Override(row["line"], row["candidate"], row["criterion"], Fraction(row["points"]), row["reason"],
                 row["examiner"]) for row in record["rows"]))


def rewrite_reports(out: str | Path, paper: Paper | str | Path | None = None) -> list[SummaryRow]:
    """Write every candidate's JSON and page, the summaries and the index again from the reports
    folder's cache alone (the disc is not needed, nor opened), as the last run wrote them:
    similarity flags found again from the cached fingerprints, the run's overrides and the review
    log's decisions for this disc applied. The manifest, which describes the disc, is left as it
    is. Returns the class list."""
    if not isinstance(paper, Paper):
        paper = load_paper(paper)
    out = Path(out)
    path = out / cache.CACHE_DIR / RUN_RECORD
    try:
        record = orjson.loads(path.read_bytes())
        candidates = [Ready(c["result_id"], c["key"], stopped=CandidateResult.from_dict(c["stopped"])
                            if c["stopped"] is not None else None) for c in record["candidates"]]
        exam = dict(record["exam"])
        overrides = _overrides_of(record["overrides"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise OutputError(f"{path}: no record of a run to rewrite the reports from ({exc})") from None
    flags: dict[str, tuple[Flag, ...]] = {}
    if exam.get("similarity", True) is not False:
        prints = {}
        for r in candidates:
            entry = cache.load(out, r.result_id, r.key) if r.stopped is None else None
            prints[r.result_id] = entry[1] if entry is not None else {}
        flags = similar_flags(prints, paper)
    decisions = load_decisions(out, str(held_disc(out).get("id", "")), paper.id)
    final = [p.row for p in _publish_all(out, paper, overrides, candidates, flags, decisions=decisions)]
    _written(lambda: _write_class_reports(out, final, paper, exam, class_alarms(out, final, paper)))
    return final


def similar_flags(prints: dict[str, dict[str, str]], paper: Paper) -> dict[str, tuple[Flag, ...]]:
    """The ``similar-to`` flags of the candidates whose work matches another's, by result id."""
    options = paper.similarity
    pairs = find_similar(prints, materials_text=paper.key.memo("material texts", paper.key.texts),
                         materials_files=set(paper.key.files.values()),
                         text_threshold=options["text_threshold"], image_distance=options["image_distance"],
                         common_share=options["common_share"], workers=-1)
    by_user: dict[str, list[Flag]] = {}
    for pair in pairs:
        for user in (pair.a, pair.b):
            unit = pair.label.split()[0] if pair.kind != "file" else ""
            file = pair.label if pair.kind == "file" else ""
            by_user.setdefault(user, []).append(Flag("similar-to", pair.reason_for(user), file, unit))
    return {user: tuple(flags) for user, flags in by_user.items()}


def write_page(out: Path, result: CandidateResult, paper: Paper, exhibits: dict[str, Exhibit]) -> None:
    """The candidate's HTML page; a page that cannot be rendered becomes a plain page saying why,
    so one candidate's odd data never stops the batch (the JSON result is already written)."""
    try:
        write_candidate_page(out, result, paper, exhibits)
    except Exception as exc:  # noqa: BLE001 - the last wall for reports, as grade_candidate is for grading
        write_fallback_page(out, result, f"{type(exc).__name__}: {exc}")
