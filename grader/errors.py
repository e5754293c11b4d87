"""The library's own errors. Only the CLI turns them into messages and exit codes."""


class GraderError(Exception):
    """Base class: something stops the whole run (never one candidate's problem)."""


class PaperError(GraderError):
    """The rubric or the answer key is missing or invalid."""


class DiscError(GraderError):
    """The disc does not exist, cannot be read, or holds no candidate."""


class NothingReadError(DiscError):
    """No present candidate has a single deliverable read: the wrong disc, or one burned without long
    file names. Raised after every result is written; ``run`` is what was written."""

    def __init__(self, message: str, run: object) -> None:
        super().__init__(message)
        self.run = run


class OutputError(GraderError):
    """The reports folder cannot be used: not writable, full, locked by another run, or holding
    another disc's results."""


class OverridesError(GraderError):
    """The overrides file has a bad row."""


class ReadError(Exception):
    """A candidate's file could not be read; becomes an `unreadable-file` flag on that candidate."""


def describe(exc: BaseException, path: object = None) -> str:
    """An exception as one line for a flag: its type and first line, with the file's full path
    replaced by its name (results must not depend on where the disc was mounted)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if path is not None:
        full = str(path)
        text = text.replace(full, full.rsplit("/", 1)[-1])
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class ReviewError(GraderError):
    """A review decision cannot be made or recorded: an unknown candidate or criterion, points out
    of range, a damaged review log, or a sign-off while a candidate still needs review."""
