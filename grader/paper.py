"""Loading and validating a paper: its rubric (``rubrics/<paper>.toml``) and key folder.

The rubric holds units, weights, criteria, points, check names and parameters, and the
deliverables' file names, sheets and header aliases. The key folder holds the materials
and the answers; every ``.toml``, ``.json``, ``.csv`` and ``.xlsx`` file at its top is a
section named after the file (``orders.csv`` → ``key["orders"]``); sub-folders (photos,
emails) are reached with ``key.path()``. Both are loaded and validated once, then passed
down read-only.

A paper id (``2026B``, the rubric's file name) is looked up, first match wins, in the folders given with ``--papers``
(``papers=``), then those of the environment variable ``GRADER_PAPERS`` (separated by
``os.pathsep``), then the papers installed with the package (``grader/papers/``), then, in a
source checkout, the repository beside the package. Each folder holds ``rubrics/`` and
``answer_keys/``. The places are worked out at each lookup, never at import.

Which paper grades a disc (``choose_paper``): the one asked for (``--paper``, an id or a rubric
file), else exam.toml's ``paper`` (an id, or a rubric path relative to the disc), else the
default paper: the environment variable ``GRADER_DEFAULT_PAPER``, else the id written in
``rubrics/default-paper.txt`` of the first papers folder that has one (the shipped papers name
the paper of the standard), else the only paper installed.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.checks import load_all
from grader.errors import PaperError
from grader.read.tables import SheetSpec
from grader.upgrade import SCHEMA, SchemaError, upgrade

if TYPE_CHECKING:
    from grader.records.images import HashMethod, Material
    from grader.records.service import Email

PAPERS_VARIABLE = "GRADER_PAPERS"
DEFAULT_VARIABLE = "GRADER_DEFAULT_PAPER"
DEFAULT_FILE = "default-paper.txt"  # in a papers folder's rubrics/: the id graded when none is named
KEY_SUFFIXES = (".toml", ".json", ".csv", ".xlsx")
# Similarity between candidates (flags only): a rubric's [similarity] table may change these.
SIMILARITY = {"text_threshold": 90, "image_distance": 4, "common_share": 0.5}


@dataclass(frozen=True)
class Criterion:
    id: str
    unit: str
    points: Fraction
    title: str
    title_en: str
    check: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Unit:
    id: str
    title: str
    title_en: str
    weight: Fraction
    deliverable: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class DeliverableSpec:
    """Where a deliverable stands in a candidate folder and, for a workbook, its sheets."""

    name: str
    kind: str  # "workbook", or a folder kind a reader is registered for
    names: tuple[str, ...]
    sheets: tuple[SheetSpec, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)


class MaterialError(PaperError):
    """A material of the key cannot be parsed, or was asked for after the paper loaded."""


class Key:
    """The paper's materials and answers, read-only.

    What checks derive from the materials (the emails parsed, the photos hashed, the selection
    rules read) is made while the paper loads, by the checks' ``validate`` hooks calling
    ``derive``; then ``load_paper`` seals the key. Grading only reads: a material first asked
    for after the seal is refused (``MaterialError``), never parsed then, so no state is filled
    while candidates are graded and every worker holds the same key. The derived materials
    travel with the key to spawned workers, all but the ``per_process`` ones (a library object
    such as a tokenizer, big and rebuilt from the key in each process as it arrives, before any
    task)."""

    def __init__(self, root: Path, sections: dict[str, Any], files: dict[str, str]):
        self.root = root
        self._sections = sections
        self.files = files  # relative path → sha256, every file of the key folder
        self._derived: dict[str, Any] = {}
        self._rebuilt: dict[str, Callable[[Key], Any]] = {}  # per-process materials: name → maker
        self._sealed = False

    def __getitem__(self, section: str) -> Any:
        return self._sections[section]

    def __contains__(self, section: str) -> bool:
        return section in self._sections

    def get(self, dotted: str, default: Any = None) -> Any:
        try:
            return self.lookup(dotted)
        except KeyError:
            return default

    def lookup(self, dotted: str) -> Any:
        """``key.lookup("accounts.personal.real_name")``; raises KeyError naming the path."""
        node: Any = self._sections
        for part in dotted.split("."):
            if isinstance(node, dict) and part in node:
                node = node[part]
            else:
                raise KeyError(dotted)
        return node

    def path(self, relative: str) -> Path:
        return self.root / relative

    def email(self, relative: str) -> Email:
        """One of the key's ``.eml`` files, parsed (``grader.read.service.read_email``): for a
        material's maker, while the paper loads. Checks read the key's files through the key, never
        through a reader."""
        from grader.read.service import read_email

        self._loading(f"{relative} read after the paper loaded")
        return read_email(self.path(relative))

    def photos(self, section: str, method: HashMethod) -> tuple[Material, ...]:
        """The key's photos of ``section`` measured and hashed by ``method`` as a candidate's images
        are (``grader.read.images.materials``), made when the paper loads."""
        from grader.read.images import materials

        return materials(self, section, method)

    def resized_photo_distances(self, section: str, method: HashMethod, sides: tuple[int, ...], quality: int
                                ) -> dict[str, dict[int, int]]:
        """How far each photo of ``section`` lands from itself once resized plainly to each of
        ``sides`` and saved as a JPEG of ``quality`` (``grader.read.images.resized_distances``):
        the photo check a paper passes while it loads."""
        from grader.read.images import resized_distances

        self._loading(f"{section}'s photos resized after the paper loaded")
        return resized_distances(self, section, method, sides, quality)

    def _loading(self, refusal: str) -> None:
        """Refuse, once the key is sealed, what only loading may do."""
        if self._sealed:
            raise MaterialError(f"answer key {self.root}: {refusal}")

    def texts(self) -> tuple[str, ...]:
        """Every text of the materials long enough to be copied (similarity's common material)."""
        return self.derive("texts", material_texts)

    def derive(self, name: str, make: Callable[[Key], Any], *, per_process: bool = False) -> Any:
        """The material ``name``, made by ``make(key)`` the first time, while the paper loads.

        ``make`` must be a module-level function (or a ``functools.partial`` of one) when
        ``per_process``: it is what a worker runs to rebuild the material."""
        if name in self._derived:
            return self._derived[name]
        self._loading(f"material {name!r} was not parsed when the paper loaded (a check reads it without "
                      f"its validate hook deriving it)")
        self._derived[name] = make(self)
        if per_process:
            self._rebuilt[name] = make
        return self._derived[name]

    def seal(self) -> None:
        """End of loading: from now on ``derive`` only returns what was made."""
        self._sealed = True

    @property
    def materials(self) -> tuple[str, ...]:
        """The names of the derived materials, in the order they were made."""
        return tuple(self._derived)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_derived"] = {k: v for k, v in self._derived.items() if k not in self._rebuilt}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        for name, make in self._rebuilt.items():
            self._derived[name] = make(self)


def material_texts(key: Key, min_chars: int = 40) -> tuple[str, ...]:
    """Strings of the sections at least ``min_chars`` long, and the text files and emails of the
    key's sub-folders."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            if len(node.strip()) >= min_chars:
                found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(key._sections)
    for path in sorted(key.root.rglob("*")):
        if path.is_file() and path.suffix.lower() in (".txt", ".eml") and path.parent != key.root:
            try:
                found.append(path.read_bytes().decode("utf-8", errors="replace"))
            except OSError as exc:
                raise MaterialError(f"answer key file {path}: cannot be read ({exc})") from exc
    return tuple(found)


@dataclass(frozen=True)
class Paper:
    id: str
    title: str
    rubric_path: Path
    rubric_sha256: str
    pass_mark: Fraction
    places: int
    typo_min_letters: int  # the typo rule (convention 12): a word of this many letters or more may carry one
    units: tuple[Unit, ...]
    deliverables: dict[str, DeliverableSpec]
    key: Key
    similarity: dict[str, Any] = field(default_factory=lambda: dict(SIMILARITY))
    warnings: tuple[str, ...] = ()  # what loading had to do (an earlier schema upgraded), for the console
    upgrade: tuple[str, ...] = ()  # each change the loader made to read an earlier schema, in words

    def criteria(self) -> list[Criterion]:
        return [c for u in self.units for c in u.criteria]

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria():
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def unit(self, unit_id: str) -> Unit:
        for unit in self.units:
            if unit.id == unit_id:
                return unit
        raise KeyError(unit_id)

    @property
    def key_sha256(self) -> str:
        digest = hashlib.sha256()
        for name in sorted(self.key.files):
            digest.update(f"{name}\0{self.key.files[name]}\n".encode())
        return digest.hexdigest()


# ---------------------------------------------------------------- loading


def paper_dirs(papers: Iterable[str | Path] = ()) -> list[Path]:
    """The folders searched for ``rubrics/<id>.toml``, in order (see the module's docstring)."""
    given = [Path(papers)] if isinstance(papers, (str, Path)) else [Path(p) for p in papers]
    from_env = [Path(p) for p in os.environ.get(PAPERS_VARIABLE, "").split(os.pathsep) if p]
    package = Path(__file__).resolve().parent
    dirs = [*given, *from_env, package / "papers"]
    if (package.parent / "rubrics").is_dir():
        dirs.append(package.parent)
    return list(dict.fromkeys(d.resolve() for d in dirs))


def installed_papers(extra_dirs: Iterable[str | Path] = ()) -> dict[str, Path]:
    """Every paper id that can be loaded by name → its rubric; an id found twice is the first one."""
    found: dict[str, Path] = {}
    for base in paper_dirs(extra_dirs):
        for rubric in sorted((base / "rubrics").glob("*.toml")):
            found.setdefault(rubric.stem, rubric)
    return found


def resolve_rubric(paper: str | Path, papers: Iterable[str | Path] = ()) -> Path:
    """An id → the first ``rubrics/<id>.toml`` of ``paper_dirs(papers)``; a ``.toml`` path as given."""
    candidate = Path(paper)
    if candidate.suffix == ".toml" or candidate.is_file():
        if not candidate.is_file():
            raise PaperError(f"rubric file {candidate} does not exist")
        return candidate
    dirs = paper_dirs(papers)
    for base in dirs:
        path = base / "rubrics" / f"{paper}.toml"
        if path.is_file():
            return path
    known = ", ".join(installed_papers(papers)) or "none"
    looked = ", ".join(str(d) for d in dirs)
    raise PaperError(f"no rubric for paper {paper!r}: papers available: {known}; looked for "
                     f"rubrics/{paper}.toml in {looked} (add a folder with --papers or {PAPERS_VARIABLE})")


def default_paper(papers: Iterable[str | Path] = ()) -> str:
    """The paper graded when neither the command nor the disc names one (see the module)."""
    papers = tuple(papers)
    if os.environ.get(DEFAULT_VARIABLE, "").strip():
        return os.environ[DEFAULT_VARIABLE].strip()
    for base in paper_dirs(papers):
        setting = base / "rubrics" / DEFAULT_FILE
        if setting.is_file():
            named = setting.read_text(encoding="utf-8").strip()
            if named:
                return named
    installed = installed_papers(papers)
    if len(installed) == 1:
        return next(iter(installed))
    raise PaperError(f"no paper named: give --paper (installed: {', '.join(installed) or 'none'}), or set "
                     f"{DEFAULT_VARIABLE}")


def choose_paper(paper: str | Path | None, disc_root: Path | None = None,
                 papers: Iterable[str | Path] = ()) -> str | Path:
    """The paper for a disc: ``paper`` if given, else exam.toml's (a rubric path is taken relative
    to the disc), else the default paper."""
    if paper:
        return paper
    if disc_root is not None and Path(disc_root).is_dir():
        from grader.intake import read_exam

        named = str(read_exam(Path(disc_root))[0].get("paper", "")).strip()
        if named:
            if named.endswith(".toml") or "/" in named or "\\" in named:
                return Path(disc_root) / named
            return named
    return default_paper(papers)


def load_paper(paper: str | Path | None = None, *, papers: Iterable[str | Path] = ()) -> Paper:
    """Load and validate a paper (an id or a rubric file; the default paper when None); ``papers``:
    folders searched first for an id. Raise PaperError with a one-line reason when it is missing
    or invalid."""
    rubric_path = resolve_rubric(paper or default_paper(papers), papers)
    raw = rubric_path.read_bytes()
    try:
        rubric = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PaperError(f"{rubric_path}: not valid TOML ({exc})") from exc
    try:
        rubric, changes = upgrade(rubric)
    except SchemaError as exc:
        raise PaperError(f"{rubric_path.name}: {exc}") from exc
    key_dir = (rubric_path.parent / rubric.get("key", f"../answer_keys/{rubric_path.stem}")).resolve()
    key = load_key(key_dir)
    registry = load_all()
    check_names(rubric_path.name, rubric)
    try:
        deliverables = _deliverables(rubric)
        units = _units(rubric, deliverables)
    except (KeyError, TypeError, ValueError) as exc:
        raise PaperError(f"{rubric_path}: malformed rubric ({type(exc).__name__}: {exc})") from exc
    _validate(rubric_path, units, key, registry, deliverables)
    key.texts()
    key.seal()
    return Paper(
        id=str(rubric.get("paper", rubric_path.stem)),
        title=str(rubric.get("title", "")),
        rubric_path=rubric_path,
        rubric_sha256=hashlib.sha256(raw).hexdigest(),
        pass_mark=Fraction(str(rubric.get("pass_mark", 60))),
        places=int(rubric.get("display_places", 2)),
        typo_min_letters=_typo_min_letters(rubric_path.name, rubric),
        units=units,
        deliverables=deliverables,
        key=key,
        similarity={**SIMILARITY, **rubric.get("similarity", {})},
        warnings=_upgrade_warnings(rubric_path, changes),
        upgrade=tuple(changes),
    )


def _upgrade_warnings(rubric_path: Path, changes: list[str]) -> tuple[str, ...]:
    """What the loader did to read an earlier schema, as one line a centre can act on."""
    if not changes:
        return ()
    shown = "; ".join(changes[:3]) + ("; …" if len(changes) > 3 else "")
    warning = (f"{rubric_path.name} is written for an earlier schema of the rubric format; read as schema "
               f"{SCHEMA} after {len(changes)} changes ({shown}): grade upgrade-paper {rubric_path} lists them "
               "all, and with --write makes them in the file")
    return (warning,)


# The rubric's fixed names, table by table; anything else is a mistake the paper is refused for
RUBRIC_KEYS = ("schema", "paper", "title", "key", "pass_mark", "display_places", "typo_min_letters", "similarity",
               "units", "deliverables")
UNIT_KEYS = ("id", "title", "title_en", "weight", "deliverable", "criteria")
CRITERION_KEYS = ("id", "points", "title", "title_en", "check", "params")
SIMILARITY_KEYS = tuple(SIMILARITY)
DELIVERABLE_KEYS = ("kind", "names", "sheets")
SHEET_KEYS = ("aliases", "columns", "fields", "header")


def check_names(where: str, rubric: dict[str, Any]) -> None:
    """Refuse, in one line naming the table, any key the rubric format does not have (a typo such
    as ``passmark`` would otherwise be ignored and its value silently not applied)."""
    from grader.read import OPTIONS, READERS
    from grader.read import load_all as load_readers

    load_readers()
    _known(where, "the top", rubric, RUBRIC_KEYS)
    _known(where, "[similarity]", rubric.get("similarity", {}), SIMILARITY_KEYS)
    for n, unit in enumerate(_tables(where, "[[units]]", rubric.get("units", [])), start=1):
        label = f"unit {unit.get('id', n)}"
        _known(where, label, unit, UNIT_KEYS)
        for m, criterion in enumerate(_tables(where, f"{label}'s criteria", unit.get("criteria", [])), start=1):
            _known(where, f"criterion {criterion.get('id', f'{m} of {label}')}", criterion, CRITERION_KEYS)
    for name, spec in rubric.get("deliverables", {}).items():
        if not isinstance(spec, dict):
            raise PaperError(f"{where}: deliverable {name} is not a table")
        kind = spec.get("kind")
        if kind not in READERS:
            raise PaperError(f"{where}: deliverable {name} has kind {kind!r}, which no reader reads "
                             f"(kinds: {', '.join(sorted(READERS))})")
        options, required = OPTIONS.get(kind, ((), ()))
        _known(where, f"deliverable {name}", spec, DELIVERABLE_KEYS + options)
        for option in required:
            if option not in spec:
                raise PaperError(f"{where}: deliverable {name} lacks {option!r}, which its reader "
                                 f"({kind}) needs")
        for sheet, data in spec.get("sheets", {}).items():
            _known(where, f"deliverable {name}'s sheet {sheet}", data, SHEET_KEYS)


def _tables(where: str, label: str, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise PaperError(f"{where}: {label} must be an array of tables")
    return value


def _known(where: str, label: str, table: Any, known: tuple[str, ...]) -> None:
    if not isinstance(table, dict):
        raise PaperError(f"{where}: {label} must be a table")
    for name in table:
        if name not in known:
            from rapidfuzz import process

            close = process.extractOne(name, known, score_cutoff=70)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise PaperError(f"{where}: unknown key {name!r} in {label} (known: {', '.join(known)}){hint}")


def _deliverables(rubric: dict[str, Any]) -> dict[str, DeliverableSpec]:
    specs = {}
    for name, data in rubric.get("deliverables", {}).items():
        sheets = tuple(SheetSpec.from_rubric(s, d) for s, d in data.get("sheets", {}).items())
        options = {k: v for k, v in data.items() if k not in ("kind", "names", "sheets")}
        specs[name] = DeliverableSpec(name, data["kind"], tuple(data.get("names", [name])), sheets, options)
    return specs


def _units(rubric: dict[str, Any], deliverables: dict[str, DeliverableSpec]) -> tuple[Unit, ...]:
    units = []
    for u in rubric["units"]:
        if u["deliverable"] not in deliverables:
            raise ValueError(f"unit {u['id']} names deliverable {u['deliverable']!r}, which is not described")
        criteria = tuple(
            Criterion(
                id=c["id"],
                unit=u["id"],
                points=Fraction(str(c["points"])),
                title=c["title"],
                title_en=c.get("title_en", ""),
                check=c["check"],
                params=dict(c.get("params", {})),
            )
            for c in u["criteria"]
        )
        units.append(Unit(u["id"], u["title"], u.get("title_en", ""), Fraction(str(u["weight"])),
                          u["deliverable"], criteria))
    return tuple(units)


def _validate(rubric_path: Path, units: tuple[Unit, ...], key: Key, registry: dict,
              deliverables: dict[str, DeliverableSpec]) -> None:
    where = rubric_path.name
    _validate_settings(where, deliverables, key)
    ids = {c.id for u in units for c in u.criteria}
    total = sum((u.weight for u in units), Fraction(0))
    if total != 100:
        raise PaperError(f"{where}: unit weights add up to {total}, not 100")
    seen: set[str] = set()
    for unit in units:
        points = sum((c.points for c in unit.criteria), Fraction(0))
        if points != unit.weight:
            raise PaperError(f"{where}: criteria of {unit.id} add up to {points} points, "
                             f"not its weight {unit.weight}")
        for criterion in unit.criteria:
            if criterion.id in seen:
                raise PaperError(f"{where}: criterion {criterion.id} appears twice")
            seen.add(criterion.id)
            check = registry.get(criterion.check)
            if check is None:
                raise PaperError(f"{where}: criterion {criterion.id} names unknown check {criterion.check!r}")
            for param in check.params:
                if param not in criterion.params:
                    raise PaperError(f"{where}: criterion {criterion.id} lacks parameter {param!r} "
                                     f"that check {check.name!r} needs")
            for param in check.uses:
                if criterion.params[param] not in deliverables:
                    raise PaperError(f"{where}: criterion {criterion.id}'s {param} = {criterion.params[param]!r} "
                                     f"names no deliverable (the rubric has {', '.join(sorted(deliverables))})")
            for param in check.refers:
                if criterion.params[param] not in ids:
                    raise PaperError(f"{where}: criterion {criterion.id}'s {param} = {criterion.params[param]!r} "
                                     f"names no criterion of this rubric")
            spec = deliverables[unit.deliverable]
            for reads in check.reads:
                _check_reads(where, criterion, reads, deliverables[criterion.params[reads.deliverable]]
                             if reads.deliverable else spec)
            for need in check.needs:
                need = need.format(**{k: v for k, v in criterion.params.items() if isinstance(v, str)})
                lacking = _lacks(key, need)
                if lacking:
                    raise PaperError(f"{where}: criterion {criterion.id} needs {need!r}, "
                                     f"which the key ({key.root}) lacks{lacking}")
            settings = {}
            for setting in check.settings:
                # "images:naming": a setting of the deliverable the `images` parameter names (a `uses`)
                param, _, name = setting.rpartition(":")
                source = deliverables[criterion.params[param]] if param else spec
                if name not in source.options:
                    raise PaperError(f"{where}: criterion {criterion.id}'s check {check.name!r} judges by the "
                                     f"{name!r} setting, which [deliverables.{source.name}] lacks")
                settings[setting] = source.options[name]
            if check.validate is not None:
                try:
                    problems = (check.validate(key, criterion.params, settings) if check.settings
                                else check.validate(key, criterion.params))
                except (PaperError, MemoryError):
                    raise
                except Exception as exc:  # a material the hook parses is broken in a way it did not foresee
                    raise PaperError(f"{where}: key fails {criterion.id}'s guarantee: its materials cannot be "
                                     f"parsed ({type(exc).__name__}: {exc})") from exc
                if problems:
                    raise PaperError(f"{where}: key fails {criterion.id}'s guarantee: {problems[0]}")


def _lacks(key: Key, need: str) -> str:
    """Why the key lacks a dotted path ("" when it has it): a table's key, or, past a section that is
    a table of rows (a .csv), a column every row must have."""
    node: Any = key.get(need.split(".")[0])
    parts = need.split(".")
    for at, part in enumerate(parts[1:], start=1):
        if isinstance(node, list):
            if not node or not all(isinstance(row, dict) and part in row for row in node):
                return f" (no column {part!r} in {'.'.join(parts[:at])})"
            return ""
        node = node.get(part) if isinstance(node, dict) else None
    return " (missing)" if node is None else ""


def _check_reads(where: str, criterion: Criterion, reads: Any, spec: DeliverableSpec) -> None:
    """Refuse a sheet, column or field the criterion's check reads that ``spec`` does not declare."""
    sheets = {s.name: s for s in spec.sheets}
    for sheet_name in reads.names(reads.sheet, criterion.params):
        sheet = sheets.get(sheet_name)
        if sheet is None:
            raise PaperError(f"{where}: criterion {criterion.id} reads sheet {sheet_name!r}{_given(reads.sheet)}, "
                             f"which [deliverables.{spec.name}] does not declare (sheets: "
                             f"{', '.join(sheets) or 'none'})")
        for kind, entries, declared in (("column", reads.columns, sheet.columns), ("field", reads.fields, sheet.fields)):
            for entry in entries:
                for name in reads.names(entry, criterion.params):
                    if name not in declared:
                        raise PaperError(
                            f"{where}: criterion {criterion.id} reads {kind} {name!r}{_given(entry)} of sheet "
                            f"{sheet_name!r}, which [deliverables.{spec.name}.sheets.{sheet_name}] does not "
                            f"declare ({kind}s: {', '.join(declared) or 'none'})")


def _given(entry: str) -> str:
    """Where a name read came from, for the refusal: the parameter, or the check itself."""
    return " (fixed by its check)" if entry.startswith("=") else f" (its {entry} parameter)"


def _typo_min_letters(where: str, rubric: dict[str, Any]) -> int:
    """The rubric's ``typo_min_letters``: a whole number of letters, at least 1 (the upgrade of an
    earlier schema writes it; a current rubric must state it)."""
    value = rubric.get("typo_min_letters")
    if value is None:
        raise PaperError(f"{where}: typo_min_letters missing at the top of the rubric (the shortest word "
                         "that may carry one typo, convention 12; 6 reads \"a word longer than 5 letters\")")
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PaperError(f"{where}: typo_min_letters = {value!r} is not a number of letters (a whole number, "
                         "at least 1)")
    return value


def _validate_settings(where: str, deliverables: dict[str, DeliverableSpec], key: Key) -> None:
    """Refuse a deliverable spec whose reader settings its reader cannot use."""
    from grader.read import SETTINGS

    for spec in deliverables.values():
        problems = SETTINGS[spec.kind](spec.options, key) if spec.kind in SETTINGS else []
        if problems:
            raise PaperError(f"{where}: [deliverables.{spec.name}]: {problems[0]}")


def load_key(root: Path) -> Key:
    """Read every section file of a key folder; refuse a missing folder or a broken file."""
    if not root.is_dir():
        raise PaperError(f"answer key folder {root} does not exist")
    sections: dict[str, Any] = {}
    files: dict[str, str] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        files[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    for path in sorted(root.iterdir()):
        if path.is_file() and path.suffix.lower() in KEY_SUFFIXES:
            try:
                sections[path.stem] = _read_section(path)
            except Exception as exc:
                raise PaperError(f"answer key file {path}: cannot be read ({exc})") from exc
    return Key(root, sections, files)


def _read_section(path: Path) -> Any:
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return tomllib.loads(path.read_text(encoding="utf-8"))
    if suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    if suffix == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        return [dict(row) for row in csv.DictReader(io.StringIO(text))]
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        section = {}
        for ws in book.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            header = [str(h) for h in rows[0]] if rows else []
            section[ws.title] = [dict(zip(header, r)) for r in rows[1:] if any(v is not None for v in r)]
        return section
    finally:
        book.close()
