"""The contact log as the shells use it: log a message you sent, judge one you plan to send.

``record_sent`` is the one way a sent message enters the log (``followup check --record``,
``followup log add``, the web page's "I sent it today"); ``judge`` is the one way a planned
message or call is judged against the log (the frequency check, ``followup log add``'s
notes).  Both take plain values and return plain data; the CLI and the web word the result
themselves.  Errors a user can cause are ``ContactLogError`` (one line); a bad channel for
``judge`` is a ``ValueError`` from the policy.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..kinds import KINDS
from .dates import parse_date
from .db import add_event, connect, get_employer, list_events
from .model import CALL_CHANNELS, ContactLogError, Employer, Event, NoDatabase
from .policy import Verdict, evaluate, load_policy

if TYPE_CHECKING:
    from ..report import Report

#: How a message that is not a thank-you note or a follow-up is logged.
OTHER = "other"


@dataclass(frozen=True)
class Recorded:
    """A logged message: the stored ``event`` and the call it announced (an ISO date, "yes"
    when it announced a call without a date, or None)."""

    event: Event
    announced_call: str | None


@dataclass
class Judgement:
    """A planned contact judged against the log: the policy's ``verdict``, and what it was
    judged on (the employer as logged, their logged events, the policy values)."""

    verdict: Verdict
    company: str  # the employer's name as logged, else as given
    employer: Employer | None
    events: list[Event] = field(default_factory=list)
    policy: dict[str, Any] = field(default_factory=dict)


def announced_by(report: Report) -> str | None:
    """What a checked message announces about a call, as the log stores it: the date the
    frequency check read from the heads-up, else "yes" when the note has a heads-up at all,
    else None."""
    call = (report.frequency or {}).get("announced_call")
    if call and call.get("date"):
        return call["date"]
    heads_up = (report.elements or {}).get("call_heads_up") or {}
    return "yes" if heads_up.get("present") else None


def logged_kind(kind: str | None, channel: str = "email") -> str:
    """The event kind a sent message is logged as: a call is always a follow-up; a message
    kind (``checker.kinds.KINDS``) as it is; anything else ``other``."""
    if channel in CALL_CHANNELS:
        return "follow_up"
    return kind if kind in KINDS else OTHER


def parse_announced(value: Any) -> str | None:
    """An announced call as the log stores it: None (nothing announced: None or ""), "yes",
    or an ISO date (from a date or "YYYY-MM-DD").  Raises ``ContactLogError``."""
    if value in (None, ""):
        return None
    if value == "yes":
        return "yes"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ContactLogError("announced_call must be a date (YYYY-MM-DD) or yes") from None


@dataclass(frozen=True)
class Entry:
    """A contact as a person typed it, checked: what ``db.add_event`` / ``db.update_event``
    take."""

    company: str
    when: dt.date | dt.datetime
    channel: str
    direction: str
    kind: str
    note: str
    announced_call: str | None

    def event_args(self) -> tuple[str, dt.date | dt.datetime, str, str, str, str, str | None]:
        """The fields in the order ``db.add_event`` and ``db.update_event`` take them."""
        return (
            self.company,
            self.when,
            self.channel,
            self.direction,
            self.kind,
            self.note,
            self.announced_call,
        )


def parse_entry(
    company: str,
    date: str | dt.date | None,
    channel: str,
    direction: str,
    kind: str,
    note: str = "",
    announced_call: Any = None,
    *,
    date_format: str | None = None,
    today: dt.date | None = None,
) -> Entry:
    """Check a contact the way ``followup log add`` does, for every shell (the CLI, the log
    page's add and edit forms): the date as a person writes it ("2026-11-24", "24 Nov 2026",
    "yesterday"; default today), the channel, direction and kind from the log's lists, the
    note's length, an announced call ("yes" or a date).  Raises ``ContactLogError`` whose
    message starts with the field ("date: ...")."""
    from .dates import DateError
    from .db import MAX_NOTE, validate_event

    today = today or dt.date.today()
    company = " ".join(str(company or "").split())
    if not company:
        raise ContactLogError("company: enter the employer's name")
    if len(company) > 200:
        raise ContactLogError(f"company: at most 200 characters ({len(company)} given)")
    try:
        when = parse_date(
            date if date not in (None, "") else today,
            relative=True,
            today=today,
            date_format=date_format,
        )
    except DateError as exc:
        raise ContactLogError(f"date: {exc}") from None
    validate_event(channel, direction, kind)
    note = note or ""
    if len(note) > MAX_NOTE:
        raise ContactLogError(f"note: at most {MAX_NOTE:,} characters ({len(note):,} given)")
    announced = None
    if announced_call not in (None, ""):
        if announced_call == "yes":
            announced = "yes"
        else:
            try:
                day = parse_date(
                    announced_call, relative=True, today=today, date_format=date_format
                )
            except DateError as exc:
                raise ContactLogError(f"announced call: {exc}") from None
            announced = (day.date() if isinstance(day, dt.datetime) else day).isoformat()
    return Entry(company, when, channel, direction, kind, note, announced)


def record_sent(
    company: str,
    *,
    report: Report | None = None,
    kind: str | None = None,
    when: dt.date | dt.datetime | str | None = None,
    channel: str = "email",
    announced_call: Any = None,
    note: str = "",
    date_format: str | None = None,
    today: dt.date | None = None,
    db: str | os.PathLike[str] | None = None,
    conn: sqlite3.Connection | None = None,
) -> Recorded:
    """Log a message sent to ``company`` as a ``sent`` event; returns it and its announced call.

    ``kind`` is the event kind; without it, the kind of the checked ``report`` (a call is a
    follow-up; see ``logged_kind``).  ``announced_call`` (a date, an ISO date, or "yes")
    defaults to what the ``report``'s draft announces.  ``when`` is a date, a datetime or a
    date as a user writes it ("2026-11-24", "tomorrow"; ``date_format`` for ambiguous ones);
    default ``today``.  Writes through ``conn`` when given, else opens ``db`` (created
    if missing).  Raises ``ContactLogError`` (one line) for a bad date, kind or log file.
    """
    today = today or dt.date.today()
    if when is None or when == "":
        when = today
    elif isinstance(when, str):
        when = parse_date(when, relative=True, today=today, date_format=date_format)
    if kind is None:
        kind = logged_kind(report.kind if report is not None else None, channel)
    if announced_call not in (None, ""):
        announced = parse_announced(announced_call)
    else:
        announced = announced_by(report) if report is not None else None
    link = connect(db) if conn is None else conn
    try:
        event = add_event(link, company, when, channel, "sent", kind, note, announced)
    finally:
        if conn is None:
            link.close()
    return Recorded(event=event, announced_call=announced)


def log_entry(conn: sqlite3.Connection, entry: Entry) -> Event:
    """Log a checked ``entry`` (``parse_entry``): a sent message through ``record_sent``, so
    it is logged as any shell logs a sent message; anything else as it was typed."""
    if entry.direction == "sent":
        return record_sent(
            entry.company,
            kind=entry.kind,
            when=entry.when,
            channel=entry.channel,
            announced_call=entry.announced_call,
            note=entry.note,
            conn=conn,
        ).event
    return add_event(conn, *entry.event_args())


def judge(
    company: str,
    *,
    send_on: dt.date | dt.datetime | None = None,
    channel: str = "email",
    kind: str = "follow_up",
    config: Any = None,
    policy: dict[str, Any] | None = None,
    db: str | os.PathLike[str] | None = None,
    conn: sqlite3.Connection | None = None,
) -> Judgement:
    """Judge a planned message or call (``kind`` thank_you / follow_up over ``channel``
    email / call / text, on ``send_on``, default today) to ``company`` against the log.

    Reads through ``conn`` when given, else opens ``db`` without creating it (no log
    yet: judged on no history).  ``policy`` is the cadence policy (``load_policy``); without
    it, the packaged one with ``config``'s ``[cadence]`` overrides.  Raises
    ``ContactLogError`` for an unreadable log, ``ValueError`` for a bad channel.
    """
    policy = policy if policy is not None else load_policy(config)
    employer, events = None, []
    own = conn is None
    if own:
        try:
            conn = connect(db, create=False)
        except NoDatabase:
            conn = None
    if conn is not None:
        try:
            employer = get_employer(conn, company)
            events = list_events(conn, company) if employer else []
        finally:
            if own:
                conn.close()
    name = employer.company if employer else " ".join(str(company).split())
    verdict = evaluate(
        events,
        send_on=send_on or dt.date.today(),
        channel=channel,
        kind=kind,
        employer=employer,
        company=name,
        policy=policy,
    )
    return Judgement(verdict=verdict, company=name, employer=employer, events=events, policy=policy)


@dataclass(frozen=True)
class Addressee:
    """What the contact log knows about the employer a note goes to, for the proofread
    check: the employer as logged (None when unknown) and the other logged employers."""

    employer: Employer | None
    others: tuple[Employer, ...] = ()


def addressee(
    company: str,
    *,
    db: str | os.PathLike[str] | None = None,
    conn: sqlite3.Connection | None = None,
) -> Addressee:
    """The logged employer ``company`` and every other employer in the log.  Reads through
    ``conn`` when given, else opens ``db`` without creating it (no log: nothing known).
    Raises ``ContactLogError`` for an unreadable log."""
    from .db import list_employers
    from .model import company_key

    own = conn is None
    if conn is None:
        try:
            conn = connect(db, create=False)
        except NoDatabase:
            return Addressee(None)
    try:
        employers = list_employers(conn)
    finally:
        if own:
            conn.close()
    key = company_key(company)
    mine = next((e for e in employers if company_key(e.company) == key), None)
    return Addressee(mine, tuple(e for e in employers if e is not mine))
