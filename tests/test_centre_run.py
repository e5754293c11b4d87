"""A centre's run, fault by fault: a dead worker, a candidate over its memory, Windows (no POSIX
timer, no fork), two runs racing for one out folder, a second disc into a used one, an out
folder that cannot be written, and the demo generator refusing someone's folder."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import filelock
import pytest
from click.testing import CliRunner
from helpers import flag_codes, make_candidate, result, unit_points

from grader.cli import main
from grader.errors import OutputError
from grader.limits import Limits
from grader.pipeline import grade_disc

GRADE = [sys.executable, "-m", "grader.cli"]
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def candidate_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "candidates").glob("*.json"))}


def three(tmp_path: Path, paper) -> Path:
    disc = tmp_path / "disc"
    for user in ("ks01", "ks02", "ks03"):
        make_candidate(disc / user, paper)
    (disc / "exam.toml").write_text("similarity = false\n", encoding="utf-8")  # the three are copies
    return disc


def test_a_worker_killed_mid_run_costs_only_its_candidate(tmp_path, paper, monkeypatch):
    from grader import pipeline

    real = pipeline.grade_candidate

    def dies_on_ks02(entry, *args, **kwargs):
        if entry.user == "ks02":
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer does
        return real(entry, *args, **kwargs)

    monkeypatch.setattr(pipeline, "grade_candidate", dies_on_ks02)  # forked workers inherit it
    out = tmp_path / "out"
    run = grade_disc(three(tmp_path, paper), paper, out, jobs=2, start_method="fork")
    assert [r.user for r in run.rows] == ["ks01", "ks02", "ks03"]
    assert flag_codes(out, "ks02") == ["worker-died"]
    died = result(out, "ks02")
    assert died["total"] == "0" and died["status"] == "needs-review"
    assert died["flags"][0]["reason"] == ("the worker process grading this candidate was killed (SIGKILL); "
                                          "nothing graded")
    for user in ("ks01", "ks03"):
        assert flag_codes(out, user) == []
        assert (unit_points(out, user)["U1"], unit_points(out, user)["U6"]) == ("10", "5")
    assert not (out / ".cache" / "ks02.json").exists()  # a stopped candidate is tried again next run
    summary = (out / "summary.csv").read_text(encoding="utf-8-sig")
    assert [u for u in ("ks01", "ks02", "ks03") if f",{u}," in summary] == ["ks01", "ks02", "ks03"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the memory cap is Linux's RLIMIT_AS")
def test_a_candidate_over_the_memory_cap_is_flagged_and_the_others_graded(tmp_path, paper, monkeypatch):
    import grader.pipeline

    original = grader.pipeline.read_submission

    def hungry(folder, *args, **kwargs):
        if folder.name == "ks02":
            hoard = bytearray(1024 ** 3)
            del hoard
        return original(folder, *args, **kwargs)

    monkeypatch.setattr(grader.pipeline, "read_submission", hungry)
    out = tmp_path / "out"
    grade_disc(three(tmp_path, paper), paper, out, jobs=1, start_method="fork",
               limits=Limits(max_memory_bytes=256 * 1024 * 1024))
    assert flag_codes(out, "ks02") == ["memory-limit"] and result(out, "ks02")["total"] == "0"
    assert flag_codes(out, "ks01") == [] and unit_points(out, "ks01")["U6"] == "5"
    assert flag_codes(out, "ks03") == [] and unit_points(out, "ks03")["U6"] == "5"


def test_windows_without_posix_timer_or_fork_grades_the_demo_disc_identically(demo_disc, demo_results, paper,
                                                                              tmp_path, monkeypatch):
    """Windows stood for by removing the POSIX timer and fork: the spawn start method is used, and
    every candidate's result equals the Linux run's byte for byte."""
    import multiprocessing

    for name in ("SIGALRM", "setitimer", "ITIMER_REAL"):
        monkeypatch.delattr(signal, name, raising=False)
    monkeypatch.delattr(os, "fork", raising=False)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    out = tmp_path / "out"
    run = grade_disc(demo_disc, paper, out, jobs=2)
    assert candidate_bytes(out) == candidate_bytes(demo_results)
    assert run.counts == {"graded": 11, "needs-review": 10, "reviewed": 0, "unreadable": 0, "absent": 1}


def test_a_second_run_into_an_out_folder_in_use_refuses_at_once(tmp_path, paper):
    disc, out = three(tmp_path, paper), tmp_path / "out"
    out.mkdir()
    refused = pytest.raises(OutputError, match=r"another grade run is writing into .*out \(\.grade\.lock is held\)")
    with filelock.FileLock(str(out / ".grade.lock")), refused:
        grade_disc(disc, paper, out, jobs=1)
    assert not (out / "candidates").exists()


def test_two_runs_racing_for_one_out_folder(demo_disc, tmp_path):
    # the demo disc with three more copies of every folder: the first run still holds the out
    # folder when the second has loaded its paper, however busy the machine
    disc = tmp_path / "disc"
    shutil.copytree(demo_disc, disc)
    folders = sorted(p for p in demo_disc.iterdir() if p.is_dir() and p.name != "ks19")  # ks19 holds none
    for copy in range(3):
        for folder in folders:
            shutil.copytree(folder, disc / f"kx{copy}{folder.name}")
    out = tmp_path / "out"
    first = subprocess.Popen([*GRADE, str(disc), "--out", str(out), "--jobs", "1", "--quiet"],
                             stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((out / ".cache").glob("*.json")):  # a candidate graded
        time.sleep(0.05)
    second = subprocess.run([*GRADE, str(disc), "--out", str(out), "--jobs", "1", "--quiet"],
                            capture_output=True, text=True, check=False)
    _, first_err = first.communicate(timeout=300)
    assert first.returncode == 0, first_err
    assert second.returncode == 1, second.stderr
    assert second.stderr.count("\n") == 1 and "another grade run is writing into" in second.stderr
    assert "Traceback" not in second.stderr
    assert len(list((out / "candidates").glob("*.json"))) == 22 + 3 * len(folders)


def test_another_disc_into_a_used_out_folder_is_refused_naming_both(tmp_path, paper):
    first, second, out = tmp_path / "first", tmp_path / "second", tmp_path / "out"
    for user in ("ks01", "ks02"):
        make_candidate(first / user, paper)
    make_candidate(second / "ks07", paper)
    (first / "exam.toml").write_text('centre = "第一考点"\nsession = "上午"\n', encoding="utf-8")
    (second / "exam.toml").write_text('centre = "第一考点"\nsession = "下午"\n', encoding="utf-8")
    grade_disc(first, paper, out, jobs=1)
    before = candidate_bytes(out)
    with pytest.raises(OutputError) as refused:
        grade_disc(second, paper, out, jobs=1)
    message = str(refused.value)
    assert "第一考点 / 上午 (2 candidate folders" in message and "第一考点 / 下午 (1 candidate folder," in message
    assert "choose another --out, or use --fresh" in message
    assert candidate_bytes(out) == before  # nothing mixed
    grade_disc(second, paper, out, jobs=1, use_cache=False)  # --fresh
    assert sorted(candidate_bytes(out)) == ["ks07.json"]
    assert sorted(p.name for p in (out / "candidates").iterdir() if p.suffix == ".html") == ["ks07.html"]


def test_the_same_disc_at_another_mount_path_is_the_same_disc(tmp_path, paper):
    disc, out = three(tmp_path, paper), tmp_path / "out"
    grade_disc(disc, paper, out, jobs=1)
    moved = disc.rename(tmp_path / "cdrom")
    assert grade_disc(moved, paper, out, jobs=1).cached == 3


def test_a_writer_stopped_mid_write_leaves_no_partial_file_after_the_run(tmp_path, paper, monkeypatch):
    import grader.report.html as html_writer

    disc, out = three(tmp_path, paper), tmp_path / "out"
    grade_disc(disc, paper, out, jobs=1)
    # what a worker killed between mkstemp and rename leaves behind (the name write_atomic uses)
    stale = [out / "candidates" / ".ks02.json.k2x9_q0a.tmp", out / ".index.html.abcdefgh.tmp"]
    for path in stale:
        path.write_bytes(b"half a rep")
    kept = out / "notes.tmp"  # not a name the writer makes: left alone
    kept.write_bytes(b"x")
    calls = []
    real = html_writer.write_atomic

    def stopped(path, data):  # the second page dies after its temporary file was made
        calls.append(path)
        if len(calls) == 2:
            (path.parent / f".{path.name}.zzzzzzzz.tmp").write_bytes(data[:10])
            raise KeyboardInterrupt
        real(path, data)

    monkeypatch.setattr(html_writer, "write_atomic", stopped)
    with pytest.raises(KeyboardInterrupt):
        grade_disc(disc, paper, out, jobs=1, use_cache=False)
    assert [p for p in out.rglob("*.tmp")] == [kept]
    monkeypatch.undo()
    assert grade_disc(disc, paper, out, jobs=1).cached == 3


def test_a_folder_that_holds_other_things_is_not_written_into(tmp_path, paper):
    out = tmp_path / "documents"
    out.mkdir()
    (out / "budget.xlsx").write_bytes(b"someone's work")
    for fresh in (True, False):
        with pytest.raises(OutputError, match=r"is not empty and holds no grade results \(budget\.xlsx\)"):
            grade_disc(three(tmp_path, paper), paper, out, jobs=1, use_cache=not fresh)
    assert sorted(p.name for p in out.iterdir()) == [".grade.lock", "budget.xlsx"]


def test_out_reaching_into_the_disc_through_a_bind_mount_is_refused(tmp_path, paper):
    disc = three(tmp_path, paper)
    view = tmp_path / "view"
    view.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(disc), str(view)], capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {mounted.stderr.decode().strip()}")
    try:
        result_ = CliRunner().invoke(main, [str(disc), "--out", str(view / "reports")])
        assert result_.exit_code == 1
        assert "is inside the disc; the disc is only ever read" in result_.output
        assert not (disc / "reports").exists()
    finally:
        subprocess.run(["umount", str(view)], check=True)


def _mount(kind: list[str], target: Path) -> None:
    done = subprocess.run(["mount", *kind, str(target)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.decode().strip()}")


@pytest.mark.parametrize("fault", ["full", "read-only", "file-in-the-way"])
def test_an_out_folder_that_cannot_be_written_is_one_line_and_exit_1(fault, demo_disc, tmp_path):
    target = tmp_path / "mnt"
    target.mkdir()
    out = target / "out"
    expected = {"full": "No space left on device", "read-only": "Read-only file system",
                "file-in-the-way": "Not a directory"}[fault]
    mounted = False
    if fault == "full":
        _mount(["-t", "tmpfs", "-o", "size=256k", "tmpfs"], target)
        mounted = True
    elif fault == "read-only":
        source = tmp_path / "source"
        source.mkdir()
        _mount(["--bind", "-o", "ro", str(source)], target)
        mounted = True
    else:
        (target / "out").write_text("a file, not a folder", encoding="utf-8")
        out = target / "out" / "reports"
    try:
        done = subprocess.run([*GRADE, str(demo_disc), "--out", str(out), "--jobs", "1", "--quiet"],
                              capture_output=True, text=True, timeout=300, check=False)
    finally:
        if mounted:
            subprocess.run(["umount", str(target)], check=True)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("Error: cannot write the reports (") and expected in done.stderr
    assert "--out" in done.stderr


@pytest.mark.skipif(not ROOT or not Path("/usr/bin/setpriv").exists(), reason="needs root to drop to nobody")
def test_an_out_folder_the_user_may_not_write_is_one_line(demo_disc, tmp_path):
    import shutil
    import tempfile

    shared = Path(tempfile.mkdtemp(prefix="grade-perm-"))
    try:
        os.chmod(shared, 0o755)
        disc = shutil.copytree(demo_disc, shared / "disc")
        for path in [disc, *disc.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        locked = shared / "locked"
        locked.mkdir(mode=0o755)  # root's: nobody may not write in it
        probe = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                sys.executable, "-c", "import grader.cli"],
                               capture_output=True, text=True, timeout=120, cwd=shared, check=False,
                               env={**os.environ, "HOME": str(shared)})
        if probe.returncode != 0:  # the checkout or the interpreter sits where nobody may not read
            pytest.skip(f"nobody cannot import the grader here: {probe.stderr.strip()[-200:]}")
        done = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                               *GRADE, str(disc), "--out", str(locked / "out"), "--jobs", "1", "--quiet"],
                              capture_output=True, text=True, timeout=300, cwd=shared, check=False,
                              env={**os.environ, "HOME": str(shared)})
    finally:
        shutil.rmtree(shared)
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "cannot write the reports (Permission denied" in done.stderr
    assert "choose a folder you may write to with --out" in done.stderr


def test_a_crash_of_the_grader_itself_writes_a_crash_log_and_says_where(tmp_path, monkeypatch):
    from grader import pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("an internal fault")

    monkeypatch.setattr(pipeline, "grade_disc", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    done = CliRunner().invoke(main, [str(tmp_path), "--out", str(tmp_path / "out"), "--paper", "2026A"])
    assert done.exit_code == 3
    assert "grade stopped on an internal error (RuntimeError: an internal fault)" in done.output
    logs = list(tmp_path.glob("grade-crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in done.output
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: an internal fault" in text


def test_reports_honour_the_umask(demo_disc, tmp_path):
    for mask, mode in ((0o022, 0o644), (0o027, 0o640)):
        out = tmp_path / f"out{mask:o}"
        done = subprocess.run(["sh", "-c", f'umask {mask:03o} && exec "$@"', "sh", *GRADE, str(demo_disc),
                               "--out", str(out), "--jobs", "1", "--quiet"], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        files = [out / "summary.xlsx", out / "manifest.json", out / "candidates" / "ks01.json",
                 out / "candidates" / "ks01.html", out / ".cache" / "ks01.json"]
        assert {p.name: oct(p.stat().st_mode & 0o777) for p in files} == {p.name: oct(mode) for p in files}


def test_the_manifest_records_the_libraries_and_they_key_the_cache(demo_results, paper, monkeypatch):
    from grader import cache
    from grader.intake import scan_disc
    from grader.versions import LIBRARIES, library_versions

    manifest = json.loads((demo_results / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["libraries"]) == sorted(LIBRARIES)
    assert manifest["libraries"]["Pillow"] == library_versions()["Pillow"]
    assert manifest["disc_identity"]["folders"] == 21
    disc = scan_disc(Path(manifest["disc"]), ["u1_accounts"])
    entry = disc.candidates[0]
    hashes = (paper.rubric_sha256, paper.key_sha256)
    before = cache.cache_key(entry, disc, hashes, Limits())
    monkeypatch.setattr(cache, "library_versions", lambda: {**library_versions(), "Pillow": "0.0"})
    assert cache.cache_key(entry, disc, hashes, Limits()) != before


def test_grade_sample_writes_only_into_a_new_empty_or_earlier_demo_folder(tmp_path):
    runner = CliRunner()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    refused = runner.invoke(main, ["sample", str(mine)])
    assert refused.exit_code == 1
    assert "is not empty and is not a demo disc written by `grade sample`" in refused.output
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
    demo = tmp_path / "demo"
    assert runner.invoke(main, ["sample", str(demo)]).exit_code == 0
    (demo / "ks01" / "extra.txt").write_text("left by hand", encoding="utf-8")
    assert runner.invoke(main, ["sample", str(demo)]).exit_code == 0  # its own: replaced
    assert not (demo / "ks01" / "extra.txt").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(main, ["sample", str(empty)]).exit_code == 0
    assert (empty / "expected.json").is_file()


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from /proc")
def test_killing_grade_leaves_no_worker_running_and_the_next_run_finishes(demo_disc, demo_results, tmp_path):
    from test_supervision import _alive, _children

    out = tmp_path / "out"
    parent = subprocess.Popen([*GRADE, str(demo_disc), "--out", str(out), "--jobs", "2", "--quiet"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((out / ".cache").glob("*.json")):  # a candidate graded
        time.sleep(0.05)
    workers = [c for c in _children(parent.pid) if _alive(c)]
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(timeout=30)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(c) for c in workers):
        time.sleep(0.1)
    assert workers and [c for c in workers if _alive(c)] == []
    again = subprocess.run([*GRADE, str(demo_disc), "--out", str(out), "--jobs", "2", "--quiet"],
                           capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr  # the dead run's lock went with it
    assert candidate_bytes(out) == candidate_bytes(demo_results)
