"""The service folder as read (unit 8): the mailbox workbook and each reply and template text,
and the key's buyer mails.

``grader.read.service`` makes ``ServiceFolder`` from a candidate's folder and ``Email`` from a
key's ``.eml`` file (when the paper loads); checks read both.

>>> folder = ServiceFolder("u8_service", None, replies={"reply_01": TextFile("reply_01", text="Dear Emily,")})
>>> folder.text("reply_01").read, folder.text("return").problem
(True, 'not a slot')
"""
from __future__ import annotations

from dataclasses import dataclass, field

from grader.model import Exhibit
from grader.records.tables import Workbook


@dataclass(frozen=True)
class TextFile:
    """One reply or template as read: ``problem`` says why there is no text ("" when read)."""

    slot: str
    file: str = ""  # relative to the candidate folder; "" when missing
    expected: str = ""  # where the rubric expects it ("u8_service/replies/reply_01.txt")
    text: str = ""
    encoding: str = ""
    guessed: bool = False
    problem: str = ""

    @property
    def read(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class ServiceFolder:
    folder: str  # relative to the candidate folder
    mailbox: Workbook | None
    mailbox_file: str = ""
    mailbox_problem: str = ""  # "" when read
    replies: dict[str, TextFile] = field(default_factory=dict)
    templates: dict[str, TextFile] = field(default_factory=dict)

    def text(self, slot: str) -> TextFile:
        return self.replies.get(slot) or self.templates.get(slot) or TextFile(slot, problem="not a slot")

    def exhibits(self) -> dict[str, Exhibit]:
        """Each reply and template as decoded, by its path in the candidate folder, for its page."""
        return {item.file: Exhibit(text=item.text) for item in {**self.replies, **self.templates}.values()
                if item.read and item.file}

    def fingerprints(self) -> dict[str, str]:
        """The candidate's own writing, for the similarity stage: each reply and template."""
        return {f"text:{slot}": item.text for slot, item in {**self.replies, **self.templates}.items()
                if item.read and item.text.strip()}


@dataclass(frozen=True)
class Email:
    """A materials email: who wrote it and what it says (subject and plain-text body)."""

    buyer_name: str
    address: str
    subject: str
    body: str
