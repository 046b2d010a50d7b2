"""A second round compared with the first: ``followup batch round2/ --compare round1.jsonl``.

``Baseline.read(path)`` loads the first round's reports (the JSONL ``followup batch`` writes:
one report JSON with its ``"id"`` a line) by student id, keeping only what a comparison needs.
``change(before, after)`` is one student's change: the findings fixed and the new ones
(``checker.classes.compare``: same rule and words), the elements added or lost, the verdict
before and after.  ``ClassChange`` folds every student's change into the class's before and
after (verdicts, errors, missing elements), for the report's chart.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..classes.compare import changes
from ..report import ELEMENTS, VERDICT_RANK
from .summary import facts


class BaselineError(ValueError):
    """The first round's file cannot be used; one line."""


def _slim(data: dict[str, Any]) -> dict[str, Any]:
    f = facts(data)
    return {
        "send_verdict": f["send_verdict"],
        "errors": f["errors"],
        "warnings": f["warnings"],
        "missing": f["missing"],
        "known": [e.key for e in ELEMENTS if f[e.key] is not None],
        "findings": [
            {k: x.get(k) for k in ("rule", "severity", "message", "text", "start")}
            for x in data.get("findings") or []
            if isinstance(x, dict) and "rule" in x
        ],
    }


@dataclass
class Baseline:
    """The first round's reports by student id (``str(id)``)."""

    source: str
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)
    unreadable: int = 0

    @classmethod
    def read(cls, path: str) -> Baseline:
        """Read a ``followup batch --format jsonl`` file.  Raises ``BaselineError``."""
        try:
            fh = open(path, "rb")
        except OSError as exc:
            raise BaselineError(f"--compare {path}: cannot read: {exc.strerror or exc}") from None
        with fh:
            return cls.parse(fh, path)

    @classmethod
    def parse(cls, lines, source: str) -> Baseline:
        base = cls(source)
        seen = 0
        for n, raw in enumerate(lines, 1):
            if isinstance(raw, bytes):
                raw = raw.decode("utf-8-sig" if n == 1 else "utf-8", errors="replace")
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError:
                raise BaselineError(
                    f"--compare {source}: line {n} is not JSON; give the JSONL "
                    f"file `followup batch --format jsonl` wrote"
                ) from None
            if not isinstance(obj, dict) or "id" not in obj:
                raise BaselineError(
                    f"--compare {source}: line {n} has no \"id\"; give the JSONL "
                    f"file `followup batch --format jsonl` wrote"
                )
            seen += 1
            if "findings" not in obj:  # an unreadable input of that round
                base.unreadable += 1
                continue
            base.reports[str(obj["id"])] = _slim(obj)
        if not seen:
            raise BaselineError(f"--compare {source}: no reports in it")
        return base

    def get(self, ident: Any) -> dict[str, Any] | None:
        return self.reports.get(str(ident))


@dataclass
class Change:
    """One student's change since the first round."""

    before: str | None  # the send verdict then (None: not in the first round)
    after: str | None
    fixed: list[dict[str, Any]] = field(default_factory=list)
    added: list[dict[str, Any]] = field(default_factory=list)
    elements_added: list[str] = field(default_factory=list)
    elements_lost: list[str] = field(default_factory=list)
    errors_before: int = 0
    errors_after: int = 0

    @property
    def new(self) -> bool:
        return self.before is None

    @property
    def direction(self) -> int:
        """+1 better (a milder verdict, or as mild with fewer errors and warnings), -1 worse,
        0 the same."""
        if self.before is None or self.after is None:
            return 0
        a, b = VERDICT_RANK.get(self.after, 0), VERDICT_RANK.get(self.before, 0)
        if a != b:
            return 1 if a < b else -1
        fixed, added = len(self.fixed), len(self.added)
        return (fixed > added) - (added > fixed)

    def summary(self) -> str:
        """``3 fixed, 1 new problem, offer of more information added`` (or ``new this round``)."""
        if self.new:
            return "new this round"
        labels = {e.key: e.short for e in ELEMENTS}
        parts = [
            f"{len(self.fixed)} fixed",
            f"{len(self.added)} new problem" + ("" if len(self.added) == 1 else "s"),
        ]
        if self.elements_added:
            parts.append(", ".join(labels[k] for k in self.elements_added) + " added")
        if self.elements_lost:
            parts.append(", ".join(labels[k] for k in self.elements_lost) + " now missing")
        return ", ".join(parts)


def change(before: dict[str, Any] | None, after_data: dict[str, Any]) -> Change:
    """The change from a first-round report (``Baseline.get``: slim) to this round's JSON."""
    after = _slim(after_data)
    if before is None:
        return Change(None, after["send_verdict"], errors_after=after["errors"])
    ch = changes(before, after)
    known = set(before["known"]) & set(after["known"])
    return Change(
        before["send_verdict"],
        after["send_verdict"],
        fixed=ch.fixed,
        added=ch.added,
        elements_added=[k for k in before["missing"] if k in known and k not in after["missing"]],
        elements_lost=[k for k in after["missing"] if k in known and k not in before["missing"]],
        errors_before=before["errors"],
        errors_after=after["errors"],
    )


def student_change(
    baseline: Baseline | None, result
) -> tuple[dict[str, Any] | None, Change | None]:
    """``(before, change)``: a student's first-round report (``Baseline.get``) and the change
    since; ``(None, None)`` without a baseline or for an unreadable input."""
    if baseline is None or not result.ok:
        return None, None
    before = baseline.get(result.id)
    return before, change(before, result.data())


@dataclass
class ClassChange:
    """The class before and after, over the students in both rounds."""

    students: int = 0
    new: int = 0
    better: int = 0
    worse: int = 0
    before: Counter = field(default_factory=Counter)  # send verdict -> students
    after: Counter = field(default_factory=Counter)
    missing_before: Counter = field(default_factory=Counter)
    missing_after: Counter = field(default_factory=Counter)
    errors_before: int = 0
    errors_after: int = 0
    fixed: int = 0
    added: int = 0

    def add(self, ch: Change, before: dict[str, Any] | None, after_data: dict[str, Any]) -> None:
        if ch.new:
            self.new += 1
            return
        self.students += 1
        self.before[ch.before] += 1
        self.after[ch.after] += 1
        self.better += ch.direction > 0
        self.worse += ch.direction < 0
        self.errors_before += ch.errors_before
        self.errors_after += ch.errors_after
        self.fixed += len(ch.fixed)
        self.added += len(ch.added)
        for key in before["missing"] if before else []:
            self.missing_before[key] += 1
        for key in facts(after_data)["missing"]:
            self.missing_after[key] += 1
