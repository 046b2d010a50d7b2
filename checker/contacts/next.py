"""Per-employer questions over an open connection: the next step, and a planned contact."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from .db import get_employer, list_events
from .policy import NextStep, Verdict, load_policy, plan
from .service import judge


def next_step(
    conn: sqlite3.Connection, company: str, today: dt.date | None = None, config: Any = None
) -> NextStep:
    """The next appropriate step with ``company`` and the earliest date for it."""
    employer = get_employer(conn, company)
    name = employer.company if employer else " ".join(company.split())
    return plan(
        list_events(conn, company),
        today=today or dt.date.today(),
        employer=employer,
        company=name,
        policy=load_policy(config),
    )


def check_contact(
    conn: sqlite3.Connection,
    company: str,
    *,
    send_on: dt.date | None = None,
    channel: str = "email",
    kind: str = "follow_up",
    config: Any = None,
) -> Verdict:
    """Judge a planned message or call to ``company`` on ``send_on`` (default today): the
    verdict of ``service.judge`` (kept as a name of the public API)."""
    return judge(
        company, send_on=send_on, channel=channel, kind=kind, config=config, conn=conn
    ).verdict
