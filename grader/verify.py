"""``grade verify DISC OUT``: do the results in OUT still belong to this disc, rubric, key and overrides?

Reads OUT's ``manifest.json`` and recomputes, without grading anything:

- the sha256 of every input file the manifest lists (roster, exam.toml, each file a reader
  read), from DISC: a changed, missing or unreadable file breaks the link;
- the rubric's and the key's sha256 (the paper named by ``--paper``, else the rubric file the
  run used, else the manifest's paper id), naming each changed key file;
- the overrides file's sha256 (``--overrides``, else the file the run used); results made
  without overrides do not belong to an overrides file, nor the reverse;
- the sha256 of every ``candidates/<user>.json`` in OUT against the one the run wrote, and
  no result file the run did not write;
- the review log (``review-log.jsonl``) against the sha256 the manifest holds since its last
  decision, and its rows' chain: an edited, removed or added row is found.

The answer is a list of findings, each ok or not; ``Verification.ok`` when all are.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.errors import GraderError
from grader.names import display_path
from grader.report.manifest import file_sha256, read_manifest

SHOWN = 10  # changed files named one by one; the rest counted


@dataclass(frozen=True)
class Finding:
    ok: bool
    topic: str  # disc, rubric, key, overrides, results, review
    text: str


@dataclass
class Verification:
    disc: Path
    out: Path
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.findings)

    def add(self, ok: bool, topic: str, text: str) -> None:
        self.findings.append(Finding(ok, topic, text))

    def lines(self) -> list[str]:
        lines = [f"{'✓' if f.ok else '✗'} {f.topic}: {f.text}" for f in self.findings]
        if self.ok:
            lines.append(f"OK 一致: the results in {self.out} belong to this disc, rubric, key and overrides")
        else:
            topics = ", ".join(dict.fromkeys(f.topic for f in self.findings if not f.ok))
            lines.append(f"MISMATCH 不一致: the results in {self.out} do not belong to what was given ({topics})")
        return lines


def verify(disc: Path | str, out: Path | str, paper: str | Path | None = None,
           overrides: str | Path | None = None, *, papers: Iterable[str | Path] = ()) -> Verification:
    """Compare OUT's manifest with DISC, the paper and the overrides; GraderError when OUT or DISC is unusable.
    ``papers``: folders searched first for a paper id (see ``grader.paper``)."""
    disc, out = Path(disc), Path(out)
    if not disc.is_dir():
        raise GraderError(f"{disc} is not a folder")
    manifest = read_manifest(out)
    result = Verification(disc, out)
    _inputs(result, disc, manifest.get("inputs", []))
    _paper(result, manifest, paper, papers)
    _overrides(result, manifest.get("overrides"), overrides)
    _results(result, out, manifest.get("results"))
    _review(result, out, manifest.get("review"))
    return result


def _inputs(result: Verification, disc: Path, inputs: list[dict[str, Any]]) -> None:
    changed, missing = [], []
    root = disc.resolve()
    shown: dict[str, Path] | None = None
    for item in inputs:
        path = disc / item["path"]
        if not path.exists():  # a name that is not UTF-8 is recorded as shown: find the file it stands for
            shown = _shown_files(disc) if shown is None else shown
            path = shown.get(item["path"], path)
        path = path.resolve()
        if root not in path.parents or not path.is_file():
            missing.append(item["path"])
            continue
        try:
            digest = file_sha256(path)
        except OSError:
            missing.append(item["path"])
            continue
        if digest != item["sha256"]:
            changed.append(item["path"])
    if not inputs:
        result.add(False, "disc", "the manifest lists no input file")
    if changed:
        result.add(False, "disc", f"{len(changed)} input file(s) changed: {_names(changed)}")
    if missing:
        result.add(False, "disc", f"{len(missing)} input file(s) missing or unreadable: {_names(missing)}")
    if inputs and not changed and not missing:
        result.add(True, "disc", f"all {len(inputs)} input files unchanged (sha256)")


def _shown_files(disc: Path) -> dict[str, Path]:
    """The disc's files by their path as results show it (``grader.names.display_path``)."""
    files = {}
    for folder, _, names in os.walk(disc):
        for name in names:
            path = Path(folder) / name
            files[display_path(path.relative_to(disc).as_posix())] = path
    return files


