"""§1's misplaced rule, one for every deliverable: where a file lies against where it belongs.

A deliverable's file belongs in its home folder: the candidate's folder for a workbook or a unit's
folder, the unit's folder for an image or the mailbox, a folder inside it for a reply or a
template (``u8_service/replies/``). There it is at home. It is *misplaced* (found, graded and
flagged ``misplaced``) when it lies

- one folder too deep anywhere inside the unit's folder (``新建文件夹/u6_orders.xlsx``,
  ``u4_images/新建文件夹/HKB100.MAIN.jpg``, ``u8_service/replies/新建文件夹/reply_03.txt``,
  ``u8_service/新建文件夹/replies/reply_03.txt``);
- one folder up, still inside the candidate's folder (a reply in ``u8_service/`` beside
  ``replies/``; the mailbox or an image beside the unit's folder);
- in a sibling of its home inside the unit's folder (a reply saved in ``templates/``).

Anything further is not taken for the deliverable. A file at home is preferred to a misplaced one.
A unit's folder that is not there is still where its files belong: an image or the mailbox saved
in the candidate's folder is one folder up from it (the unit's reader says when nothing of it is
near, ``NothingFound``: the deliverable is missing).

>>> replies = Home(unit=("u8_service",), inside=(("replies", "回复"),))
>>> [replies.place(folders) for folders in [("u8_service", "Replies"), ("u8_service", "replies", "新建文件夹"),
...  ("u8_service",), ("u8_service", "templates"), ("u8_service", "a", "b"), ()]]
['home', 'misplaced', 'misplaced', 'misplaced', None, None]
>>> workbook = Home()
>>> [workbook.place(folders) for folders in [(), ("新建文件夹",), ("a", "b")]]
['home', 'misplaced', None]
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from grader.names import name_key

HOME = "home"
MISPLACED = "misplaced"


@dataclass(frozen=True)
class Home:
    """Where a deliverable's file belongs, by folder names under the candidate's folder."""

    unit: tuple[str, ...] = ()  # the unit's folder as found (empty: the candidate's folder itself)
    inside: tuple[tuple[str, ...], ...] = ()  # each folder level below it: the names accepted, the usual first
    key: Callable[[str], str] = field(default=name_key, compare=False)  # how two spellings of a name compare

    def place(self, folders: tuple[str, ...]) -> str | None:
        """``HOME``, ``MISPLACED`` or None for a file whose folders under the candidate's folder are
        ``folders`` (see the module)."""
        levels = [{self.key(n)} for n in self.unit] + [{self.key(n) for n in names} for names in self.inside]
        keys = [self.key(f) for f in folders]

        def fits(found: list[str], expected: list[set[str]]) -> bool:
            return len(found) == len(expected) and all(k in level for k, level in zip(found, expected))

        if fits(keys, levels):
            return HOME
        deeper = len(keys) == len(levels) + 1 and any(fits(keys[:i] + keys[i + 1:], levels)
                                                      for i in range(len(self.unit), len(keys)))
        up = bool(levels) and fits(keys, levels[:-1])
        sibling = bool(self.inside) and len(keys) == len(levels) and fits(keys[:-1], levels[:-1])
        return MISPLACED if deeper or up or sibling else None

    def where(self) -> str:
        """The home folder in words, for a flag's reason: ``u8_service/replies/``, or the candidate's folder."""
        names = [*self.unit, *(names[0] for names in self.inside)]
        return "/".join(names) + "/" if names else "the candidate's folder"


TOP = Home()  # the candidate's folder itself: where a workbook and a unit's folder belong
