"""The read stage: a candidate's folder is read completely, into frozen records, before any check
runs; checks see records, never the folder (README, "How it is built")."""
from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest
from helpers import make_candidate

import grader.score
from grader.checks import REGISTRY, CheckContext
from grader.intake import CandidateEntry
from grader.model import MISSING, READ, UNREADABLE_FILE
from grader.read import READERS, load_all
from grader.read.submission import read_submission


def test_every_deliverable_is_read_before_the_first_check(tmp_path, paper, monkeypatch):
    load_all()
    make_candidate(tmp_path / "ks01", paper, only=None)  # every deliverable
    events: list[str] = []
    for kind, reader in list(READERS.items()):
        def recording(submission, spec, located, reader=reader):
            events.append(f"read {spec.name}")
            return reader(submission, spec, located)
        monkeypatch.setitem(READERS, kind, recording)
    for name, registered in list(REGISTRY.items()):
        def checking(ctx, func=registered.func):
            events.append(f"check {ctx.criterion}")
            return func(ctx)
        monkeypatch.setitem(REGISTRY, name, dataclasses.replace(registered, func=checking))

    reading = read_submission(tmp_path / "ks01", paper, disc_root=tmp_path)
    entry = CandidateEntry("ks01", folder=tmp_path / "ks01", relative="ks01", result_id="ks01")
    result = grader.score.grade_reading(entry, reading, paper)

    reads = [e for e in events if e.startswith("read ")]
    assert reads == [f"read {name}" for name in paper.deliverables]  # each once, in the rubric's order
    assert events[:len(reads)] == reads and len(events) == len(reads) + len(paper.criteria())
    assert result.total == 100


def test_the_records_are_frozen_and_name_their_state(tmp_path, paper):
    load_all()
    make_candidate(tmp_path / "ks01", paper, only=("u1_accounts",))
    (tmp_path / "ks01" / "u6_orders.xlsx").write_bytes(b"not a workbook")
    reading = read_submission(tmp_path / "ks01", paper, disc_root=tmp_path)
    assert reading.state("u1_accounts") == READ and reading.record("u1_accounts").file == "u1_accounts.xlsx"
    unreadable = reading.record("u6_orders")
    assert (unreadable.state, unreadable.file, unreadable.parsed) == (UNREADABLE_FILE, "u6_orders.xlsx", None)
    assert unreadable.reason  # the unreadable-file flag's reason
    assert reading.state("u7_logistics") == MISSING
    with pytest.raises(dataclasses.FrozenInstanceError):
        reading.records = ()  # type: ignore[misc]
    with pytest.raises(KeyError, match="no deliverable 'u9' was read"):
        reading.record("u9")


def test_a_check_gets_another_units_record_only_when_it_declares_it(tmp_path, paper):
    load_all()
    make_candidate(tmp_path / "ks01", paper, only=None)
    reading = read_submission(tmp_path / "ks01", paper, disc_root=tmp_path)
    fields = {f.name for f in dataclasses.fields(CheckContext)}
    assert "submission" not in fields  # no back door to the folder
    u8_02, u8 = paper.criterion("U8-02"), paper.unit("U8")
    ctx = grader.score.context(u8_02, u8, reading, paper)
    assert list(ctx.uses) == ["unit1"] and ctx.uses["unit1"] is reading.record("u1_accounts")
    assert ctx.referred == {"username_rule": paper.criterion("U1-01").params}
    assert ctx.points == u8_02.points
    plain = grader.score.context(paper.criterion("U6-01"), paper.unit("U6"), reading, paper)
    assert plain.uses == {} and plain.referred == {} and plain.points == Fraction(1)
