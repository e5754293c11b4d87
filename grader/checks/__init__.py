"""The check registry.

A check is a plain function, registered once under a stable name, that receives a
``CheckContext`` (the candidate's parsed deliverable, the key and the criterion's
parameters) and returns an ``Outcome``: the share of the criterion earned and the evidence.
Checks never open files; readers did that. A rubric names checks; any paper may reuse them.

    @check("username_rules", needs=("accounts.personal",))
    def username_rules(ctx): ...

``reads`` lists what the check reads of a workbook (``Reads``): a sheet and its columns or
fields, each named by the parameter that holds the name, or literally as ``"=name"`` for a name
the check itself fixes. The loader resolves them and refuses a paper whose deliverable spec does
not declare one, in one line naming the file, the table and the name (a mistyped sheet, column or
field would otherwise cost every candidate the criterion without a flag).

``needs`` lists the dotted key paths the check reads; a paper whose key lacks one is
refused when it is loaded. ``settings`` lists the settings of its unit's deliverable spec that
the check judges by (the image reader's ``frame``, ``hash``): a spec lacking one is refused when
the paper loads; ``"images:naming"`` names a setting of the deliverable that the ``uses``
parameter ``images`` names. ``validate(key, params)`` may add paper-specific guarantees (convention 21) and
returns a list of problems; a check with ``settings`` is validated as ``validate(key, params,
settings)``, the spec's values of those settings by name.

A check sees the records of the read stage only, never the candidate's folder. One that needs
another unit's deliverable names the parameter that names it in ``uses`` and finds its record
in ``ctx.uses``; one that follows another criterion's rule names the parameter that gives that
criterion's id in ``refers`` and finds its parameters in ``ctx.referred``. Both are resolved,
and refused when they name nothing, when the paper loads.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fractions import Fraction

    from grader.model import FileRecord, Outcome
    from grader.paper import Key


@dataclass(frozen=True)
class CheckContext:
    criterion: str
    deliverable: Any  # what the unit's reader made of the deliverable (None when missing)
    key: Key
    params: dict[str, Any]
    uses: dict[str, FileRecord] = field(default_factory=dict)  # by parameter name: another unit's record
    referred: dict[str, dict[str, Any]] = field(default_factory=dict)  # by parameter name: a criterion's params
    points: Fraction | None = None  # the criterion's points (None when a test runs a check alone)
    files: tuple[str, ...] = ()  # the candidate folder's listing (relative paths): names only, no file opened
    typo_min_letters: int | None = None  # the paper's: the shortest word that may carry one typo (None: none)


@dataclass(frozen=True)
class Reads:
    """A sheet a check reads and the columns or fields it reads in it. Each entry is the name of
    the criterion parameter holding the name (a text; a list or a table's keys give several), one
    entry of a table parameter (``"columns.price"``), or ``"=name"`` for the name itself. ``deliverable`` is the ``uses`` parameter naming another
    unit's deliverable, or "" for the unit's own."""

    sheet: str
    columns: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    deliverable: str = ""

    def names(self, entry: str, params: dict[str, Any]) -> list[str]:
        """The names an entry stands for with these parameters (a missing parameter: none)."""
        if entry.startswith("="):
            return [entry[1:]]
        if "." in entry:  # one entry of a table parameter: "columns.price"
            table, name = entry.split(".", 1)
            value = params.get(table)
            return [str(value[name])] if isinstance(value, dict) and isinstance(value.get(name), str) else []
        value = params.get(entry)
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [str(k) for k in value]
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value]
        return []


@dataclass(frozen=True)
class Check:
    name: str
    func: Callable[[CheckContext], Outcome]
    needs: tuple[str, ...] = ()
    params: tuple[str, ...] = ()  # required criterion parameters
    validate: Callable[[Key, dict[str, Any]], list[str]] | None = None
    without_deliverable: bool = False  # runs even when the unit's deliverable is missing
    doc: str = field(default="")
    uses: tuple[str, ...] = ()  # parameters naming another deliverable whose record the check reads
    refers: tuple[str, ...] = ()  # parameters naming another criterion whose parameters the check reads
    settings: tuple[str, ...] = ()  # settings of the unit's deliverable spec the check judges by
    reads: tuple[Reads, ...] = ()  # the sheets, columns and fields of a workbook the check reads


REGISTRY: dict[str, Check] = {}


def check(
    name: str,
    *,
    needs: tuple[str, ...] = (),
    params: tuple[str, ...] = (),
    validate: Callable[[Key, dict[str, Any]], list[str]] | None = None,
    without_deliverable: bool = False,
    uses: tuple[str, ...] = (),
    refers: tuple[str, ...] = (),
    settings: tuple[str, ...] = (),
    reads: tuple[Reads, ...] = (),
) -> Callable[[Callable[[CheckContext], Outcome]], Callable[[CheckContext], Outcome]]:
    """Register a check under ``name`` and return the function unchanged. ``uses`` and ``refers``
    name parameters (they are required parameters too); see the module."""

    def register(func: Callable[[CheckContext], Outcome]) -> Callable[[CheckContext], Outcome]:
        if name in REGISTRY and REGISTRY[name].func is not func:
            raise RuntimeError(f"check {name!r} registered twice")
        required = tuple(dict.fromkeys((*params, *uses, *refers)))
        REGISTRY[name] = Check(name, func, tuple(needs), required, validate, without_deliverable,
                               (func.__doc__ or "").strip(), tuple(uses), tuple(refers), tuple(settings), tuple(reads))
        return func

    return register


def load_all() -> dict[str, Check]:
    """Import the check modules, each registering its checks on import; return the registry.
    A new family of checks is added to this list (``tests/test_stages.py`` finds one left out)."""
    from grader.checks import (  # noqa: F401 - imported for their registrations
        accounts,
        images,
        listing,
        logistics,
        optimisation,
        orders,
        pending,
        selection,
        service,
    )

    return REGISTRY
