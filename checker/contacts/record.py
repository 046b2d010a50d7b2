"""``followup check --record``: log a checked message in the contact log once it passes."""
from __future__ import annotations

import datetime as dt
from typing import Any

from .dates import parse_date, short
from .db import add_event, connect

CHANNEL_OF = {"email": "email", "call": "call", "text": "text"}


def record_from_check(args: Any, report: Any, path: str) -> str:
    """Log the message just checked as a sent event; returns one line for stderr.

    ``args`` has ``.to``, ``.send_on``, ``.channel``, ``.db`` (and maybe ``.fail_on``);
    ``report`` is the ``checker.Report``.  Nothing is logged when the report fails.
    """
    fail_on = getattr(args, "fail_on", None) or "error"
    if report.fails(fail_on):
        return f"not logged: {path} did not pass the check"
    today = dt.date.today()
    when = parse_date(args.send_on, relative=True, today=today) if args.send_on else today
    channel = CHANNEL_OF.get(args.channel or "email", "email")
    kind = "follow_up" if channel == "call" else (report.kind if report.kind in
                                                  ("thank_you", "follow_up") else "other")
    announced = None
    call = (report.sections.get("frequency") or {}).get("announced_call")
    heads_up = ((report.sections.get("elements") or {}).get("call_heads_up") or {})
    if call and call.get("date"):
        announced = call["date"]
    elif heads_up.get("present"):
        announced = "yes"
    conn = connect(args.db)
    try:
        event = add_event(conn, args.to, when, channel, "sent", kind,
                          note=f"checked {path}", announced_call=announced)
    finally:
        conn.close()
    what = {"thank_you": "thank-you note", "follow_up": "follow-up"}.get(kind, "message")
    extra = ""
    if announced and announced != "yes":
        extra = f"; announced call around {short(dt.date.fromisoformat(announced), when)}"
    return (f"logged #{event.id}: {channel} {what} to {event.company} on "
            f"{short(event.day, today)}{extra} (undo: followup log rm {event.id})")
