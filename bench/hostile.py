"""Benchmark: peak memory of a run on a disc of hostile files, against issue 15's target.

    python bench/hostile.py [--jobs 2]

The disc holds every hostile and broken case the tests know (``tests/hostile.py``: empty,
truncated, encrypted and zip-bomb workbooks, XML entities, a huge csv, links, a fifo, image
bombs, bad text; ``tests/test_one_bad_file.py``: files over the cap, a docx bomb, GIF bombs, a
200 KiB csv field), beside good candidates, plus one candidate whose main image is a legal
100-megapixel photo (convention 27 grades it). It is graded with the default caps in a
subprocess whose process tree's resident memory is sampled every 0.1 s, and the figures are
printed on stdout:

    hostile disc: N candidates, S s, peak tree RSS M MiB, largest process L MiB (target < 1024)
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "bench")]

TARGET_MIB = 1024
SIDE = 10_000  # 10,000 x 10,000: 100 megapixels, the largest image convention 27 grades


def big_photo() -> bytes:
    """A legal 100-megapixel JPEG: a smooth gradient (so it compresses to a few MB, like a photo
    of a plain product would not; the decoder's work is the same)."""
    from PIL import Image

    small = Image.linear_gradient("L").resize((256, 256)).convert("RGB")
    image = small.resize((SIDE, SIDE), Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def make_disc(disc: Path) -> int:
    from helpers import make_candidate
    from hostile import make_corpus
    from test_one_bad_file import DRAFT_EDITS, EDITS

    from grader.paper import load_paper

    paper = load_paper()
    make_corpus(disc, paper)
    for number, edit in enumerate(EDITS.values(), start=1):
        folder = disc / f"e{number:02d}"
        make_candidate(folder, paper, only=None)
        edit(folder)
    for number, edit in enumerate(DRAFT_EDITS.values(), start=1):
        make_candidate(disc / f"d{number:02d}", paper, only=None, edit=edit)
    photo = disc / "p01"
    make_candidate(photo, paper, only=None)
    main = next((photo / "u4_images").glob("*.MAIN.*"))
    main.write_bytes(big_photo())
    (disc / "exam.toml").write_text('similarity = false\n', encoding="utf-8")
    return sum(1 for p in disc.iterdir() if p.is_dir())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    from run import timed_grade

    with tempfile.TemporaryDirectory(prefix="grade-hostile-") as work:
        disc, out = Path(work) / "disc", Path(work) / "out"
        disc.mkdir()
        count = make_disc(disc)
        figures = timed_grade(disc, out, args.jobs, fresh=True)
        photo = json.loads((out / "candidates" / "p01.json").read_text(encoding="utf-8"))
    u4 = next(u for u in photo["units"] if u["id"] == "U4")
    lost = [f"{c['id']} {c['points']}/{c['maximum']}: {c['evidence'][0]['message']}" for c in u4["criteria"]
            if c["points"] != c["maximum"]]
    print(f"100-megapixel candidate: U4 {u4['points']}, flags {sorted({f['code'] for f in photo['flags']}) or 'none'}; "
          f"lost: {'; '.join(lost) or 'nothing'}")
    mib = 1024 * 1024
    print(f"hostile disc: {count} candidates, {figures['wall']:.1f} s, peak tree RSS "
          f"{figures['peak_sum'] / mib:.0f} MiB, largest process {figures['peak_one'] / mib:.0f} MiB "
          f"(target < {TARGET_MIB})")
    if figures["peak_sum"] >= TARGET_MIB * mib:
        raise SystemExit(f"peak tree RSS over {TARGET_MIB} MiB")


if __name__ == "__main__":
    main()
