"""Benchmark: the similarity stage alone, for classes of N candidates made like real ones.

    python bench/similarity.py --candidates 2000,8000,10000

For each N in turn, a child process builds N candidates' fingerprints in the shape the pipeline
gives the stage: the perfect candidate of the demo (``grader.samples``, written from the paper's
key, ``answer_keys/2026A``) is written to a folder, read and fingerprinted as a worker does, and
every candidate writes each of its texts and image hashes from it with its own variation
(``grader.samples.classprints``: most pairs share much wording without being copies); 5% of the
candidates hand in another's work with a few words or bits changed. The child then runs
``grader.similarity.find_similar`` with the options the pipeline passes it (the paper's
threshold, distance and common share, the key's texts and files as materials, every core) and
measures it. One line per N goes to stdout:

    similarity: N candidates, S s, peak M MiB

S is the stage's seconds alone; M the child's peak resident memory (building the class
included), so each N has its own peak. A line on stderr tells whether every copy was found (a
pair of the copier and the candidate copied, on some label; the copy of a candidate who later
copied someone in turn is of work the class no longer holds, and is not counted); a copy missed
fails the run.
"""
from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def model_fingerprints() -> dict[str, str]:
    """The perfect demo candidate's fingerprints, as a worker takes them from its reading."""
    from grader.fingerprints import fingerprints
    from grader.paper import load_paper
    from grader.read.submission import read_submission
    from grader.samples import candidate_drafts, write_candidate

    paper = load_paper("2026A")
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        folder = root / "ks00000"
        write_candidate(folder, candidate_drafts(paper, []))
        reading = read_submission(folder, paper, disc_root=root)
        return fingerprints(reading, paper, len(folder.relative_to(root).parts))


def peak_rss_bytes() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def current_rss_bytes() -> int:
    import psutil

    return psutil.Process().memory_info().rss


def measure(candidates: int, seed: int, copy_share: float, by_label: bool = False) -> dict:
    """Build the class, run the stage on it, and say what it took and whether every copy was found."""
    from grader.paper import load_paper
    from grader.samples.classprints import class_fingerprints
    from grader.similarity import find_similar

    paper = load_paper("2026A")
    started = time.perf_counter()
    copies: dict[str, str] = {}
    prints = class_fingerprints(model_fingerprints(), candidates, seed=seed, copy_share=copy_share, copies=copies)
    built = time.perf_counter() - started
    before = current_rss_bytes()
    options = paper.similarity
    stage = {"materials_text": paper.key.texts(),
             "materials_files": set(paper.key.files.values()), "text_threshold": options["text_threshold"],
             "image_distance": options["image_distance"], "common_share": options["common_share"], "workers": -1}
    started = time.perf_counter()
    if by_label:
        pairs = []
        for label in sorted({key for held in prints.values() for key in held}):
            begun = time.perf_counter()
            # every candidate stays in the class (its size sets the common share); only one label is compared
            pairs += find_similar({user: {label: held[label]} if label in held else {}
                                   for user, held in prints.items()}, **stage)
            print(f"  {label}: {time.perf_counter() - begun:.1f} s", file=sys.stderr, flush=True)
    else:
        pairs = find_similar(prints, **stage)
    seconds = time.perf_counter() - started
    found = {(p.a, p.b) for p in pairs}
    # a copy of a candidate who later handed in a copy in turn is of work no longer in the class
    copied = {tuple(sorted((user, taken))) for user, taken in copies.items()
              if taken != user and not (taken in copies and taken > user)}
    missed = sorted(copied - found)
    return {"candidates": candidates, "seconds": seconds, "peak": peak_rss_bytes(), "before": before,
            "built": built, "pairs": len(pairs), "flagged": len({u for p in found for u in p}),
            "copies": len(copied), "missed": [list(m) for m in missed[:10]], "missed_count": len(missed)}


def run_child(command: list[str]) -> tuple[str, int]:
    """Run one class size in its own process, which ends with this one (stopped by ``timeout`` or
    Ctrl-C, a child left running would hold both cores for hours)."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        output, _ = child.communicate()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return output, child.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", default="2000,8000,10000", help="class sizes, comma-separated")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--copy-share", type=float, default=0.05, help="share of candidates copying another")
    parser.add_argument("--by-label", action="store_true",
                        help="compare label by label, each label's seconds on stderr as it ends (the same pairs)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)  # one class size, in this process
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child, args.seed, args.copy_share, args.by_label)))
        return
    missed_any = False
    for n in (int(part) for part in args.candidates.split(",") if part.strip()):
        output, code = run_child([sys.executable, __file__, "--child", str(n), "--seed", str(args.seed),
                                  "--copy-share", str(args.copy_share), *(["--by-label"] if args.by_label else [])])
        if code != 0:
            raise SystemExit(f"the {n}-candidate run exited {code}")
        figures = json.loads(output.splitlines()[-1])
        print(f"similarity: {n} candidates, {figures['seconds']:.1f} s, peak {figures['peak'] / 2**20:.0f} MiB",
              flush=True)
        state = "all found" if not figures["missed_count"] else f"{figures['missed_count']} MISSED {figures['missed']}"
        print(f"  copies: {figures['copies']} copier/copied pairs, {state}; {figures['pairs']} pairs flagged over "
              f"{figures['flagged']} candidates; class built in {figures['built']:.0f} s, "
              f"{figures['before'] / 2**20:.0f} MiB before the stage", file=sys.stderr, flush=True)
        missed_any |= bool(figures["missed_count"])
    if missed_any:
        raise SystemExit("a copy was not found")


if __name__ == "__main__":
    main()
