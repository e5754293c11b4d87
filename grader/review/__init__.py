"""Examiner review: from flagged results to a signed, final class.

- ``log``: the append-only review log in the out folder (``review-log.jsonl``), each row a
  decision with who, when, what and why, chained by sha256;
- ``decisions``: the log as it applies to one disc and paper (points, ``reviewed`` status);
- ``actions``: confirm, override and sign off, each logged and regraded from the cache at once;
- ``sheet``: the ``decisions`` sheet of summary.xlsx.

Statuses (the paper's §3): a candidate with a flag no examiner has decided needs review; when
every flag is decided (by a confirm or an override) the candidate is ``reviewed``, the flags kept
with their decisions. The class is final once signed off, which is refused while anyone needs
review (an unreadable candidate needs a decision too); a decision after the sign-off reopens it.
"""
