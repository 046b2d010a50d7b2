"""Class mode: a facilitator creates a class, students submit drafts by link, see their
feedback at once and revise; the facilitator watches one dashboard and exports the results.

* ``checker.classes.db``: the SQLite store (``classes.db`` beside the contact log): classes,
  students, every submitted version with its report, and the per-link rate counters.
* ``checker.classes.tokens``: link tokens and student keys (128+ random bits, stored as
  SHA-256, compared in constant time) and the facilitator password (scrypt).
* ``checker.classes.roster``: the roster CSV.
* ``checker.classes.compare``: findings fixed and added between two versions.
* ``checker.classes.exports``: JSONL, the gradebook CSV, the HTML report (the batch
  review's writers) and per-student handouts.

The store never checks drafts itself: a shell checks (``checker.check``) and stores the
``Report``.  See ``docs/class-mode.md``.
"""

from __future__ import annotations

from .model import (
    ClassClosed,
    ClassError,
    ClassInfo,
    LimitReached,
    NameTaken,
    StoreError,
    Student,
    Submission,
    report_from_dict,
)

__all__ = [
    "ClassClosed",
    "ClassError",
    "ClassInfo",
    "LimitReached",
    "NameTaken",
    "StoreError",
    "Student",
    "Submission",
    "report_from_dict",
]
