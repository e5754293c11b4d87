"""The ``grade`` command: a thin layer over the library. Only this module prints and exits."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from grader.errors import GraderError


class DiscFirstGroup(click.Group):
    """``grade DISC`` runs the grading; ``grade sample …`` and other words are subcommands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DiscFirstGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="exam-grader")
def main() -> None:
    """Grade a disc of the cross-border e-commerce operations exam (跨境电商运营实操考试).

    \b
    Usage:  grade DISC [options]        grade every candidate folder on DISC
            grade sample OUT            write a demo disc with known expected points
    \b
    Example:
      grade sample_submissions/2026A-demo
      grade /media/cdrom --out reports/2026-11-25 --jobs 2

    Run `grade run --help` for the grading options.
    """


@main.command("run")
@click.argument("disc", type=click.Path(path_type=Path))
@click.option("--paper", default=None, metavar="2026A|PATH",
              help="Paper id (rubrics/<id>.toml) or a rubric file. Default: exam.toml's paper, else 2026A.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder for the reports. Default: reports/<disc name>/.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Candidates graded at once (processes). Default: the number of cores.")
@click.option("--only", default=None, metavar="ks01,ks02", help="Grade only these users.")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary; errors only.")
def run(disc: Path, paper: str | None, out: Path | None, jobs: int | None, only: str | None, quiet: bool) -> None:
    """Grade every candidate folder on DISC and write the reports.

    DISC is the folder burned from the exam server: candidate folders (ks01, ks02, …) at its
    root or one level down, with optional exam.toml and roster.csv / roster.xlsx. The disc is
    only read. Reports: summary.xlsx, summary.csv, candidates/<user>.json, manifest.json.

    \b
    Example:
      grade sample_submissions/2026A-demo --out /tmp/r
    """
    from grader.intake import read_exam
    from grader.paper import load_paper
    from grader.pipeline import default_out, grade_disc

    try:
        if paper is None:
            paper = "2026A"
            if disc.is_dir():
                exam, _, _ = read_exam(disc)
                paper = str(exam.get("paper", paper))
        loaded = load_paper(paper)
        out = out or default_out(disc)
        progress = None
        bar = None
        if not quiet and sys.stderr.isatty():
            bar = click.progressbar(length=1, label="grading", file=sys.stderr, show_pos=True)

            def progress(done: int, total: int, user: str) -> None:
                bar.length = total
                bar.update(1)

        users = only.split(",") if only else None
        if bar is not None:
            with bar:
                result = grade_disc(disc, loaded, out, jobs=jobs, only=users, progress=progress)
        else:
            result = grade_disc(disc, loaded, out, jobs=jobs, only=users)
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("interrupted: reports already written are complete; others were not written", err=True)
        sys.exit(130)
    if not quiet:
        click.echo(summary_text(result))


def summary_text(result) -> str:
    from grader.score import display

    counts = result.counts
    lines = [
        f"paper {result.paper.id}: {len(result.rows)} candidates 考生",
        f"  graded 已评分 {counts['graded']}   needs review 待复核 {counts['needs-review']}   "
        f"unreadable 无法读取 {counts['unreadable']}   absent 缺考 {counts['absent']}",
    ]
    if result.mean is not None:
        rate = display(result.pass_rate * 100, 1)
        lines.append(f"  mean 平均分 {display(result.mean, result.paper.places)}   "
                     f"pass rate 合格率 {rate}% (pass mark {result.paper.pass_mark})")
    lines.append(f"  reports 报告: {result.out}{os.sep}")
    return "\n".join(lines)


@main.command("sample")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--paper", default="2026A", metavar="2026A|PATH", help="Paper whose key the disc is made from.")
def sample(out: Path, paper: str) -> None:
    """Write a demo disc made from the key: a perfect candidate, one candidate per group of
    injected defects, an empty folder, a corrupt workbook, an absent and an unrostered candidate,
    and expected.json with the points each criterion must get.

    \b
    Example:
      grade sample /tmp/demo && grade /tmp/demo --out /tmp/demo-reports
    """
    from grader.paper import load_paper
    from grader.samples import write_demo_disc

    try:
        write_demo_disc(out, load_paper(paper))
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"demo disc written to {out}")


if __name__ == "__main__":
    main()
