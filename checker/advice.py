"""Advice resolved before it is shown: one verdict, one date, no self-contradiction.

``resolve(report)`` runs inside ``checker.check`` after every check (so the CLI, the JSON, the
web and the batch review all show the same resolved report):

* a suggestion that a standing finding rules out is dropped (``advice.toml``
  ``[contradicted_by]``: "send it today anyway" next to "you already sent a thank-you note");
* the findings that say when this draft may go out ("wait until 9 Dec") all give the date
  the timing policy settled on (the frequency section's ``earliest``: the latest of every
  floor), and none when the policy says never; the section's ``reasons`` follow.

``advise(report)`` is what a shell puts at the top of a result: the send verdict
(``Report.send_verdict``: ready / revise / dont_send), its title, why, the one date for
sending and whether "I sent it today" may be offered.  ``timing_text`` words the frequency
section, ``next_step`` reconciles the contact log's planned next step with this draft.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from .report import VERDICTS, Report, plural
from .rules import load_toml

_DATE = r"\d{1,2} [A-Z][a-z]{2}(?: \d{4})?"
_WAIT = re.compile(rf"(?P<lead>(?i:wait until|from|on or after)) (?P<date>{_DATE})")
# Starts at a ";" or where a run of spaces starts (same matches as ";?\s*...", linear).
_WAIT_CLAUSE = re.compile(rf"(?:;|(?<![;\s]))\s*(?i:wait until|from|on or after) {_DATE}")


@functools.lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return load_toml("advice.toml")


def contradicted_by() -> dict[str, list[str]]:
    """Rule id -> the rules whose standing finding drops its suggestion."""
    return _data()["contradicted_by"]


def _iso(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def resolve(report: Report) -> Report:
    """Resolve the report's advice in place (see the module doc); returns the report."""
    standing = {f.rule for f in report.findings if f.severity in ("warning", "error")}
    table = contradicted_by()
    fr = report.frequency
    send_rules = set(_data()["dates"]["send_date_rules"])
    earliest = never = None
    if fr and fr.get("allowed") is False:
        earliest = _iso(fr.get("earliest"))
        never = earliest is None
    ref = _iso(fr.get("send_on")) if fr else None
    changed: dict[str, str] = {}
    out = []
    for f in report.findings:
        new = f
        if f.suggestion and standing.intersection(table.get(f.rule, ())):
            new = dataclasses.replace(new, suggestion="")
        if f.rule in send_rules and (earliest or never):
            if never:
                message = _WAIT_CLAUSE.sub("", new.message)
                suggestion = "" if _WAIT.search(new.suggestion) else new.suggestion
            else:
                from .contacts.dates import short

                when = short(earliest, ref)
                message = _WAIT.sub(lambda m, when=when: f"{m['lead']} {when}", new.message)
                suggestion = _WAIT.sub(lambda m, when=when: f"{m['lead']} {when}", new.suggestion)
            if message != new.message:
                changed[new.message] = message
            new = dataclasses.replace(new, message=message, suggestion=suggestion)
        out.append(new)
    report.findings[:] = out
    if fr and changed and isinstance(fr.get("reasons"), list):
        fr["reasons"] = [changed.get(r, r) for r in fr["reasons"]]
        for rule in fr.get("rules") or []:
            if isinstance(rule, dict) and rule.get("message") in changed:
                rule["message"] = changed[rule["message"]]
    return report


# ---- what a shell shows -----------------------------------------------------------------------


@dataclass
class Advice:
    """The top of a result: ``verdict`` (ready / revise / dont_send), its ``title``, why (in
    words), the one date this draft may go out (``send_on``; None when the timing was not
    checked or says never), ``never`` (the timing says not at all) and ``can_record`` (may the
    page offer "I sent it today")."""

    verdict: str
    title: str
    why: list[str] = field(default_factory=list)
    send_on: dt.date | None = None
    never: bool = False
    timing: str | None = None

    @property
    def can_record(self) -> bool:
        return self.verdict != "dont_send"


def timing_text(frequency: dict[str, Any] | None, today: dt.date | None = None) -> str | None:
    """The timing verdict of a frequency section in one sentence (None without one)."""
    from .contacts.dates import short

    if not frequency or frequency.get("allowed") is None:
        return None
    today = today or dt.date.today()
    if frequency["allowed"]:
        send_on = _iso(frequency.get("send_on"))
        return (
            "A good time to send this"
            + (f" (on {short(send_on, today)})" if send_on and send_on != today else "")
            + "."
        )
    earliest = _iso(frequency.get("earliest"))
    if earliest:
        return f"Not yet: send it on or after {short(earliest, today)}."
    return "Better not to send this at all."


def advise(report: Report, today: dt.date | None = None) -> Advice:
    """The send verdict of ``report`` with its reasons and the one date for sending."""
    from .contacts.dates import short

    today = today or dt.date.today()
    verdict = report.send_verdict
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in ("error", "warning")}
    fr = report.frequency or {}
    earliest = _iso(fr.get("earliest")) if fr.get("allowed") is False else None
    never = fr.get("allowed") is False and earliest is None
    why = []
    if fr.get("allowed") is False:
        why.append(
            f"the timing: not before {short(earliest, today)}"
            if earliest
            else "the timing: better not to send it at all"
        )
    if (report.hostility or {}).get("detected"):
        why.append("it reads as hostile")
    if counts["error"]:
        why.append(f"{plural(counts['error'], 'error')} to fix")
    if counts["warning"] and verdict != "ready":
        why.append(f"{plural(counts['warning'], 'warning')} to look at")
    send_on = (earliest if fr.get("allowed") is False else _iso(fr.get("send_on"))) if fr else None
    return Advice(
        verdict=verdict,
        title=VERDICTS[verdict].title,
        why=why,
        send_on=send_on,
        never=never,
        timing=timing_text(fr, today),
    )


def next_step(report: Report, step: dict[str, Any] | None) -> dict[str, Any] | None:
    """The contact log's planned next step (``checker.web.log``'s view of ``contacts.next_step``:
    ``step``, ``action``, ``date``, ``date_label`` ...) as the result of checking ``report``
    may show it: None when it is the step this draft is (the timing line already gives its
    one date), else that other step, with its own one date, and ``relation`` "instead" when
    it is another way to do what this draft does (a call the note announced, for a follow-up
    email)."""
    if not step:
        return None
    kind, action = report.kind, step.get("action")
    same = (action == "thank_you" and kind == "thank_you") or (
        action == "follow_up" and kind == "follow_up"
    )
    fr = report.frequency or {}
    if same and fr.get("allowed") is not None:
        return None
    # A call the note announced is the follow-up: this email would be one instead of it.
    instead = action == "call" and kind == "follow_up"
    return dict(step, relation="instead" if instead else "")
