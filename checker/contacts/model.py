"""Plain data of the contact log: employers and events (no SQL here; see ``db.py``)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import InputError

STYLES = ("traditional", "modern", "unknown")
CHANNELS = ("email", "call", "voicemail", "text", "letter", "linkedin", "in_person")
DIRECTIONS = ("sent", "received")
# Kinds of a logged event, as stored.  Not ``checker.kinds.KINDS`` plus two: the schema's CHECK
# constraint is built from this list (``db.MIGRATIONS``), so a new message kind needs a new
# migration step, not only a new entry in ``checker.kinds``.
KINDS = ("interview", "thank_you", "follow_up", "other")
#: How stored values are shown to people (the CLI and the web page never show "in_person").
CHANNEL_LABELS = {
    "email": "email",
    "call": "call",
    "voicemail": "voicemail",
    "text": "text message",
    "letter": "letter",
    "linkedin": "LinkedIn message",
    "in_person": "in person",
}
KIND_LABELS = {
    "interview": "interview",
    "thank_you": "thank-you note",
    "follow_up": "follow-up",
    "other": "other",
}
DIRECTION_LABELS = {"sent": "sent", "received": "received"}
# Channels that are a phone call (a voicemail is a call nobody answered).
CALL_CHANNELS = ("call", "voicemail")


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # C0, DEL and C1: what a terminal obeys
_JSON_UNESCAPED = re.compile("[\x7f-\x9f]")  # what json.dumps leaves as it is


def visible(text: str, keep: str = "") -> str:
    """``text`` safe to print on a terminal: each control character (C0, DEL, C1) but those in
    ``keep`` is written as its escape, ``\\x1b``, so a note holding an escape sequence cannot
    retitle, clear or recolour the terminal."""
    return _CONTROL.sub(
        lambda m: m.group() if m.group() in keep else f"\\x{ord(m.group()):02x}", text
    )


def json_visible(text: str) -> str:
    """JSON text (``json.dumps(..., ensure_ascii=False)``) with DEL and C1 written as
    ``\\u00XX`` escapes too (json escapes C0 itself): the same data, safe on a terminal.  Such
    characters only occur inside strings, where the escape means the same character."""
    return _JSON_UNESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class ContactLogError(ValueError):
    """A contact-log problem the user can fix; ``str(exc)`` is one line."""


class StorageFault(ContactLogError, InputError):
    """The log's file cannot be used: ``fault`` says why ("busy", "read-only", "cannot-open", "full", "io",
    "damaged", "newer", "foreign", "other"; see ``db.storage_error``).  Nothing was
    written.  Also a ``checker.errors.InputError``, so every shell words it as one line
    wherever it surfaces (``check --record``, ``next``, the web's check page): exit 2, or
    ``status``."""

    code = "contacts.storage"
    fault = "other"

    def __init__(self, message: str, fault: str | None = None):
        super().__init__(message)
        if fault:
            self.fault = fault

    @property
    def status(self) -> int:
        """The HTTP status of the JSON API when a check meets it (``InputError.status``): 503
        while busy (try again), else 400 as for any log the check cannot read.  The log's own
        pages answer 500 / 503 (``checker.web.log``)."""
        return 503 if self.fault == "busy" else 400


class NoDatabase(ContactLogError):
    """The contact log does not exist yet (only raised when ``create=False``)."""


def company_key(company: str) -> str:
    """How company names are matched: case-insensitive, spaces collapsed."""
    return " ".join(company.split()).casefold()


def day_of(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def iso(value: dt.date | dt.datetime) -> str:
    """Storage form: ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS]`` (sorts as text)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0).isoformat(
            timespec="seconds" if value.second else "minutes"
        )
    return value.isoformat()


def from_iso(text: str) -> dt.date | dt.datetime:
    return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)


@dataclass(frozen=True)
class Employer:
    id: int
    company: str
    person: str | None = None
    email: str | None = None
    phone: str | None = None
    style: str = "unknown"
    decision_date: dt.date | None = None
    role: str | None = None  # the role interviewed for (schema 3)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["decision_date"] = self.decision_date.isoformat() if self.decision_date else None
        return d


@dataclass(frozen=True)
class Event:
    """One contact.  ``when`` is a date or a datetime; ``day`` is always a date."""

    id: int
    company: str
    when: dt.date | dt.datetime
    channel: str
    direction: str
    kind: str
    note: str = ""
    announced_call: str | None = None  # ISO date of a call the message announced, or "yes"
    employer_id: int = 0
    created_at: str = field(default="", compare=False)

    @property
    def day(self) -> dt.date:
        return day_of(self.when)

    @property
    def is_call(self) -> bool:
        return self.channel in CALL_CHANNELS

    @property
    def sent(self) -> bool:
        return self.direction == "sent"

    def describe(self) -> str:
        """``received interview (in person)``, ``sent thank-you note (email)``: the event in
        words, as the CLI and the web page say it."""
        return (
            f"{DIRECTION_LABELS[self.direction]} {KIND_LABELS[self.kind]} "
            f"({CHANNEL_LABELS[self.channel]})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": iso(self.when),
            "company": self.company,
            "channel": self.channel,
            "direction": self.direction,
            "kind": self.kind,
            "note": self.note,
            "announced_call": self.announced_call,
        }