def _paper(result: Verification, manifest: dict[str, Any], paper: str | Path | None,
           papers: Iterable[str | Path]) -> None:
    from grader.paper import load_paper

    rubric = manifest.get("rubric", {})
    key = manifest.get("key", {})
    chosen = paper
    if chosen is None:
        location = rubric.get("location")
        chosen = location if location and Path(location).is_file() else (manifest.get("paper") or None)
    try:
        loaded = load_paper(chosen, papers=papers)
    except GraderError as exc:
        result.add(False, "rubric", f"the paper {chosen} cannot be loaded: {exc}")
        return
    where = loaded.rubric_path
    if loaded.rubric_sha256 == rubric.get("sha256"):
        result.add(True, "rubric", f"{where} unchanged (sha256)")
    else:
        result.add(False, "rubric", f"{where} differs from the rubric the results were made with")
    if loaded.key_sha256 == key.get("sha256"):
        result.add(True, "key", f"{loaded.key.root} unchanged ({len(loaded.key.files)} files, sha256)")
        return
    before, now = key.get("files", {}), loaded.key.files
    changed = sorted(n for n in set(before) | set(now) if before.get(n) != now.get(n))
    result.add(False, "key", f"{loaded.key.root} differs from the key the results were made with: "
                             f"{_names(changed) or 'different files'}")


def _overrides(result: Verification, recorded: dict[str, Any] | None, given: str | Path | None) -> None:
    if recorded is None:
        if given is None:
            result.add(True, "overrides", "none, as in the run")
        else:
            result.add(False, "overrides", f"the results were made without overrides, not with {given}")
        return
    path = Path(given) if given is not None else Path(recorded.get("path", ""))
    try:
        digest = file_sha256(path)
    except OSError:
        result.add(False, "overrides", f"the results hold {recorded.get('rows', '?')} override(s) from "
                                       f"{recorded.get('path')}; {path} cannot be read (give it with --overrides)")
        return
    if digest == recorded.get("sha256"):
        result.add(True, "overrides", f"{path} unchanged (sha256, {recorded.get('rows', '?')} rows)")
    else:
        result.add(False, "overrides", f"{path} differs from the overrides the results were made with")


def _results(result: Verification, out: Path, recorded: dict[str, str] | None) -> None:
    if recorded is None:
        result.add(False, "results", "the manifest records no result files (made by an older grader?)")
        return
    present = {p.relative_to(out).as_posix() for p in (out / "candidates").glob("*.json")}
    changed, missing = [], []
    for name, digest in sorted(recorded.items()):
        if name not in present:
            missing.append(name)
        elif file_sha256(out / name) != digest:
            changed.append(name)
    extra = sorted(present - set(recorded))
    if changed:
        result.add(False, "results", f"{len(changed)} result file(s) changed since the run: {_names(changed)}")
    if missing:
        result.add(False, "results", f"{len(missing)} result file(s) missing: {_names(missing)}")
    if extra:
        result.add(False, "results", f"{len(extra)} result file(s) not written by this run: {_names(extra)}")
    if not changed and not missing and not extra:
        result.add(True, "results", f"all {len(recorded)} candidate results as written (sha256)")


def _review(result: Verification, out: Path, recorded: dict[str, Any] | None) -> None:
    from grader.review.log import LOG, log_sha256, read_log

    try:
        rows = len(read_log(out))
    except GraderError as exc:
        result.add(False, "review", str(exc))
        return
    digest = log_sha256(out)
    if recorded is None:
        if digest:
            result.add(False, "review", f"{LOG} holds {rows} row(s) the results were not made with")
        else:
            result.add(True, "review", "no review decisions, as in the run")
    elif digest != recorded.get("sha256"):
        result.add(False, "review", f"{LOG} differs from the log the results were made with "
                                    f"({recorded.get('rows', '?')} row(s) then, {rows} now)")
    else:
        signed = recorded.get("signed_off")
        state = f", signed off by {signed['examiner']} at {signed['at']}" if signed else ""
        result.add(True, "review", f"{LOG} unchanged (sha256, {rows} row(s){state})")


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN])
    return shown + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")
