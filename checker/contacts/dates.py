"""Dates of the contact log: strict parsing, short display, business days.

Accepted without a format: ISO (``2026-11-24``, ``2026-11-24T14:30``, ``2026-11-24 14:30``,
``2026/11/24``), month names (``24 Nov 2026``, ``Nov 24, 2026``, ``Tuesday 24 November
2026``) and numeric day/month forms that can only mean one date (``24/11/2026``,
``11/24/2026``, ``5.5.2026``).  ``03/04/2026`` could be 3 April or March 4 and is rejected
unless a ``date_format`` (strptime, e.g. ``%d/%m/%Y``) is given.  With ``relative=True``
(command lines) ``today``, ``yesterday`` and ``tomorrow`` work too.
"""

from __future__ import annotations

import datetime as dt
import re

from ..calltime import ordinal  # noqa: F401  (re-exported)
from .model import ContactLogError


class DateError(ContactLogError):
    """A date that cannot be read; the message says why and what to write instead."""


_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for m in names
}
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = r"(?:[ T,]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ap>[ap]\.?m\.?)?)?"
_ISO = re.compile(r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})" + _TIME + r"$", re.I)
_DMY_NAME = re.compile(
    _WEEKDAY + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<mon>[a-z]+)\.?,?\s+"
    r"(?P<y>\d{4})" + _TIME + r"$",
    re.I,
)
_MDY_NAME = re.compile(
    _WEEKDAY + r"(?P<mon>[a-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+"
    r"(?P<y>\d{4})" + _TIME + r"$",
    re.I,
)
_NUMERIC = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{2,4})" + _TIME + r"$", re.I
)


MIN_YEAR, MAX_YEAR = 1900, 2199


def _check_year(year: int, raw: str = "") -> None:
    """Years outside MIN_YEAR..MAX_YEAR are typos (and would overflow date arithmetic)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(
            f"year {year} is out of range ({MIN_YEAR}-{MAX_YEAR})" + (f": {raw!r}" if raw else "")
        )


def check_range(value: dt.date | dt.datetime, raw: str = "") -> dt.date | dt.datetime:
    _check_year(value.year, raw)
    return value


def _build(y: int, m: int, d: int, match: re.Match[str], raw: str) -> dt.date | dt.datetime:
    _check_year(y, raw)
    try:
        day = dt.date(y, m, d)
    except ValueError:
        raise DateError(f"no such date: {raw!r}") from None
    if match.group("h") is None:
        return day
    h, mi, s = int(match.group("h")), int(match.group("mi")), int(match.group("s") or 0)
    ap = (match.group("ap") or "").lower().replace(".", "")
    if ap:
        if not 1 <= h <= 12:
            raise DateError(f"no such time: {raw!r}")
        h = h % 12 + (12 if ap == "pm" else 0)
    try:
        return dt.datetime(y, m, d, h, mi, s)
    except ValueError:
        raise DateError(f"no such time: {raw!r}") from None


def parse_date(
    text: str | dt.date,
    *,
    date_format: str | None = None,
    relative: bool = False,
    today: dt.date | None = None,
) -> dt.date | dt.datetime:
    """A date or datetime from ``text``; raises ``DateError`` (one line) otherwise."""
    if isinstance(text, (dt.date, dt.datetime)):
        return check_range(text)
    raw = " ".join(str(text).split())
    if not raw:
        raise DateError("empty date")
    if date_format:
        try:
            value = dt.datetime.strptime(raw, date_format)
        except ValueError:
            raise DateError(f"{raw!r} does not match the date format {date_format!r}") from None
        has_time = any(c in date_format for c in ("%H", "%I", "%M", "%S", "%X", "%c"))
        return check_range(value if has_time else value.date(), raw)
    low = raw.lower()
    if relative and low in ("today", "yesterday", "tomorrow"):
        base = today or dt.date.today()
        return base + dt.timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[low])
    m = _ISO.match(raw)
    if m:
        return _build(int(m["y"]), int(m["m"]), int(m["d"]), m, raw)
    for pattern in (_DMY_NAME, _MDY_NAME):
        m = pattern.match(raw)
        if m and m["mon"].lower() in _MONTHS:
            return _build(int(m["y"]), _MONTHS[m["mon"].lower()], int(m["d"]), m, raw)
    m = _NUMERIC.match(raw)
    if m:
        if len(m["y"]) != 4:
            raise DateError(
                f"two-digit year in {raw!r}; write the year in full, e.g. "
                f"{m['a']}{m['sep']}{m['b']}{m['sep']}20{m['y'][-2:]}"
            )
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        if a > 12 and b <= 12:
            return _build(y, b, a, m, raw)  # day first
        if b > 12 and a <= 12:
            return _build(y, a, b, m, raw)  # month first
        if a == b:
            return _build(y, a, b, m, raw)
        if a > 12 and b > 12:
            raise DateError(f"no such date: {raw!r}")
        raise DateError(
            f"ambiguous date {raw!r} ({_name(y, b, a)} or {_name(y, a, b)}?); "
            f"write {y}-{b:02d}-{a:02d} or {y}-{a:02d}-{b:02d}, or give --date-format "
            f"%d{m['sep']}%m{m['sep']}%Y"
        )
    raise DateError(
        f"cannot read the date {raw!r}; write it as YYYY-MM-DD, e.g. "
        f"{(today or dt.date.today()).isoformat()}"
    )


def _name(y: int, m: int, d: int) -> str:
    try:
        return short(dt.date(y, m, d), with_year=False)
    except ValueError:
        return f"{y}-{m:02d}-{d:02d}"


def short(
    day: dt.date | dt.datetime, ref: dt.date | None = None, *, with_year: bool | None = None
) -> str:
    """``3 Dec`` (with the year when it differs from ``ref``'s year)."""
    if isinstance(day, dt.datetime):
        day = day.date()
    if with_year is None:
        with_year = ref is not None and day.year != ref.year
    text = f"{day.day} {day:%b}"
    return f"{text} {day.year}" if with_year else text


def human(
    value: dt.date | dt.datetime | str | None,
    today: dt.date | None = None,
    *,
    with_year: bool | None = None,
) -> str:
    """The one way a date is shown to people, on the command line, the web pages and the
    reports: ``5 Dec``, with the year when it is not this year's (``5 Dec 2027``) or
    ``with_year``, and the time when there is one (``5 Dec 14:30``; an aware time is shown in
    local time).  Takes a date, a datetime or an ISO string (returned as given when it is not
    one); ``""`` for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = (
                dt.datetime.fromisoformat(value)
                if len(value) > 10
                else dt.date.fromisoformat(value)
            )
        except ValueError:
            return value
    clock = ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone()
        clock = f" {value:%H:%M}"
        value = value.date()
    today = today or dt.date.today()
    if with_year is None:
        with_year = value.year != today.year
    return f"{value.day} {value:%b}" + (f" {value.year}" if with_year else "") + clock


def ago(day: dt.date, ref: dt.date) -> str:
    """``today`` / ``yesterday`` / ``5 days ago`` / ``in 2 days`` (day relative to ref)."""
    n = (ref - day).days
    if n == 0:
        return "today"
    if n == 1:
        return "yesterday"
    if n == -1:
        return "tomorrow"
    return f"{n} days ago" if n > 0 else f"in {-n} days"


def add_business_days(day: dt.date, n: int) -> dt.date:
    """``day`` plus ``n`` working days (Monday-Friday; public holidays are not known)."""
    out = day
    while n > 0:
        out += dt.timedelta(days=1)
        if out.weekday() < 5:
            n -= 1
    return out
