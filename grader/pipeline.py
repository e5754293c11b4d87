"""The run: intake → (per candidate, in a process pool) read → check → score → report.

Each candidate is graded on its own, under a time limit; whatever goes wrong inside becomes
a flag on that candidate. Workers write each candidate's JSON and HTML page as soon as it is
graded (overrides, validated before any grading, are applied first) and send back only a
small summary row and the candidate's similarity fingerprints, so memory does not grow with
the size of the disc. A candidate whose files, rubric, key and grader are unchanged since the
last run into the same reports folder is taken from the cache instead of being regraded;
that is also how an interrupted run resumes. After all candidates, the similarity stage adds
``similar-to`` flags and the class reports (summary, gradebook, index, manifest) are written.
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
from grader.model import ABSENT, GRADED, NEEDS_REVIEW, UNREADABLE, CandidateResult, Exhibit, Flag
from grader.outfolder import claim, disc_identity, output_problem, refuse_out_inside
from grader.overrides import Overrides, load_overrides
from grader.paper import Paper, load_paper
from grader.read import load_all as load_readers
from grader.read.exhibits import page_exhibits
from grader.read.submission import READ, Submission
from grader.report import gradebook
from grader.report.candidate_json import candidate_path, read_candidate, unchanged, write_candidate
from grader.report.html import page_name, write_candidate_page, write_fallback_page, write_index
from grader.report.manifest import file_sha256, write_manifest
from grader.report.summary import SummaryRow, write_csv, write_xlsx
from grader.score import absent_result, grade_submission, stopped_result
from grader.similarity import find_similar
from grader.sources import open_disc
from grader.supervise import Failure, supervise

Progress = Callable[[int, int, str], None]
STAGES = ("intake", "reading", "checks", "reports", "similarity", "class reports")


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

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in (GRADED, NEEDS_REVIEW, UNREADABLE, ABSENT)}

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
    """What a worker sends back for one candidate: small, whatever the size of the candidate."""

    index: int
    row: SummaryRow
    inputs: tuple[dict[str, Any], ...]
    fingerprints: dict[str, str]
    result_file: tuple[str, str]  # candidates/<result id>.json and its sha256
    cached: bool = False
    seconds: dict[str, float] = field(default_factory=dict)


def exhibits(submission: Submission, paper: Paper) -> dict[str, Exhibit]:
    """What the readers decoded of the candidate's pictures and texts (by path in the folder), so
    that making the candidate's page's exhibits need not read those files again."""
    found: dict[str, Exhibit] = {}
    for unit in paper.units:
        if submission.state(unit.deliverable) == READ:
            parsed = submission.get(unit.deliverable, unit.id)
            if hasattr(parsed, "exhibits"):
                found.update(parsed.exhibits())
    return found


def grade_candidate(entry: CandidateEntry, disc: Disc, paper: Paper, limits: Limits | None = None
                    ) -> tuple[CandidateResult, dict[str, str], dict[str, float], dict[str, Exhibit]]:
    """Grade one candidate: the automatic result, its fingerprints, the seconds spent reading
    and checking, and the exhibits of the files its page shows (``grader.read.exhibits``).
    Never raises for anything inside the candidate's files."""
    limits = limits or Limits()
    if entry.folder is None:
        return absent_result(entry, paper), {}, {}, {}
    submission = None
    shown: dict[str, Exhibit] = {}
    started = time.perf_counter()
    try:
        submission = Submission(entry.folder, paper, disc_root=disc.root, exam_end=disc.exam_end, limits=limits)
        if disc.has_roster and not entry.rostered:
            submission.flag("not-on-roster", "folder graded, but the user is not on the roster")
        result = grade_submission(entry, submission, paper)
        prints = take_fingerprints(submission, paper)
        shown = exhibits(submission, paper)
    except MemoryError:
        raise  # the supervisor flags the candidate `memory-limit`
    except Exception as exc:  # noqa: BLE001 - the last wall: a reader or scorer bug must not cost other candidates
        where = traceback.extract_tb(exc.__traceback__)[-1]
        reason = f"grading stopped: {type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})"
        result, prints = stopped_result(entry, paper, Flag("grader-error", reason), submission), {}
    clock = time.perf_counter()
    shown = page_exhibits(result, disc.root, shown)
    total = time.perf_counter() - started
    reading = (submission.read_seconds if submission is not None else 0.0) + time.perf_counter() - clock
    return result, prints, {"reading": reading, "checks": max(0.0, total - reading)}, shown


