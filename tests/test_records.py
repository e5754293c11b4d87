"""The records the readers make are frozen and pickle whole: a worker hands them on unchanged."""
from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest
from helpers import make_candidate

from grader.read import load_all
from grader.read.submission import Submission
from grader.records import folders, images, service, tables

MODULES = (tables, images, service, folders)


def test_every_record_is_a_frozen_dataclass():
    for module in MODULES:
        records = [v for v in vars(module).values() if isinstance(v, type) and v.__module__ == module.__name__]
        assert records, module.__name__
        for record in records:
            assert dataclasses.is_dataclass(record) and record.__dataclass_params__.frozen, record.__name__


@pytest.fixture(scope="module")
def read(tmp_path_factory, paper):
    load_all()
    folder = tmp_path_factory.mktemp("records") / "ks01"
    make_candidate(folder, paper, only=("u1_accounts", "u4_images", "u8_service"))
    submission = Submission(folder, paper, disc_root=folder.parent)
    return {name: submission.get(name) for name in ("u1_accounts", "u4_images", "u8_service")}


@pytest.mark.parametrize("name", ["u1_accounts", "u4_images", "u8_service"])
def test_what_a_reader_made_pickles_whole(read, name):
    made = read[name]
    assert made is not None
    assert pickle.loads(pickle.dumps(made)) == made


def test_a_sheet_cannot_be_changed_once_read(read):
    sheet = next(iter(read["u1_accounts"].sheets.values()))
    with pytest.raises(dataclasses.FrozenInstanceError):
        sheet.rows = ()  # type: ignore[misc]
    assert isinstance(sheet.rows, tuple) and isinstance(read["u4_images"].path, Path)
