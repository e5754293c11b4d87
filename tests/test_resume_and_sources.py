"""Interrupted runs resume, unchanged candidates come from the cache, ISO and zip discs grade like
the folder, a slow candidate is stopped, and Dask gives the same results."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from discimage import make_iso, make_plain_iso, make_udf, make_zip
from helpers import flag_codes, make_candidate, result, unit_points

from grader.limits import Limits
from grader.pipeline import grade_disc


def candidate_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "candidates").glob("*.json"))}


def test_second_run_takes_unchanged_candidates_from_the_cache(demo_disc, paper, tmp_path):
    out = tmp_path / "r"
    first = grade_disc(demo_disc, paper, out, jobs=1)
    before = candidate_bytes(out)
    second = grade_disc(demo_disc, paper, out, jobs=1)
    assert first.cached == 0
    assert second.cached == len([r for r in second.rows])
    assert candidate_bytes(out) == before
    fresh = grade_disc(demo_disc, paper, out, jobs=1, use_cache=False)
    assert fresh.cached == 0 and candidate_bytes(out) == before


def test_a_changed_file_is_regraded(tmp_path, paper):
    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    make_candidate(disc / "ks02", paper)
    out = tmp_path / "out"
    grade_disc(disc, paper, out, jobs=1)
    (disc / "ks02" / "u6_orders.xlsx").unlink()
    run = grade_disc(disc, paper, out, jobs=1)
    assert run.cached == 1
    assert unit_points(out, "ks02")["U6"] == "0" and unit_points(out, "ks01")["U6"] == "5"


def test_sigterm_leaves_no_half_written_report_and_resume_matches_a_full_run(demo_disc, paper, tmp_path):
    out = tmp_path / "r"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "grader.cli", str(demo_disc), "--out", str(out),
                                "--jobs", "1", "--quiet"], env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((out / "candidates").glob("*.json"))) < 3:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert b"interrupted" in stderr and b"Traceback" not in stderr
    assert not (out / "summary.csv").exists()  # stopped before the class reports
    leftovers = [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    written = sorted((out / "candidates").glob("*.json"))
    assert 3 <= len(written) < 22
    for path in written:
        result(out, path.stem)  # every written result is whole JSON
    resumed = grade_disc(demo_disc, paper, out, jobs=1)
    assert resumed.cached >= 3
    full = tmp_path / "full"
    grade_disc(demo_disc, paper, full, jobs=2)
    assert candidate_bytes(out) == candidate_bytes(full)


def test_iso_and_zip_give_the_same_results_as_the_folder(demo_disc, paper, tmp_path):
    folder_out, iso_out, zip_out = tmp_path / "f", tmp_path / "i", tmp_path / "z"
    grade_disc(demo_disc, paper, folder_out, jobs=2)
    grade_disc(make_iso(demo_disc, tmp_path / "demo.iso"), paper, iso_out, jobs=2)
    grade_disc(make_zip(demo_disc, tmp_path / "demo.zip", prefix="2026A-demo/"), paper, zip_out, jobs=2)
    assert candidate_bytes(iso_out) == candidate_bytes(folder_out)
    assert candidate_bytes(zip_out) == candidate_bytes(folder_out)


def test_udf_and_plain_iso_9660_images_give_the_same_results_as_the_folder(demo_disc, paper, tmp_path):
    """UDF as Windows burns it (8.3 ISO names beside), and ISO 9660 level 4 with no Joliet or Rock Ridge."""
    folder_out, udf_out, plain_out = tmp_path / "f", tmp_path / "u", tmp_path / "p"
    grade_disc(demo_disc, paper, folder_out, jobs=2)
    grade_disc(make_udf(demo_disc, tmp_path / "udf.iso"), paper, udf_out, jobs=2)
    grade_disc(make_plain_iso(demo_disc, tmp_path / "plain.iso"), paper, plain_out, jobs=2)
    assert len(candidate_bytes(folder_out)) == 22
    assert candidate_bytes(udf_out) == candidate_bytes(folder_out)
    assert candidate_bytes(plain_out) == candidate_bytes(folder_out)


def test_a_candidate_over_the_time_limit_is_stopped_and_flagged(tmp_path, paper, monkeypatch):
    import grader.pipeline

    original = grader.pipeline.read_submission

    def slow(folder, *args, **kwargs):
        if folder.name == "ks02":
            time.sleep(30)
        return original(folder, *args, **kwargs)

    monkeypatch.setattr(grader.pipeline, "read_submission", slow)
    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    make_candidate(disc / "ks02", paper)
    out = tmp_path / "out"
    grade_disc(disc, paper, out, jobs=1, limits=Limits(candidate_seconds=1))
    assert "timeout" in flag_codes(out, "ks02") and result(out, "ks02")["total"] == "0"
    assert unit_points(out, "ks01")["U6"] == "5" and "timeout" not in flag_codes(out, "ks01")


@pytest.fixture(scope="module")
def cluster():
    """Two single-thread worker processes allowed children (as the README starts them)."""
    distributed = pytest.importorskip("distributed")
    import dask

    with dask.config.set({"distributed.worker.daemon": False}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=None) as local, distributed.Client(local) as client:
        yield client


def test_dask_local_cluster_gives_byte_identical_results(demo_disc, paper, tmp_path, cluster):
    local, remote = tmp_path / "local", tmp_path / "dask"
    grade_disc(demo_disc, paper, local, jobs=2)
    run = grade_disc(demo_disc, paper, remote, dask=cluster)
    assert candidate_bytes(remote) == candidate_bytes(local)
    assert [r.user for r in run.rows] == [p.user for p in grade_disc(demo_disc, paper, local, jobs=2).rows]
    assert cluster.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) == 0  # none kept


def _slow_reader(folder, *args, **kwargs):
    from grader.read.submission import read_submission

    if (folder / "slow.txt").exists():
        time.sleep(30)
    return read_submission(folder, *args, **kwargs)


def _set_reader(reader) -> None:
    import grader.pipeline

    grader.pipeline.read_submission = reader


def test_dask_workers_honour_the_per_candidate_time_limit(tmp_path, paper, cluster):
    import cloudpickle

    from grader.read.submission import read_submission

    disc = tmp_path / "disc"
    make_candidate(disc / "ks01", paper)
    make_candidate(disc / "ks02", paper)
    (disc / "ks02" / "slow.txt").write_text("sleep", encoding="utf-8")
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this file
    out = tmp_path / "out"
    cluster.run(_set_reader, _slow_reader)
    try:
        grade_disc(disc, paper, out, dask=cluster, limits=Limits(candidate_seconds=2))
    finally:
        cluster.run(_set_reader, read_submission)
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert "timeout" in flag_codes(out, "ks02") and result(out, "ks02")["total"] == "0"
    assert unit_points(out, "ks01")["U6"] == "5" and "timeout" not in flag_codes(out, "ks01")


def test_dask_refuses_a_disc_image_and_daemonic_workers(demo_disc, paper, tmp_path):
    distributed = pytest.importorskip("distributed")
    import dask

    from grader.distributed import ClusterError

    image = shutil.make_archive(str(tmp_path / "disc"), "zip", demo_disc)
    with dask.config.set({"distributed.worker.daemon": True}), \
            distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                     dashboard_address=None) as local, distributed.Client(local) as client:
        with pytest.raises(ClusterError, match=r"disc\.zip is an \.zip image"):
            grade_disc(image, paper, tmp_path / "a", dask=client)
        with pytest.raises(ClusterError, match="daemonic processes.*DASK_DISTRIBUTED__WORKER__DAEMON=False"):
            grade_disc(demo_disc, paper, tmp_path / "b", dask=client)
