"""When a call heads-up says the call will come: "next week", "on the 14th", "every day".

One table (``calltime.toml``) serves the elements check, which reports the announced
time with its span, and the contact-frequency check, which turns it into a date after the
send date and compares it with the cadence policy.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from .rules import load_toml

DAYNAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class CallTime:
    text: str  # the time expression(s) found, joined by ", "
    start: int  # span of the searched text from the first expression to the end of
    end: int  # the last, so it covers every one ``text`` names
    label: str  # "next week", "tomorrow", "repeatedly", "on {weekday}" ...
    days: int  # typical days after sending (weekday / day-of-month: resolved later)
    repeat: bool  # more than one call
    weekday: int | None = None
    day_of_month: int | None = None
    # "next Friday": either the coming Friday or the one after.  The later reading is taken
    # (a warning that the call is too soon must hold on both readings), and reports say so.
    next_weekday: bool = False

    def days_after(self, send_on: dt.date) -> int | None:
        """Days from ``send_on`` to the call; None for an impossible day of the month."""
        if self.weekday is not None:
            days = (self.weekday - send_on.weekday()) % 7 or 7
            return days + 7 if self.next_weekday else days
        if self.day_of_month is not None:
            date = next_day_of_month(send_on, self.day_of_month)
            return (date - send_on).days if date else None
        return self.days

    def to_dict(self) -> dict[str, Any]:
        out = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "days": self.days,
            "repeat": self.repeat,
        }
        if self.weekday is not None:
            out["weekday"] = DAYNAMES[self.weekday]
        if self.day_of_month is not None:
            out["day_of_month"] = self.day_of_month
        if self.next_weekday:
            out["next_weekday"] = True
        return out


@functools.lru_cache(maxsize=1)
def _table() -> tuple[tuple[re.Pattern[str], dict[str, Any]], ...]:
    data = load_toml("calltime.toml")["call_time"]
    return tuple((re.compile(p["re"], re.IGNORECASE), p) for p in data["patterns"])


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def read(
    text: str, start: int = 0, end: int | None = None, patterns: list[dict[str, Any]] | None = None
) -> CallTime | None:
    """The call time announced in ``text[start:end]`` (offsets stay those of ``text``).

    Two different time expressions joined by "and" / "again" / "then" ("tomorrow and again
    next week"), or a repeating one ("every day"), mean more than one call.
    """
    end = len(text) if end is None else end
    low = text.replace("\u2019", "'")
    table = (
        _table()
        if patterns is None
        else tuple((re.compile(p["re"], re.IGNORECASE), p) for p in patterns)
    )
    found: list[tuple[re.Match[str], dict[str, Any]]] = []
    for rx, spec in table:
        for m in rx.finditer(low, start, end):
            if not any(m.start() < f.end() and f.start() < m.end() for f, _ in found):
                found.append((m, spec))
    if not found:
        return None
    found.sort(key=lambda f: f[0].start())
    m, spec = next(((m, s) for m, s in found if s.get("repeat")), found[0])
    joiners = load_toml("calltime.toml")["call_time"]["repeat_joiners"]
    repeat = bool(spec.get("repeat")) or any(
        a.group(0) != b.group(0) and re.search(joiners, low[a.end() : b.start()])
        for (a, _), (b, _) in zip(found, found[1:])
    )
    label = spec.get("label", m.group(0))
    weekday = day = None
    next_weekday = False
    if spec.get("weekday"):
        weekday = DAYNAMES.index(m.group(0).lower())
        next_weekday = bool(
            re.search(r"\bnext\s+$", low[max(0, m.start() - 8) : m.start()], re.IGNORECASE)
        )
        label = (
            f"next {m.group(0).capitalize()}"
            if next_weekday
            else label.format(weekday=m.group(0).capitalize())
        )
    elif spec.get("day_of_month"):
        day = int(next(g for g in m.groups() if g))
        label = label.format(day=ordinal(day))
    return CallTime(
        text=", ".join(text[f.start() : f.end()] for f, _ in found),
        start=found[0][0].start(),
        end=max(f.end() for f, _ in found),
        label=label,
        days=int(spec["days"]),
        repeat=repeat,
        weekday=weekday,
        day_of_month=day,
        next_weekday=next_weekday,
    )


def next_day_of_month(after: dt.date, n: int) -> dt.date | None:
    """The first date after ``after`` that falls on day ``n`` of a month."""
    if not 1 <= n <= 31:
        return None
    y, mth = after.year, after.month
    for _ in range(13):
        try:
            d = dt.date(y, mth, n)
            if d > after:
                return d
        except ValueError:
            pass
        y, mth = (y + 1, 1) if mth == 12 else (y, mth + 1)
    return None
