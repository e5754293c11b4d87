"""Readers: bytes of a candidate's deliverable into tables, texts or measurements.

``READERS`` maps a deliverable kind (the rubric's ``kind``) to a function
``reader(submission, spec, located) -> parsed`` that raises ``ReadError`` for a file it
cannot read. Readers never score. Modules of this package register their kinds on import.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grader.paper import DeliverableSpec
    from grader.read.submission import Located, Submission

Reader = Callable[["Submission", "DeliverableSpec", "Located"], Any]
READERS: dict[str, Reader] = {}


def reader(kind: str) -> Callable[[Reader], Reader]:
    """Register the reader of a deliverable kind."""

    def register(func: Reader) -> Reader:
        READERS[kind] = func
        return func

    return register


def load_all() -> dict[str, Reader]:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return READERS
