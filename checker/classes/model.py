"""What class mode stores: classes, students and submissions (plain data), and its errors.

A ``Submission`` keeps the draft as the student sent it, the text its report's offsets refer
to (the same unless an HTML body was stripped) and the report JSON (``Report.to_dict()``);
``Submission.report()`` gives back the ``checker.report.Report``, so every page and export
renders a stored version exactly as it rendered when it was checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..report import META_KEYS, Finding, Fix, Report

#: Keys of ``Report.to_dict()`` that are not check sections.
_NOT_SECTIONS = META_KEYS


class ClassError(InputError):
    """A class-mode request that cannot be done; one line, with the HTTP status to answer."""

    code = "class.invalid"


class ClassClosed(ClassError):
    code = "class.closed"
    status = 403


class NameTaken(ClassError):
    code = "class.name_taken"
    status = 409


class LimitReached(ClassError):
    code = "class.limit"
    status = 409


class StoreError(ClassError):
    """The class database cannot be opened or used (damaged, foreign, newer, busy)."""

    code = "class.store"
    status = 500


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def local_date(moment: dt.datetime) -> dt.date:
    """The server's local calendar date of ``moment`` (due dates are local days)."""
    return moment.astimezone().date() if moment.tzinfo else moment.date()


@dataclass(frozen=True)
class ClassInfo:
    id: int
    title: str
    kind: str
    due: dt.date
    closed_at: str | None
    retention_days: int
    created_at: str
    has_password: bool
    students: int = 0
    submitters: int = 0
    submissions: int = 0

    def is_open(self, now: dt.datetime | None = None) -> bool:
        """Open for submissions: not closed by the facilitator and not past its due date
        (submissions are taken through the whole due day, server time)."""
        return self.closed_at is None and local_date(now or now_utc()) <= self.due

    def state(self, now: dt.datetime | None = None) -> str:
        if self.closed_at is not None:
            return "closed"
        return "open" if self.is_open(now) else "past due"

    @property
    def remove_on(self) -> dt.date:
        """The day retention removes the class and everything in it."""
        return self.due + dt.timedelta(days=self.retention_days + 1)

    def to_dict(self, now: dt.datetime | None = None) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "due": self.due.isoformat(),
            "state": self.state(now),
            "closed_at": self.closed_at,
            "retention_days": self.retention_days,
            "remove_on": self.remove_on.isoformat(),
            "created_at": self.created_at,
            "password": self.has_password,
            "students": self.students,
            "submitters": self.submitters,
            "submissions": self.submissions,
        }


@dataclass(frozen=True)
class Student:
    id: int
    class_id: int
    name: str
    email: str | None
    on_roster: bool
    claimed: bool
    created_at: str


@dataclass
class Submission:
    id: int
    class_id: int
    student_id: int
    student: str
    version: int
    draft: str
    text: str
    data: dict[str, Any]
    created_at: str
    facts: dict[str, Any] = field(default_factory=dict)

    def report(self) -> Report:
        return report_from_dict(self.data, self.text)


def report_from_dict(data: dict[str, Any], text: str) -> Report:
    """The ``Report`` whose ``to_dict()`` is ``data`` (``text`` is the checked text)."""
    findings = [
        Finding(
            f["rule"],
            f["category"],
            f["severity"],
            f["message"],
            f["start"],
            f["end"],
            f.get("suggestion") or "",
            Fix(**f["fix"]) if isinstance(f.get("fix"), dict) else None,
        )
        for f in data.get("findings") or []
    ]
    sections = {k: v for k, v in data.items() if k not in _NOT_SECTIONS}
    return Report(
        text=text,
        kind=data.get("kind") or "",
        findings=findings,
        sections=sections,
        notes=list(data.get("notes") or []),
        source=dict(data.get("source") or {}),
    )