@dataclass(frozen=True)
class Job:
    """Everything a worker needs besides the paper (loaded once per worker)."""

    disc: Disc
    out: Path
    limits: Limits
    overrides: Overrides | None
    use_cache: bool
    paper_hashes: tuple[str, str]


def run_job(index: int, entry: CandidateEntry, job: Job, paper: Paper) -> Graded:
    """Grade (or take from the cache) one candidate and write its JSON and HTML page."""
    seconds: dict[str, float] = {}
    key = cache.cache_key(entry, job.disc, job.paper_hashes, job.limits)
    hit = cache.load(job.out, entry.result_id, key) if job.use_cache else None  # --fresh: not read, still written
    if hit is not None:
        result, prints, shown_files = hit
    else:
        result, prints, seconds, shown_files = grade_candidate(entry, job.disc, paper, job.limits)
        _written(lambda: cache.store(job.out, entry.result_id, key, result, prints, shown_files))
    started = time.perf_counter()
    graded = _publish(index, result, prints, job, paper, hit is not None, shown_files)
    seconds["reports"] = time.perf_counter() - started
    return replace(graded, seconds=seconds)


def stopped_job(index: int, entry: CandidateEntry, job: Job, paper: Paper, failure: Failure) -> Graded:
    """The result of a candidate whose worker was stopped or died: written like any other, never
    cached (the next run tries again)."""
    return _publish(index, stopped_result(entry, paper, Flag(failure.code, failure.reason)), {}, job, paper)


def _publish(index: int, result: CandidateResult, prints: dict[str, str], job: Job, paper: Paper,
             cached: bool = False, shown_files: dict[str, Exhibit] | None = None) -> Graded:
    """Apply the overrides and write the candidate's JSON and page (unless a cached result is
    already there exactly as it would be written)."""
    shown = job.overrides.apply(result, paper.pass_mark) if job.overrides is not None else result
    path = candidate_path(job.out, shown.result_id)
    page = job.out / "candidates" / page_name(shown.result_id)
    if not (cached and page.is_file() and unchanged(job.out, shown, paper.places)):
        path = _written(lambda: write_candidate(job.out, shown, paper.places))
        _written(lambda: write_page(job.out, shown, paper, shown_files))
    return Graded(index, SummaryRow.of(shown), result.inputs, prints,
                  (path.relative_to(job.out).as_posix(), file_sha256(path)), cached)


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

        yield from run_on_dask(dask, numbered, job, paper)
        return
    for (index, entry), outcome in supervise(
            numbered, _work, workers=min(jobs, len(entries)), seconds=job.limits.candidate_seconds,
            max_bytes=job.limits.max_memory_bytes, initializer=_start_worker, initargs=(paper, job),
            method=method):
        yield stopped_job(index, entry, job, paper, outcome) if isinstance(outcome, Failure) else outcome


# ---------------------------------------------------------------- the run


