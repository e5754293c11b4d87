"""What a candidate's page shows of the files its evidence names, made in the read stage.

The readers already hold a preview of every picture they measured and the text of every
reply and template they decoded (their ``exhibits()``). A file the evidence names that no
reader decoded that way (a picture that would not open, a text a check only named) is read
here, once, read-only: a JPEG preview and the picture's facts, or the text as unit 8's reader
decodes it. What cannot be shown becomes an ``Exhibit`` with a ``problem`` in words. The
exhibits are cached with the result, so the reports never open a file of the disc.
"""
from __future__ import annotations

from pathlib import Path

from grader.intake import linked_folder
from grader.limits import Limits
from grader.locale import N_, say
from grader.model import IMAGE_SUFFIXES, TEXT_SUFFIXES, CandidateResult, Exhibit, evidence_files
from grader.read.images import PREVIEW_SIDE, preview_of
from grader.read.pillow import as_a_viewer

MAX_PIXELS = Limits.max_image_pixels  # convention 27: larger images are not decoded
MAX_TEXT_BYTES = 1_000_000
MAX_TEXT_CHARS = 200_000


def page_exhibits(result: CandidateResult, disc_root: Path | None,
                  given: dict[str, Exhibit] | None = None) -> dict[str, Exhibit]:
    """An exhibit for every picture and text the evidence names, by path in the candidate
    folder: the readers' own (``given``) where they made one, else read from the disc. A file
    that is not a regular file inside the candidate's folder has none."""
    given = given or {}
    folder = (disc_root / result.folder) if disc_root is not None and result.folder else None
    if folder is not None and folder.is_symlink() and linked_folder(folder, disc_root)[0] is None:
        folder = None  # a link out of the disc is not read, not even for a thumbnail
    found: dict[str, Exhibit] = {}
    for relative in evidence_files(result, IMAGE_SUFFIXES):
        shown = given.get(relative)
        if shown is not None and shown.preview:  # the reader read it inside the folder and made its preview
            found[relative] = shown
        elif (source := _inside(folder, relative)) is not None:
            found[relative] = image_exhibit(source)
    for relative in evidence_files(result, TEXT_SUFFIXES):
        shown = given.get(relative)
        if shown is not None and shown.text is not None:  # as unit 8's reader decoded it
            found[relative] = shown
        elif (source := _inside(folder, relative)) is not None:
            found[relative] = text_exhibit(source)
    return found


def _inside(folder: Path | None, relative: str) -> Path | None:
    """The candidate's file, when it is a regular file inside the candidate's folder."""
    if folder is None:
        return None
    try:
        base = folder.resolve()
        path = (folder / relative).resolve()
    except (OSError, RuntimeError):
        return None
    if base not in path.parents or not path.is_file():
        return None
    return path


def image_exhibit(source: Path) -> Exhibit:
    """A JPEG preview of ``source`` and the picture's facts, or as many facts as could be had
    and the problem in words."""
    from PIL import Image, ImageOps

    facts: dict[str, object] = {}
    try:
        facts["size"] = source.stat().st_size
        with as_a_viewer(), Image.open(source) as image:
            facts["format"], facts["mode"] = image.format or "", image.mode
            width, height = image.size
            if image.getexif().get(0x0112) in (5, 6, 7, 8):  # EXIF orientation turns it a quarter
                width, height = height, width
            facts["width"], facts["height"] = width, height
            if width * height > MAX_PIXELS:
                return Exhibit(**facts, problem=" ".join(say(N_("{pixels:,} pixels: too large to preview"),
                                                             pixels=width * height)))  # English, then Chinese
            image.draft("RGB", (PREVIEW_SIDE, PREVIEW_SIDE))
            data = preview_of(ImageOps.exif_transpose(image))
    except Exception as exc:  # noqa: BLE001 - a preview is a courtesy: a broken image is shown as unpreviewable
        said = say(N_("no preview"))
        return Exhibit(**facts, problem=f"{said.en} {said.zh} ({type(exc).__name__})")
    return Exhibit(data, **facts)


def text_exhibit(source: Path) -> Exhibit:
    """The text of ``source`` as the page shows it, or the problem in words."""
    try:
        text, cut = read_text_for_display(source)
    except Exception as exc:  # noqa: BLE001 - shown as unreadable; the grade is in the evidence
        said = say(N_("cannot be shown"))
        return Exhibit(problem=f"{said.en} {said.zh} ({type(exc).__name__})")
    return Exhibit(text=text, truncated=cut)


def read_text_for_display(path: Path) -> tuple[str, bool]:
    """A candidate's text decoded as unit 8's reader does (``grader.read.service``), at most
    ``MAX_TEXT_BYTES`` of it. Returns (text, cut short)."""
    from grader.errors import ReadError
    from grader.read.service import decode_text, docx_text

    if path.suffix.lower() == ".docx":
        if path.stat().st_size > 16 * MAX_TEXT_BYTES:
            return "", True  # the reader refused it already; the page does not open it either
        text = docx_text(path.read_bytes())
        return text[:MAX_TEXT_CHARS], len(text) > MAX_TEXT_CHARS
    with path.open("rb") as handle:
        data = handle.read(MAX_TEXT_BYTES + 1)
    cut = len(data) > MAX_TEXT_BYTES
    if cut:  # end on a whole character: an even length for UTF-16, else the last line break
        data = data[:MAX_TEXT_BYTES - MAX_TEXT_BYTES % 2] if data.startswith((b"\xff\xfe", b"\xfe\xff")) \
            else data[:data.rfind(b"\n", 0, MAX_TEXT_BYTES) + 1 or MAX_TEXT_BYTES]
    try:
        text = decode_text(data).text
    except ReadError:
        text = data.decode("utf-8", errors="replace")
    return text[:MAX_TEXT_CHARS], cut or len(text) > MAX_TEXT_CHARS
