"""Readers: bytes of a candidate's deliverable into tables, texts or measurements.

``READERS`` maps a deliverable kind (the rubric's ``kind``) to a function
``reader(submission, spec, located) -> parsed`` that raises ``ReadError`` for a file it
cannot read. Readers never score. The reader modules register their kinds on import, when
``load_all`` imports them.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grader.paper import DeliverableSpec, Key
    from grader.read.submission import Located, Submission

Reader = Callable[["Submission", "DeliverableSpec", "Located"], Any]
READERS: dict[str, Reader] = {}
# the settings a kind's deliverable spec may carry besides kind, names and sheets, and those it must
OPTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
# a kind's check of its spec's settings against the key: spec options, key -> problems (empty when usable)
SETTINGS: dict[str, Callable[[dict[str, Any], Key], list[str]]] = {}


def reader(kind: str, options: tuple[str, ...] = (), required: tuple[str, ...] = (),
           settings: Callable[[dict[str, Any], Key], list[str]] | None = None) -> Callable[[Reader], Reader]:
    """Register the reader of a deliverable kind, with the spec settings it reads (``options``),
    those among them it cannot do without (``required``) and what checks their values
    (``settings``); a paper is checked against them when it loads."""

    def register(func: Reader) -> Reader:
        READERS[kind] = func
        OPTIONS[kind] = (tuple(options), tuple(required))
        if settings is not None:
            SETTINGS[kind] = settings
        return func

    return register


def load_all() -> dict[str, Reader]:
    """Import the reader modules, each registering its kinds on import; return the registry.
    A new kind's module is added to this list (``tests/test_stages.py`` finds one left out)."""
    from grader.read import folders, images, service, workbooks  # noqa: F401 - imported for their registrations

    return READERS
