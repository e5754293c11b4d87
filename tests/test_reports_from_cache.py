"""Reports from results only: once a disc is graded, every candidate's JSON and page (thumbnails
and text panels included), the summaries and the index can be written again from the reports
folder's cache, with the disc gone."""
from __future__ import annotations

import json
import os
import shutil
import sys
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


@pytest.mark.parametrize(("similarity", "overrides"), [(False, False), (True, False), (False, True)],
                         ids=["as-burned", "similarity-on", "overrides"])
def test_every_report_is_rewritten_from_the_cache_with_the_disc_gone(demo_disc, paper, tmp_path, similarity,
                                                                     overrides):
    disc = tmp_path / "disc"
    shutil.copytree(demo_disc, disc)
    if similarity:  # every demo candidate is made from the key: all of them match
        exam = disc / "exam.toml"
        exam.write_text(exam.read_text(encoding="utf-8").replace("similarity = false", ""), encoding="utf-8")
    changes = None
    if overrides:
        changes = tmp_path / "overrides.csv"
        changes.write_text("candidate,criterion,points,reason,examiner\nks01,U6-01,1,checked by hand,examiner-01\n",
                           encoding="utf-8")
    out = tmp_path / "out"
    run = grade_disc(disc, paper, out, jobs=2, overrides=changes)
    first = reports(out)
    assert (b'"override"' in first["candidates/ks01.json"]) == overrides
    assert any(k.startswith("candidates/thumbs/") for k in first)  # pictures are shown
    assert any('<mark title="要素 1 element 1">'.encode() in v for k, v in first.items() if k.endswith(".html"))  # texts too
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


@pytest.mark.skipif(sys.platform != "linux", reason="the writer must inherit the patched page writer (fork)")
def test_a_page_writer_that_dies_costs_only_that_page(tmp_path, paper, monkeypatch):
    """The pages are written in worker processes: one that dies on a candidate's page leaves that
    candidate's JSON and a plain page saying why, and the run goes on."""
    from test_gradebook import write_small_disc

    import grader.pipeline

    real = grader.pipeline.write_page

    def dies_on_ks02(out, result, paper, exhibits):
        if result.user == "ks02":
            os._exit(3)
        return real(out, result, paper, exhibits)

    monkeypatch.setattr(grader.pipeline, "write_page", dies_on_ks02)
    disc = write_small_disc(tmp_path / "disc", paper.key)
    out = grade_disc(disc, paper, tmp_path / "out", jobs=2, start_method="fork").out
    page = (out / "candidates" / "ks02.html").read_text(encoding="utf-8")
    assert "The report could not be rendered: worker-died: the worker process" in page
    assert json.loads((out / "candidates" / "ks02.json").read_text(encoding="utf-8"))["total"] == "19/5"
    assert 'id="total">4.80<' in (out / "candidates" / "ks03.html").read_text(encoding="utf-8")


@pytest.mark.skipif(sys.platform != "linux", reason="the workers must inherit the counting writers (fork)")
def test_each_candidates_reports_are_written_once_after_similarity(tmp_path, paper, monkeypatch):
    """Workers grade and put each result in the cache; after the similarity stage each candidate's
    JSON and page are written once, with its similarity flags: nothing is written twice."""
    from helpers import make_candidate

    import grader.pipeline

    log = tmp_path / "writes.log"

    def counting(kind, real):
        def write(out, result, *args):
            codes = ",".join(sorted({f.code for f in result.flags}))
            with log.open("a", encoding="utf-8") as handle:
                handle.write(f"{kind} {result.user} {codes}\n")
            return real(out, result, *args)
        return write

    monkeypatch.setattr(grader.pipeline, "write_candidate", counting("json", grader.pipeline.write_candidate))
    monkeypatch.setattr(grader.pipeline, "write_page", counting("page", grader.pipeline.write_page))
    for user in ("ks01", "ks02", "ks03"):  # three copies of one perfect candidate: all alike
        make_candidate(tmp_path / "disc" / user, paper, only=None)
    grade_disc(tmp_path / "disc", paper, tmp_path / "out", jobs=2, start_method="fork")
    writes = sorted(log.read_text(encoding="utf-8").splitlines())
    assert writes == sorted(f"{kind} {user} similar-to" for kind in ("json", "page")
                            for user in ("ks01", "ks02", "ks03"))
