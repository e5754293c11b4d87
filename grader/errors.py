"""The library's own errors. Only the CLI turns them into messages and exit codes."""


class GraderError(Exception):
    """Base class: something stops the whole run (never one candidate's problem)."""


class PaperError(GraderError):
    """The rubric or the answer key is missing or invalid."""


class DiscError(GraderError):
    """The disc does not exist, cannot be read, or holds no candidate."""


class OverridesError(GraderError):
    """The overrides file has a bad row."""


class ReadError(Exception):
    """A candidate's file could not be read; becomes an `unreadable-file` flag on that candidate."""
