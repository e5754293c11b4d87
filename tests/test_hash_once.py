"""Each input file is hashed once per run: the cache key's digests are passed to the read stage,
which hashes only a file rewritten since the key was taken."""
from __future__ import annotations

import hashlib
import os
from types import SimpleNamespace

import pytest
from helpers import make_candidate

from grader import cache
from grader.intake import scan_disc
from grader.limits import Limits
from grader.pipeline import Job, deliverable_names, load_readers, run_job
from grader.read import submission as reading


@pytest.fixture
def counted(monkeypatch):
    """The read stage's sha256, counting the bytes it is given."""
    hashed: list[int] = []

    def sha256(data=b""):
        hashed.append(len(data))
        return hashlib.sha256(data)

    monkeypatch.setattr(reading, "hashlib", SimpleNamespace(sha256=sha256))
    return hashed


@pytest.fixture
def disc(tmp_path, paper):
    make_candidate(tmp_path / "disc" / "ks01", paper, only=None)
    load_readers()
    return scan_disc(tmp_path / "disc", deliverable_names(paper))


def _files(disc) -> dict[str, str]:
    return {path.relative_to(disc.root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted((disc.root / "ks01").rglob("*")) if path.is_file()}


def test_a_graded_candidate_files_are_hashed_for_the_key_only(disc, paper, tmp_path, counted):
    job = Job(disc, tmp_path / "out", Limits(), True, (paper.rubric_sha256, paper.key_sha256))
    graded = run_job(0, disc.candidates[0], job, paper)
    assert not graded.cached
    assert counted == []  # the read stage hashed nothing itself
    assert {item["path"]: item["sha256"] for item in graded.inputs} == _files(disc)
    assert len(graded.inputs) == 18


def test_a_file_rewritten_after_the_key_is_hashed_again(disc, paper, counted):
    entry = disc.candidates[0]
    digests: cache.Digests = {}
    cache.cache_key(entry, disc, (paper.rubric_sha256, paper.key_sha256), Limits(), digests)
    assert sorted(digests) == sorted(p.removeprefix("ks01/") for p in _files(disc))
    reply = entry.folder / "u8_service" / "replies" / "reply_01.txt"
    reply.write_bytes(reply.read_bytes() + b"\nP.S. one more line")
    mailbox = entry.folder / "u8_service" / "mailbox.xlsx"
    info = mailbox.stat()
    os.utime(mailbox, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))  # same size, a later time
    read = reading.read_submission(entry.folder, paper, disc_root=disc.root, digests=digests)
    assert sorted(counted) == sorted([reply.stat().st_size, mailbox.stat().st_size])
    assert {item["path"]: item["sha256"] for item in read.inputs} == _files(disc)


def test_without_digests_the_read_stage_hashes_every_file(disc, paper, counted):
    read = reading.read_submission(disc.candidates[0].folder, paper, disc_root=disc.root)
    assert len(counted) == 18
    assert {item["path"]: item["sha256"] for item in read.inputs} == _files(disc)
