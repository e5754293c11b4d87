"""The key's materials are parsed when the paper loads, into objects grading only reads: the
emails, the photos' hashes, the selection and logistics tables, the tokenizer's dictionary."""
from __future__ import annotations

import multiprocessing
import pickle
from pathlib import Path

import pytest
import workers
from helpers import make_candidate

from grader.errors import PaperError
from grader.intake import CandidateEntry
from grader.paper import MaterialError, load_paper
from grader.read.submission import read_submission
from grader.score import grade_reading
from grader.supervise import supervise

REPO = Path(__file__).resolve().parent.parent
EMAIL = "emails/email_02.eml"




def test_every_material_is_parsed_at_load_and_grading_changes_nothing(tmp_path):
    paper = load_paper("2026A")
    names = set(paper.key.materials)
    assert {"service", "logistics.materials", "listing.jieba", "texts"} <= names
    assert any(n.startswith("images.materials:images:") for n in names)
    assert any(n.startswith("selection.materials:") for n in names)  # keyed by the rubric's pool columns
    before = pickle.dumps(paper.key)
    make_candidate(tmp_path / "ks01", paper, only=None)  # every unit, title_cn in Chinese included
    entry = CandidateEntry("ks01", folder=tmp_path / "ks01", relative="ks01", result_id="ks01")
    result = grade_reading(entry, read_submission(tmp_path / "ks01", paper, disc_root=tmp_path), paper)
    assert (result.total, result.flags) == (100, ())
    assert pickle.dumps(paper.key) == before
    assert set(paper.key.materials) == names


def test_a_material_first_asked_for_after_loading_is_refused(paper):
    with pytest.raises(MaterialError, match="material 'u9.rates' was not parsed when the paper loaded"):
        paper.key.derive("u9.rates", lambda key: {})
    assert "u9.rates" not in paper.key.materials


def test_the_key_travels_to_a_worker_small_and_whole(paper):
    sent = pickle.dumps(paper)
    assert len(sent) < 256 * 1024  # about 95 KB for paper 2026A: the tokenizer does not travel
    arrived = pickle.loads(sent).key
    assert sorted(arrived.materials) == sorted(paper.key.materials)
    tokens = list(arrived.derive("listing.jieba", lambda key: None).cut("保温杯大容量"))
    assert "保温杯" in tokens  # a Chinese library keyword, from the user dictionary built on arrival
    with pytest.raises(MaterialError):
        arrived.derive("u9.rates", lambda key: {})


def test_a_key_email_with_an_unknown_charset_is_refused_at_load(paper_copy):
    email = paper_copy.parent.parent / "answer_keys" / "2026A" / EMAIL
    email.write_bytes(email.read_bytes().replace(b'charset="utf-8"', b'charset="x-nosuch"'))
    with pytest.raises(PaperError) as refused:
        load_paper(paper_copy)
    assert str(refused.value) == ("2026A.toml: key fails U8-01's guarantee: service.scenarios[1]: "
                                  f"{EMAIL} cannot be parsed (unknown encoding: x-nosuch)")


def test_a_truncated_key_email_is_refused_at_load(paper_copy):
    email = paper_copy.parent.parent / "answer_keys" / "2026A" / EMAIL
    email.write_bytes(email.read_bytes()[:120])  # the headers cut before the order id
    with pytest.raises(PaperError) as refused:
        load_paper(paper_copy)
    assert "\n" not in str(refused.value)
    assert str(refused.value).endswith(f"service.scenarios[1]: {EMAIL} quotes 0 order ids of orders.csv, not 1")


def test_a_missing_key_email_is_refused_at_load(paper_copy):
    (paper_copy.parent.parent / "answer_keys" / "2026A" / EMAIL).unlink()
    with pytest.raises(PaperError, match=f"service.scenarios\\[1\\]: {EMAIL} does not exist"):
        load_paper(paper_copy)



@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_worker_grades_with_the_key_as_it_arrived(tmp_path, paper, method):
    """In a worker (spawned: the key arrives pickled, its tokenizer rebuilt on arrival) grading
    changes nothing of the key, and no module global but the pool's own state holds the paper."""
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} is not available here")
    make_candidate(tmp_path / "ks01", paper, only=None)
    [(_, outcome)] = list(supervise([(str(tmp_path / "ks01"),)], workers.grade_in_worker, workers=1,
                                    initializer=workers.start_paper, initargs=(paper,), method=method))
    total, unchanged, materials, carriers = outcome
    assert (total, unchanged, materials, carriers) == ("100", True, sorted(paper.key.materials), [])


def test_no_module_global_carries_the_paper_or_the_job_after_a_run(tmp_path, paper):
    from grader.paper import Key, Paper
    from grader.pipeline import Job, grade_disc

    make_candidate(tmp_path / "disc" / "ks01", paper)
    grade_disc(tmp_path / "disc", paper, tmp_path / "out", jobs=1)
    assert workers.carriers((Paper, Key, Job)) == []


def test_a_broken_key_photo_is_refused_at_load(paper_copy):
    photo = paper_copy.parent.parent / "answer_keys" / "2026A" / "photos" / "hkb100_front_white.jpg"
    photo.write_bytes(b"not an image")
    with pytest.raises(PaperError) as refused:
        load_paper(paper_copy)
    assert str(refused.value) == ("2026A.toml: key fails U4-05's guarantee: photos that cannot be read: "
                                  "hkb100_front_white.jpg (no image format recognised in the bytes)")


def test_grading_opens_no_file_of_the_key(tmp_path, paper, monkeypatch):
    """Everything of the key a check reads was parsed when the paper loaded."""
    import builtins
    import io as stdio

    make_candidate(tmp_path / "ks01", paper, only=None)
    key_root = str(paper.key.root.resolve())
    opened: list[str] = []
    real_open, real_io_open = builtins.open, stdio.open

    def watching(real):
        def open_(file, *args, **kwargs):
            if isinstance(file, (str, Path)) and str(Path(file).resolve()).startswith(key_root):
                opened.append(str(file))
            return real(file, *args, **kwargs)
        return open_

    monkeypatch.setattr(builtins, "open", watching(real_open))
    monkeypatch.setattr(stdio, "open", watching(real_io_open))
    entry = CandidateEntry("ks01", folder=tmp_path / "ks01", relative="ks01", result_id="ks01")
    result = grade_reading(entry, read_submission(tmp_path / "ks01", paper, disc_root=tmp_path), paper)
    assert result.total == 100
    assert opened == []


def test_a_key_email_read_after_loading_is_refused(paper):
    with pytest.raises(MaterialError, match=f"{EMAIL} read after the paper loaded"):
        paper.key.email(EMAIL)
