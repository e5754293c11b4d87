"""The ``grade`` command: a thin layer over the library. Only this module prints and exits."""
from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from grader.console import echo
from grader.errors import GraderError
from grader.limits import MB, Limits

EXIT_INTERNAL = 3  # the grader itself failed; a crash log says where


class DiscFirstGroup(click.Group):
    """``grade DISC`` runs the grading; ``grade sample …`` and other words are subcommands.

    Every command's library errors become one line and exit 1; anything else is the grader's own
    failure: its traceback goes to a crash log, and the one line says where (exit 3).
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["run", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except GraderError as exc:
            raise click.ClickException(str(exc)) from None
        except (click.ClickException, click.exceptions.Abort, click.exceptions.Exit, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the grader's own failure: logged, then one line
            log = write_crash_log(exc)
            echo(f"Error: grade stopped on an internal error ({type(exc).__name__}: {exc}) 评分程序内部出错. "
                 f"The details are in {log}; please send that file with your report "
                 f"详情见该文件，请随问题报告一并发送.", err=True)
            ctx.exit(EXIT_INTERNAL)


def write_crash_log(exc: BaseException) -> Path:
    """The traceback, the command line and the versions, in a file of the temporary folder."""
    import datetime as dt
    import platform
    import tempfile
    import traceback

    from grader import __version__

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = (f"grade {__version__} on Python {platform.python_version()}, {platform.platform()}\n"
            f"command: {' '.join(sys.argv)}\n\n"
            + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    folder = Path(tempfile.gettempdir())
    path = folder / f"grade-crash-{stamp}-{os.getpid()}.log"
    try:
        path.write_text(text, encoding="utf-8", errors="replace")
    except OSError:
        path = Path.cwd() / path.name
        path.write_text(text, encoding="utf-8", errors="replace")
    return path


@click.group(cls=DiscFirstGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="exam-grader")
def main() -> None:
    """Grade a disc of the cross-border e-commerce operations exam (跨境电商运营实操考试).

    \b
    Usage:  grade DISC [options]        grade every candidate folder on DISC
            grade sample OUT            write a demo disc with known expected points
            grade explain OUT USER      why a candidate got their points
            grade verify DISC OUT       do the results still belong to this disc?
            grade review OUT            the review page; decisions and sign-off by option
            grade diff OLD NEW          what changed between two results folders
            grade records OUT           printable score records and class register
            grade overrides-template    print an empty overrides file
            grade papers                the papers it can grade
    \b
    Example:
      grade /media/cdrom
      grade /media/cdrom --out reports/2026-11-25 --jobs 2

    Run `grade run --help` for the grading options.
    """
    signal.signal(signal.SIGTERM, _interrupted)  # SIGTERM stops a run like Ctrl-C: cleanly


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


papers_option = click.option(
    "--papers", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="DIR",
    help="A folder holding rubrics/ and answer_keys/, searched first for a paper id (then GRADER_PAPERS, "
         "then the papers installed with the grader). May be given several times.")


@main.command("run")
@click.argument("disc", type=click.Path(path_type=Path))
@click.option("--paper", default=None, metavar="ID|PATH",
              help="Paper id (rubrics/<id>.toml) or a rubric file. Default: exam.toml's paper, else the "
                   "default paper (see `grade papers`).")
@papers_option
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder for the reports. Default: reports/<disc name>/.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Candidates graded at once (processes). Default: the number of cores.")
@click.option("--only", default=None, metavar="ks01,ks02", help="Grade only these users.")
@click.option("--overrides", type=click.Path(path_type=Path), default=None, metavar="CSV",
              help="Examiner overrides (candidate,criterion,points,reason,examiner), applied after the "
                   "automatic scoring. See `grade overrides-template`.")
@click.option("--resume/--fresh", "use_cache", default=True,
              help="Take candidates whose files are unchanged since the last run into the same --out from "
                   "its cache, so an interrupted run continues where it stopped (default); --fresh "
                   "regrades everyone and replaces the out folder's earlier results, also another "
                   "disc's.")
@click.option("--timeout", type=click.FloatRange(min=0), default=Limits.candidate_seconds, show_default=True,
              help="Seconds one candidate may take before it is stopped and flagged `timeout` (0: no limit).")
@click.option("--max-file-mb", type=click.FloatRange(min=0.001), default=Limits.max_file_bytes / MB,
              show_default=True, help="Files larger than this are not read; the candidate is flagged.")
@click.option("--max-memory-mb", type=click.IntRange(min=0), default=Limits.max_memory_bytes // MB,
              show_default=True,
              help="Memory one candidate may take before it is stopped and flagged `memory-limit` (Linux; "
                   "0: no cap).")
@click.option("--dask", default=None, metavar="tcp://HOST:PORT",
              help="Send the candidates to a dask.distributed scheduler instead of local processes. "
                   "The disc (a folder) and --out must be at the same paths on every worker; start workers "
                   "with DASK_DISTRIBUTED__WORKER__DAEMON=False and --nthreads 1.")
@click.option("--timings", type=click.Path(path_type=Path), default=None, metavar="JSON",
              help="Write the seconds spent per stage (intake, reading, checks, reports, …) to this file.")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary; errors only.")
def run(disc: Path, paper: str | None, out: Path | None, jobs: int | None, only: str | None,
        overrides: Path | None, use_cache: bool, timeout: float, max_file_mb: float, max_memory_mb: int,
        dask: str | None, timings: Path | None, quiet: bool, papers: tuple[Path, ...]) -> None:
    """Grade every candidate folder on DISC and write the reports.

    DISC is the folder burned from the exam server (or its .iso image, or a .zip of it):
    candidate folders (ks01, ks02, …) at its root or one level down, with optional exam.toml
    and roster.csv / roster.xlsx. The disc is only read. Reports: index.html, candidates/<id>.html and .json, summary.xlsx (with the
    units, items, flags and overrides sheets and two charts), summary.csv, flags.html (what each
    flag code means), manifest.json.

    \b
    Example:
      grade /media/cdrom --out /tmp/r
      grade /media/cdrom --out /tmp/r --overrides overrides.csv
    """
    from grader.pipeline import default_out, grade_disc

    try:
        out = out or default_out(disc)
        bar = ProgressBar() if not quiet and sys.stderr.isatty() else None
        users = only.split(",") if only else None
        limits = Limits(max_file_bytes=int(max_file_mb * MB), candidate_seconds=timeout,
                        max_memory_bytes=max_memory_mb * MB)
        options = {"jobs": jobs, "only": users, "overrides": overrides, "limits": limits,
                   "use_cache": use_cache, "dask": dask, "papers": papers}
        try:
            result = grade_disc(disc, paper, out, progress=bar, **options)
        finally:
            if bar is not None:
                bar.close()
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        echo(interrupted_text(sys.argv), err=True)
        sys.exit(130)
    if timings is not None:
        import json

        timings.write_text(json.dumps({"seconds": result.seconds, "candidates": len(result.rows),
                                       "cached": result.cached}, indent=1) + "\n", encoding="utf-8")
    if not quiet:
        echo(summary_text(result))


def interrupted_text(argv: list[str]) -> str:
    """What a stopped run says: what was kept, and the command that continues it."""
    import shlex
    import subprocess

    args = ["grade", *argv[1:]]
    command = subprocess.list2cmdline(args) if os.name == "nt" else shlex.join(args)
    return ("interrupted 已中断: the results already written are whole 已写入的结果完整有效; "
            f"run the same command again to continue 再次运行同一命令即可继续:\n  {command}")


class ProgressBar:
    """The console's progress bar, made when the run knows how many candidates it grades (the
    library's first call says so), so it never starts at 0/1.

    The time left is measured from the first candidate finished on, once two more have: the
    first one carries the workers' start (processes, the paper), which made a 12-second run
    promise two minutes.
    """

    SAMPLES = 2  # candidates finished after the first before a time left is shown

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.bar = None
        self.done = 0
        self.clock = clock
        self.first: tuple[int, float] | None = None

    def __call__(self, done: int, total: int, user: str) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="grading 评分", file=sys.stderr, show_pos=True,
                                         show_eta=False, item_show_func=lambda shown: shown)
            self.bar.__enter__()
        now = self.clock()
        if done and self.first is None:
            self.first = (done, now)
        self.bar.update(done - self.done, self.left(done, total, now))
        self.done = done

    def left(self, done: int, total: int, now: float) -> str:
        """``剩余 left 0:09``, or "" while too few candidates are finished to say."""
        if self.first is None or done - self.first[0] < self.SAMPLES or done >= total:
            return ""
        each = (now - self.first[1]) / (done - self.first[0])
        seconds = round(each * (total - done))
        return f"剩余 left {seconds // 60}:{seconds % 60:02d}"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


REVIEW_SHOWN = 10  # candidates named in the closing summary; the rest are in index.html


def summary_text(result) -> str:
    from grader.model import NEEDS_REVIEW, UNREADABLE
    from grader.score import display

    counts = result.counts
    lines = [
        f"paper {result.paper.id}: {plural(len(result.rows), 'candidate')} 考生",
        (f"  graded 已评分 {counts['graded']}   needs review 待复核 {counts['needs-review']}   "
         f"reviewed 已复核 {counts['reviewed']}   "
         f"unreadable 无法读取 {counts['unreadable']}   absent 缺考 {counts['absent']}"),
    ]
    if result.mean is not None:
        rate = display(result.pass_rate * 100, 1)
        lines.append(f"  mean 平均分 {display(result.mean, result.paper.places)}   "
                     f"pass rate 合格率 {rate}% (pass mark 合格线 {result.paper.pass_mark})")
    if result.overrides is not None:
        lines.append(f"  overrides 人工改分: {plural(len(result.overrides.rows), 'row')} 条 from 来自 "
                     f"{result.overrides.path}")
    if result.cached:
        lines.append(f"  unchanged since the last run 未变化（沿用上次结果）: {result.cached} "
                     f"(--fresh regrades them 重新评分请加 --fresh)")
    for warning in result.warnings:
        lines.append(f"  warning 警告: {warning}")
    lines.append(f"  reports 报告: {result.out}{os.sep}  (open 打开 {result.out / 'index.html'})")
    for alarm in result.alarms:
        lines.append(f"  check the rubric and key 请核对评分标准与答案: {alarm.text()}")
    review = [r for r in result.rows if r.status in (NEEDS_REVIEW, UNREADABLE)]
    if review:
        named = ", ".join(r.result_id for r in review[:REVIEW_SHOWN])
        more = f" and {len(review) - REVIEW_SHOWN} more 等" if len(review) > REVIEW_SHOWN else ""
        first = review[0].result_id
        lines.append(f"  to review 需复核: {named}{more}")
        lines.append(f"  next 下一步: grade explain {result.out} {first}   (why, flag by flag 逐项说明)")
        lines.append(f"  then 然后: grade review {result.out} --confirm {first} --examiner NAME   "
                     f"(the points stand 确认分数; or --override {first} CRITERION POINTS 改分)")
    else:
        lines.append(f"  next 下一步: grade review {result.out} --sign-off --examiner NAME   "
                     f"(sign the class off 签署定稿), then 然后 grade records {result.out}   "
                     f"(printable records 打印记录)")
    return "\n".join(lines)


@main.command("explain")
@click.argument("out", type=click.Path(path_type=Path))
@click.argument("user")
@click.argument("part", required=False, metavar="[CRITERION|UNIT]")
def explain(out: Path, user: str, part: str | None) -> None:
    """Print why USER got their points, from the results in OUT (no regrading): each criterion
    with points / maximum, the evidence of every deduction, overrides and flags. USER is a user
    name or, where two folders share one, a result id (the name of the candidate's .json file).

    \b
    Example:
      grade explain /tmp/r ks07
      grade explain /tmp/r ks07 U3-02
    """
    from grader.report.explain import explain as explain_text

    try:
        echo(explain_text(out, user, part))
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None


@main.command("verify")
@click.argument("disc", type=click.Path(path_type=Path))
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--paper", default=None, metavar="ID|PATH",
              help="Paper to check against. Default: the rubric the run used.")
@papers_option
@click.option("--overrides", type=click.Path(path_type=Path), default=None, metavar="CSV",
              help="Overrides file to check against. Default: the file the run used.")
def verify(disc: Path, out: Path, paper: str | None, overrides: Path | None,
           papers: tuple[Path, ...]) -> None:
    """Check that the results in OUT still belong to DISC, the rubric, the key and the overrides:
    recompute the sha256 of every input file, the rubric, the key, the overrides file and the
    result files, and compare with OUT's manifest.json. Exit status 1 when anything differs.

    \b
    Example:
      grade verify /media/cdrom /tmp/r
    """
    from grader.verify import verify as verify_results

    try:
        outcome = verify_results(disc, out, paper, overrides, papers=papers)
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None
    echo("\n".join(outcome.lines()))
    if not outcome.ok:
        sys.exit(1)


@main.command("review")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--confirm", "confirms", multiple=True, metavar="USER",
              help="Confirm every open flag of USER: the points stand. May be given several times.")
@click.option("--override", "overrides", multiple=True, nargs=3, metavar="USER CRITERION POINTS",
              help="Set CRITERION's points for USER (1.5 or 9/4, from 0 to the maximum); decides the open "
                   "flags of the criterion's unit. May be given several times.")
@click.option("--amend", "amendment", nargs=3, default=None, metavar="CRITERION ANSWER CREDIT",
              help="Amend the key for everyone: under CRITERION, accept ANSWER (as found in the evidence), "
                   "each such answer earning CREDIT points. Shows who gains what and asks before saving.")
@click.option("--expected", default="", metavar="VALUE",
              help="With --amend: accept ANSWER only where the key said VALUE.")
@click.option("--yes", is_flag=True, help="With --amend: save without asking.")
@click.option("--sign-off", "signing", is_flag=True,
              help="Sign the class off as final; refused while any candidate needs review.")
@click.option("--examiner", default="", metavar="NAME", help="Who decides (考评员), recorded with each decision.")
@click.option("--reason", default="", metavar="TEXT", help="Why, recorded with each confirm and override.")
@click.option("--list", "listing", is_flag=True, help="List the candidates who need review, in roster order.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default="any free port",
              help="The review page's port on 127.0.0.1.")
@click.option("--no-browser", is_flag=True, help="Print the review page's URL without opening a browser.")
def review(out: Path, confirms: tuple[str, ...], overrides: tuple[tuple[str, str, str], ...],
           amendment: tuple[str, str, str] | None, expected: str, yes: bool, signing: bool,
           examiner: str, reason: str, listing: bool, port: int, no_browser: bool) -> None:
    """Review the results in OUT: on a local page, or decision by decision from the command line.

    Without a decision or --list, serves the review page on 127.0.0.1 (its URL, with the run's
    token, on one line; Ctrl+C stops it): the queue of candidates needing review, each beside the
    deliverables as read, with forms to confirm, override and amend the key. Each decision is
    appended to OUT/review-log.jsonl (who, when, what, why) and every report is written again
    from the cache at once. A candidate whose flags are all decided is `reviewed`. --sign-off
    makes the class final; it exits 1, naming who still needs review, while anyone does. --list
    lists the candidates who need review in roster order.

    \b
    Example:
      grade review /tmp/r
      grade review /tmp/r --list
      grade review /tmp/r --confirm ks05 --examiner 考评员01 --reason "文件位置已核实"
      grade review /tmp/r --override ks05 U4-02 1/2 --examiner 考评员01 --reason "CMYK accepted in part"
      grade review /tmp/r --amend U2-02 简约 2/5 --expected 北欧 --examiner 考评员01 --reason "两种风格均可"
      grade review /tmp/r --sign-off --examiner 考评员01
    """
    from grader.review import actions

    try:
        done = None
        for user in confirms:
            done = actions.confirm(out, user, examiner, reason)
            echo(_decided(done))
        for user, criterion, points in overrides:
            done = actions.override(out, user, criterion, points, examiner, reason)
            echo(_decided(done))
        if amendment is not None:
            criterion, answer, credit = amendment
            echo("\n".join(actions.preview_amendment(out, criterion, answer, credit, expected).lines()))
            if not yes and not click.confirm("save the amendment 保存修正?", default=False):
                echo("not saved 未保存")
                return
            done = actions.amend(out, criterion, answer, credit, examiner, reason, expected=expected)
            echo(_decided(done))
        if signing:
            done = actions.sign_off(out, examiner, reason)
            echo(_decided(done))
        if done is None and not listing:
            _serve(out, port, not no_browser)
            return
        if done is None:
            waiting = actions.queue(out)
            for result in waiting:
                codes = ", ".join(f.code for f in result.open_flags()) or result.status
                echo(f"{result.result_id} {result.name}  {codes}")
            echo(f"to review 需复核: {len(waiting)}" if waiting else "no candidate needs review 无需复核")
        elif not signing:
            left = done.waiting()
            echo(f"still to review 仍需复核: {len(left)}" + (f" ({', '.join(r.result_id for r in left)})" if left
                                                               else " (ready to sign off 可签署定稿)"))
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None


def _serve(out: Path, port: int, browser: bool) -> None:
    from grader.review.server import open_server

    try:
        server = open_server(out, port)
    except OSError as exc:
        raise click.ClickException(f"cannot serve the review page on 127.0.0.1:{port}: {exc.strerror or exc}") \
            from None
    echo(f"review page 复核页面: {server.url}")
    if browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        echo("stopped 已停止")
    finally:
        server.server_close()


def _decided(done) -> str:
    from grader.model import fraction_text

    lines = []
    for entry in done.entries:
        what = entry.kind + (f" {entry.candidate}" if entry.candidate else "")
        if entry.kind == "amend":
            what += f" {entry.criterion}: {entry.found!r} accepted, {fraction_text(entry.points)} each"
        elif entry.criterion:
            what += f" {entry.criterion} → {fraction_text(entry.points)}"
        flags = f", {len(entry.flags)} flag{'s' if len(entry.flags) != 1 else ''} decided" if entry.flags else ""
        lines.append(f"logged 已记录 #{entry.seq}: {what}{flags} ({entry.examiner}, {entry.at})")
    row = next((r for r in done.rows if r.result_id == done.entries[-1].candidate), None)
    if row is not None:
        from grader.model import STATUS_LABELS
        from grader.score import display

        lines.append(f"  {row.result_id}: total 总分 {display(row.total, 2)}, {STATUS_LABELS[row.status]}")
    return "\n".join(lines)


@main.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
def diff(old: Path, new: Path) -> None:
    """List the candidates whose points, status or flags differ between the results folders OLD and
    NEW, criterion by criterion, with both values (exact points), from their candidates/*.json.

    \b
    Example:
      cp -r reports/demo /tmp/before && grade review reports/demo --override ks05 U4-02 1/2 …
      grade diff /tmp/before reports/demo
    """
    from grader.report.diff import compare

    try:
        echo("\n".join(compare(old, new).lines()))
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None


@main.command("records")
@click.argument("out", type=click.Path(path_type=Path))
def records(out: Path) -> None:
    """Write the printable records of the results in OUT into OUT/print/: each candidate's score
    record (考核评分记录表) and the class register (成绩登记表), A4 HTML with signature and date
    lines for the examiner (考评员) and the supervisor (督考员). Open them in a browser and print.

    \b
    Example:
      grade review /tmp/r --sign-off --examiner 考评员01 && grade records /tmp/r
    """
    from grader.review.records import write_records

    try:
        printed = write_records(out)
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None
    echo(f"printable records 打印记录: {printed.register} and {plural(len(printed.records), 'score record')} "
         f"in {printed.register.parent}")


@main.command("overrides-template")
def overrides_template() -> None:
    """Print an empty overrides file: the header and a commented example row.

    \b
    Example:
      grade overrides-template > overrides.csv
    """
    from grader.overrides import TEMPLATE

    echo(TEMPLATE, nl=False)


@main.command("sample")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--paper", default=None, metavar="ID|PATH",
              help="Paper whose key the disc is made from. Default: the default paper (see `grade papers`).")
@papers_option
def sample(out: Path, paper: str, papers: tuple[Path, ...]) -> None:
    """Write a demo disc made from the paper's key: a perfect candidate, one candidate per group of
    injected defects (each check's declared way to fail), an empty folder, a corrupt workbook, an
    absent and an unrostered candidate, and expected.json with the points each criterion must get.
    A paper it cannot make a candidate of is refused in one line, before anything is written.

    \b
    Example:
      grade sample /tmp/demo && grade /tmp/demo --out /tmp/demo-reports
      grade sample /tmp/demo-b --paper 2026B
    """
    from grader.paper import load_paper
    from grader.samples import write_demo_disc

    try:
        write_demo_disc(out, load_paper(paper, papers=papers))
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None
    echo(f"demo disc written to 示例光盘已写入 {out}  (grade it 评分: grade {out})")


@main.command("upgrade-paper")
@click.argument("rubric", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--write", is_flag=True, help="Rewrite the rubric file with the changes (comments kept).")
def upgrade_paper(rubric: Path, write: bool) -> None:
    """List the changes that bring RUBRIC, written for an earlier schema of the rubric format, to the
    schema this grader reads; with --write, make them in the file. The grader reads an earlier
    schema without them (and warns); the key folder is not changed.

    \b
    Example:
      grade upgrade-paper rubrics/2025B.toml
      grade upgrade-paper rubrics/2025B.toml --write
    """
    from grader.upgrade import SCHEMA, upgrade_file

    try:
        changes = upgrade_file(rubric, write=write)
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None
    if not changes:
        echo(f"{rubric} is already schema {SCHEMA} 无需升级")
        return
    for change in changes:
        echo(f"  {change}")
    if write:
        echo(f"{rubric} upgraded to schema {SCHEMA} 已升级")
    else:
        echo(f"{len(changes)} changes to schema {SCHEMA}; run again with --write to make them 加 --write 写入")


@main.command("papers")
@papers_option
def papers_command(papers: tuple[Path, ...]) -> None:
    """List the papers this grader can load by id, where each rubric is, and the default paper.

    \b
    Example:
      grade papers
      grade papers --papers D:\\centre-papers
    """
    from grader.paper import default_paper, installed_papers

    found = installed_papers(papers)
    try:
        default = default_paper(papers)
    except GraderError:
        default = ""
    for paper_id, rubric in found.items():
        mark = "  (default 默认)" if paper_id == default else ""
        echo(f"{paper_id}{mark}  {rubric}")
    if not found:
        echo("no paper installed 未安装试卷: add a folder with --papers or GRADER_PAPERS")


if __name__ == "__main__":
    main()
