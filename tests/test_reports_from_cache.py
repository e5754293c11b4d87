"""Reports from results only: once a disc is graded, every candidate's JSON and page (thumbnails
and text panels included), the summaries and the index can be written again from the reports
folder's cache, with the disc gone."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.pipeline import grade_disc, rewrite_reports

REWRITTEN = ("candidates", "index.html", "summary.csv", "summary.xlsx")


def reports(out: Path) -> dict[str, bytes]:
    found = {}
    for name in REWRITTEN:
        path = out / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        found.update({p.relative_to(out).as_posix(): p.read_bytes() for p in files})
    return found


def without_run_time(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if k != "summary.xlsx"}  # the workbook records when it was written


@pytest.mark.parametrize("similarity", [False, True], ids=["as-burned", "similarity-on"])
def test_every_report_is_rewritten_from_the_cache_with_the_disc_gone(demo_disc, paper, tmp_path, similarity):
    disc = tmp_path / "disc"
    shutil.copytree(demo_disc, disc)
    if similarity:  # every demo candidate is made from the key: all of them match
        exam = disc / "exam.toml"
        exam.write_text(exam.read_text(encoding="utf-8").replace("similarity = false", ""), encoding="utf-8")
    out = tmp_path / "out"
    run = grade_disc(disc, paper, out, jobs=2)
    first = reports(out)
    assert any(k.startswith("candidates/thumbs/") for k in first)  # pictures are shown
    assert any(b'<mark title="element 1">' in v for k, v in first.items() if k.endswith(".html"))  # texts too
    assert any(b"similar-to" in v for k, v in first.items() if k.endswith(".json")) == similarity

    shutil.rmtree(disc)  # nothing of the disc is left to open
    shutil.rmtree(out / "candidates")
    for name in REWRITTEN[1:]:
        (out / name).unlink()
    rows = rewrite_reports(out, paper)

    again = reports(out)
    assert sorted(again) == sorted(first)
    assert without_run_time(again) == without_run_time(first)
    assert rows == run.rows