def grade_disc(disc_path: str | Path, paper: Paper | str | Path = "2026A", out: str | Path | None = None,
               *, jobs: int | None = None, only: Iterable[str] | None = None,
               progress: Progress | None = None, overrides: str | Path | None = None,
               limits: Limits | None = None, use_cache: bool = True, dask: str | None = None,
               start_method: str | None = None) -> Run:
    """Grade every candidate of a disc (a folder, an .iso or a .zip) and write the reports.

    ``overrides``: an overrides CSV (see ``grader.overrides``), checked before any grading.
    ``use_cache=False`` (``--fresh``) regrades every candidate and replaces the out folder's
    earlier results, of this disc or another. ``dask``: a dask.distributed scheduler address
    (``tcp://host:8786``) to send the candidates to instead of the local worker processes.
    ``start_method``: how workers start (``fork`` or ``spawn``); the platform's best by default.
    Raises ``OutputError`` when the out folder cannot be used (see ``grader.outfolder``), and
    ``NothingReadError``, after every report is written, when no present candidate has a
    deliverable read.
    """
    if not isinstance(paper, Paper):
        paper = load_paper(paper)
    limits = limits or Limits()
    load_readers()
    disc_path = Path(disc_path)
    out = Path(out) if out is not None else default_out(disc_path)
    with open_disc(disc_path, limits) as source:
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

    job = Job(disc, out, limits, changes, use_cache, (paper.rubric_sha256, paper.key_sha256))
    rows: list[SummaryRow | None] = [None] * len(entries)
    similar = disc.exam.get("similarity", True) is not False
    # one compact blob per candidate: thousands of texts kept as separate strings while the same
    # process grades (--jobs 1) pinned the heap and grew it by a third of a MiB a candidate
    prints: dict[str, bytes] = {}
    written: dict[str, str] = {}
    cached = 0
    if progress:
        progress(0, len(entries), "")  # the count is known before the first candidate
    for done, graded in enumerate(_graded(entries, job, paper, jobs, dask, start_method), start=1):
        rows[graded.index] = graded.row
        if similar:
            prints[graded.row.result_id] = orjson.dumps(graded.fingerprints)
        written[graded.result_file[0]] = graded.result_file[1]
        cached += graded.cached
        for stage, spent in graded.seconds.items():
            seconds[stage] += spent
        for item in graded.inputs:
            inputs[item["path"]] = item
        if progress:
            progress(done, len(entries), graded.row.user)
    final = [r for r in rows if r is not None]

    clock = time.perf_counter()
    if similar:
        final = _written(lambda: _add_similarity(
            final, {user: orjson.loads(blob) for user, blob in prints.items()}, paper, job, written))
    seconds["similarity"] = time.perf_counter() - clock

    clock = time.perf_counter()
    run = Run(out, paper, final, inputs, changes, seconds, cached, list(source.warnings))
    _written(lambda: _write_class_reports(out, final, paper, disc, disc_path, inputs, {
        "disc_identity": identity,
        "overrides": changes.manifest_record() if changes is not None else None,
        "results": dict(sorted(written.items())),
        "source": {"kind": source.kind, "warnings": source.warnings},
    }))
    seconds["class reports"] = time.perf_counter() - clock
    return run


def _write_class_reports(out: Path, final: list[SummaryRow], paper: Paper, disc: Disc, disc_path: Path,
                         inputs: dict[str, dict[str, Any]], extra: dict[str, Any]) -> None:
    write_csv(out / "summary.csv", final, paper)
    write_xlsx(out / "summary.xlsx", final, paper, extra_sheets=gradebook.sheets(final, paper))
    write_index(out, final, paper, disc.exam)
    write_manifest(out, paper, disc_path, inputs, extra=extra)


def _add_similarity(rows: list[SummaryRow], prints: dict[str, dict[str, str]], paper: Paper, job: Job,
                    written: dict[str, str]) -> list[SummaryRow]:
    """Flag candidates whose work matches another's; rewrite only their JSON and pages."""
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
    if not by_user:
        return rows
    updated = []
    for row in rows:
        if row.result_id not in by_user:
            updated.append(row)
            continue
        path = candidate_path(job.out, row.result_id)
        result = read_candidate(path)
        flags = tuple(sorted(set(result.flags) | set(by_user[row.result_id]), key=Flag.sort_key))
        status = NEEDS_REVIEW if result.status == GRADED else result.status
        result = replace(result, flags=flags, status=status)
        path = write_candidate(job.out, result, paper.places)
        written[path.relative_to(job.out).as_posix()] = file_sha256(path)
        hit = cache.load(job.out, row.result_id, None)
        write_page(job.out, result, paper, hit[2] if hit is not None else {})
        updated.append(SummaryRow.of(result))
    return updated


def write_page(out: Path, result: CandidateResult, paper: Paper, exhibits: dict[str, Exhibit]) -> None:
    """The candidate's HTML page; a page that cannot be rendered becomes a plain page saying why,
    so one candidate's odd data never stops the batch (the JSON result is already written)."""
    try:
        write_candidate_page(out, result, paper, exhibits)
    except Exception as exc:  # noqa: BLE001 - the last wall for reports, as grade_candidate is for grading
        write_fallback_page(out, result, f"{type(exc).__name__}: {exc}")
