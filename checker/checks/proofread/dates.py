"""proofread.date: a weekday and a date that disagree, a past date announced as future.

A date without a year is read as the one nearest the send date (``send_on``, else today);
it is judged only when that lies within ``[thresholds.date] window_days`` of it, so an old
note's "Tuesday, 14 November" is not checked against this year's calendar.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WD = r"(?P<wd>mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?"
_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?[ \t]+(?P<year>(?:19|20)\d\d))?"


_ANY_MONTH = re.compile(r"\b(?:" + "|".join(m[:3] for m in MONTHS) + r")", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    flags = re.IGNORECASE
    return (
        re.compile(
            rf"\b{_WD},?[ \t]+(?:the[ \t]+)?{_DAY}(?:[ \t]+of)?[ \t]+{_MON}{_YEAR}\b", flags
        ),
        re.compile(rf"\b{_WD},?[ \t]+{_MON}[ \t]+{_DAY}{_YEAR}\b", flags),
        re.compile(rf"\b(?:the[ \t]+)?{_DAY}(?:[ \t]+of)?[ \t]+{_MON}{_YEAR}\b", flags),
        re.compile(rf"\b{_MON}[ \t]+{_DAY}{_YEAR}\b", flags),
    )


def _reference(ctx) -> dt.date:
    raw = ctx.options.get("send_on")
    today = dt.date.today()
    if not raw:
        return today
    from ...contacts.dates import DateError, parse_date
    from ...contacts.model import day_of

    try:
        return day_of(
            parse_date(raw, relative=True, today=today, date_format=ctx.options.get("date_format"))
        )
    except (DateError, ValueError):
        return today


def _month(name: str) -> int:
    name = name.lower()
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(name[:3]))


def _weekday(name: str) -> int:
    return next(i for i, d in enumerate(DAYS) if d.startswith(name.lower()[:3]))


def _resolve(day: int, month: int, year: str | None, ref: dt.date, window: int) -> dt.date | None:
    if year:
        try:
            return dt.date(int(year), month, day)
        except ValueError:
            return None
    best = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            d = dt.date(y, month, day)
        except ValueError:
            continue
        if best is None or abs((d - ref).days) < abs((best - ref).days):
            best = d
    if best is None or abs((best - ref).days) > window:
        return None
    return best


def _fmt(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1].title()} {d.year}"


def check(ctx, data: dict) -> None:
    th = ctx.config.threshold("proofread.date")
    window, max_past = int(th["window_days"]), int(th["max_past_days"])
    text = ctx.text
    if not _ANY_MONTH.search(text):
        return
    ref = _reference(ctx)
    future = [f.lower() for f in data["future"]]
    taken: list[tuple[int, int]] = []
    for rx in _patterns():
        for m in rx.finditer(text):
            s, e = m.span()
            if any(s < b and a < e for a, b in taken):
                continue
            taken.append((s, e))
            try:
                day = int(m.group("day"))
            except (TypeError, ValueError):
                continue
            d = _resolve(day, _month(m.group("mon")), m.group("year"), ref, window)
            if d is None:
                continue
            wd = m.groupdict().get("wd")
            if wd:
                said = _weekday(wd)
                if d.weekday() != said:
                    same_week = d + dt.timedelta(days=said - d.weekday())
                    ctx.emit(
                        "proofread.date",
                        s,
                        e,
                        problem=f"{_fmt(d)} is a {DAYS[d.weekday()].title()}, "
                        f"not a {DAYS[said].title()}",
                        advice=f"Check the date: {DAYS[d.weekday()].title()}, {_fmt(d)}, "
                        f"or {DAYS[said].title()}, {_fmt(same_week)}?",
                    )
                    continue
            days_before = (ref - d).days
            if 0 < days_before <= max_past and _announces_future(ctx, s, e, future):
                ctx.emit(
                    "proofread.date",
                    s,
                    e,
                    problem=f"{_fmt(d)} is already past (the note goes out on "
                    f"{_fmt(ref)}), but the sentence announces it as to come",
                    advice="Check the date, or the year.",
                )


def _announces_future(ctx, s: int, e: int, cues: list[str]) -> bool:
    sent = next((x for x in ctx.sents if x.start_char <= s < x.end_char), None)
    if sent is None:
        return False
    words = " " + " ".join(sent.text.lower().replace("\u2019", "'").split()) + " "
    return any(f" {c} " in words or (c.startswith("'") and c in words) for c in cues)
