"""The cadence policy engine: is contacting an employer now too soon, too often, one too many?

Pure functions over a list of ``Event`` (no SQL, no clock): ``evaluate`` judges one proposed
message or call, ``plan`` works out the next appropriate step.  The numbers come from
``checker/rules/cadence.toml`` merged with the user's ``[cadence]`` config table
(``load_policy``); the wording of every reason comes from the rule catalogue
(``checker/rules/frequency.toml``), so the check, ``followup next`` and the web page agree.

The model, in short (see docs/contact-log.md):

* a *round* starts at the last interview; a thank-you note is due within
  ``thank_you_max_days`` of it, and a second note in the same round is an error;
* a follow-up waits ``follow_up_min_days`` after the note, or until
  ``after_decision_business_days`` after a decision date the employer gave; any two of your
  messages are ``min_days_between_messages`` apart; no more than ``max_messages_in_window``
  of them in ``window_days``;
* at most ``max_calls`` follow-up calls per round (a voicemail is a call);
* after ``max_unanswered_follow_ups`` follow-ups with no answer, stop and move on;
* anything the employer sends (a reply, an interview) starts the clock again: your answer to
  a reply is not "too soon", and the unanswered count restarts;
* texts only when the employer has texted you.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .. import calltime
from ..config import ConfigError, deep_merge
from ..rules import catalogue, load_toml
from .dates import add_business_days, ago, ordinal, short
from .model import CALL_CHANNELS, CHANNELS, STYLES, Employer, Event, day_of

#: The channels a thank-you note can go by (``[cadence.style_channel]`` values).
NOTE_CHANNELS = tuple(c for c in CHANNELS if c not in CALL_CHANNELS and c != "in_person")

PROPOSAL_CHANNELS = ("email", "call", "text")
WORDS = {1: "once", 2: "twice"}


# --------------------------------------------------------------------------- policy data


def load_policy(config: Any = None) -> dict[str, Any]:
    """The packaged ``[cadence]`` table with the user's ``[cadence]`` overrides merged in.

    ``config`` is a ``checker.Config`` (its ``cadence`` table, validated when the config was
    read), a plain dict of overrides, or None.  Raises ``ConfigError`` (one line) for a bad
    value."""
    if config is None:
        over: Any = {}
    elif isinstance(config, dict):
        over = config
    else:
        over = config.cadence
    return merged_policy(over)


def merged_policy(over: Any) -> dict[str, Any]:
    """The packaged policy with ``over`` merged in, every value checked."""
    base = load_toml("contacts/cadence.toml")["cadence"]
    if not isinstance(over, dict):
        raise ConfigError("[cadence] must be a table")
    for key in over:
        if key not in base:
            raise ConfigError(f"[cadence] has no setting {key!r}; known: {', '.join(sorted(base))}")
    _check_style_channel(over.get("style_channel", {}))
    policy = deep_merge(base, over) if over else base
    for key, default in base.items():
        value = policy[key]
        if isinstance(default, str):
            if not isinstance(value, str):
                raise ConfigError(f"[cadence] {key} must be a string, not {value!r}")
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"[cadence] {key} must be true or false, not {value!r}")
        elif isinstance(default, int):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 365:
                raise ConfigError(
                    f"[cadence] {key} must be a whole number of days 0-365, not {value!r}"
                )
    for key in ("max_calls", "max_messages_in_window", "max_unanswered_follow_ups"):
        if policy[key] < 1:
            raise ConfigError(f"[cadence] {key} must be at least 1")
    return policy


def _check_style_channel(over: Any) -> None:
    """``[cadence.style_channel]``: a style of the log (``STYLES``) to the channel a thank-you
    note goes by (``NOTE_CHANNELS``)."""
    if not isinstance(over, dict):
        raise ConfigError(
            f"[cadence] style_channel must be a table ([cadence.style_channel]), not {over!r}"
        )
    for style, channel in over.items():
        if style not in STYLES:
            raise ConfigError(
                f"[cadence.style_channel] has no setting {style!r}; known: "
                f"{', '.join(sorted(STYLES))}"
            )
        if channel not in NOTE_CHANNELS:
            raise ConfigError(
                f"[cadence.style_channel] {style} must be one of "
                f"{', '.join(NOTE_CHANNELS)}, not {channel!r}"
            )


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Reason:
    """One finding of the policy: a catalogue rule id and the values for its message."""

    rule: str
    blocking: bool
    fmt: dict[str, Any] = field(default_factory=dict, hash=False)

    @property
    def message(self) -> str:
        return catalogue()[self.rule].message.format(**self.fmt)

    @property
    def suggestion(self) -> str:
        return catalogue()[self.rule].suggestion.format(**self.fmt)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "blocking": self.blocking, "message": self.message}


@dataclass
class Verdict:
    """``allowed``: the proposed contact may go out on ``send_on``.  ``earliest``: the first
    date on or after ``send_on`` when it may (None: not at all, e.g. a second call)."""

    allowed: bool
    earliest: dt.date | None
    send_on: dt.date
    channel: str
    kind: str
    reasons: list[Reason] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "reasons": [r.message for r in self.reasons],
            "send_on": self.send_on.isoformat(),
            "channel": self.channel,
            "kind": self.kind,
            "rules": [r.to_dict() for r in self.reasons],
            **self.facts,
        }


@dataclass
class NextStep:
    """The next appropriate step with an employer: ``action`` is one of ``log_interview``,
    ``thank_you``, ``call``, ``follow_up``, ``wait``, ``move_on``; ``sentence`` says it.
    ``earliest`` is the first day for it; ``due`` the last, for a step with a deadline (a
    thank-you note "by 4 Dec"): the one date a page shows next to the sentence."""

    company: str
    action: str
    sentence: str
    earliest: dt.date | None = None
    channel: str | None = None
    reasons: list[str] = field(default_factory=list)
    due: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "company": self.company,
            "action": self.action,
            "sentence": self.sentence,
            "step": self.sentence,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "due": self.due.isoformat() if self.due else None,
            "channel": self.channel,
            "reasons": list(self.reasons),
            "why": "; ".join(self.reasons),
        }


# --------------------------------------------------------------------------- timeline facts


def _order(e: Event) -> tuple:
    when = e.when if isinstance(e.when, dt.datetime) else dt.datetime.combine(e.when, dt.time.min)
    return (when, e.id)


def _from_employer(e: Event) -> bool:
    """Contact that comes from the employer: anything received, and the interview itself."""
    return e.direction == "received" or e.kind == "interview"


def _outgoing(e: Event) -> bool:
    return e.direction == "sent" and e.kind != "interview"


@dataclass
class Timeline:
    events: list[Event]  # up to and including the day judged, in order
    interview: Event | None  # the last interview
    notes: list[Event]  # thank-you notes sent since it
    calls: list[Event]  # calls / voicemails made since it
    last_from_employer: Event | None
    since_employer: list[Event]  # your messages since the employer's last contact
    unanswered: list[Event]  # follow-ups among them
    employer_texted: bool

    @classmethod
    def of(cls, events: Iterable[Event], day: dt.date) -> Timeline:
        evs = sorted((e for e in events if e.day <= day), key=_order)
        iv = max((i for i, e in enumerate(evs) if e.kind == "interview"), default=-1)
        rnd = evs[iv + 1 :]
        fe = max((i for i, e in enumerate(evs) if _from_employer(e)), default=-1)
        since = [e for e in evs[fe + 1 :] if _outgoing(e)]
        return cls(
            events=evs,
            interview=evs[iv] if iv >= 0 else None,
            notes=[e for e in rnd if _outgoing(e) and e.kind == "thank_you"],
            calls=[e for e in rnd if _outgoing(e) and e.is_call],
            last_from_employer=evs[fe] if fe >= 0 else None,
            since_employer=since,
            unanswered=[e for e in since if e.kind == "follow_up"],
            employer_texted=any(e.direction == "received" and e.channel == "text" for e in evs),
        )


def describe(e: Event) -> str:
    """``your note went out`` / ``you called`` / ``the interview was`` ..."""
    if e.kind == "interview":
        return "the interview was"
    if e.is_call:
        return "you called"
    what = {"thank_you": "your note", "follow_up": f"your follow-up {_channel_noun(e.channel)}"}
    return f"{what.get(e.kind, f'your {_channel_noun(e.channel)}')} went out"


def _channel_noun(channel: str) -> str:
    return {
        "in_person": "visit",
        "linkedin": "LinkedIn message",
        "letter": "letter",
        "text": "text",
        "email": "email",
    }.get(channel, "message")


def _dates(events: list[Event], ref: dt.date) -> str:
    days = [short(e.day, ref) for e in events]
    return days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1]


# --------------------------------------------------------------------------- evaluate


def proposal_channel(channel: str) -> str:
    """The channel a logged contact counts as when it is judged: a voicemail is a call, a
    text a text, anything written (letter, LinkedIn message ...) an email."""
    return (
        "call" if channel in CALL_CHANNELS else channel if channel in PROPOSAL_CHANNELS else "email"
    )


def evaluate(
    events: Iterable[Event],
    *,
    send_on: dt.date | dt.datetime,
    channel: str = "email",
    kind: str = "follow_up",
    employer: Employer | None = None,
    company: str | None = None,
    policy: dict[str, Any] | None = None,
) -> Verdict:
    """Judge one proposed contact (``kind`` thank_you / follow_up over ``channel`` email /
    call / text, on ``send_on``) against the logged ``events`` with that employer.

    Events after ``send_on`` are ignored (the log as it stood that day).
    """
    p = policy or load_policy()
    day = day_of(send_on)
    if channel not in PROPOSAL_CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(PROPOSAL_CHANNELS)}, not {channel!r}")
    if channel == "call":
        kind = "follow_up"  # a call is never the thank-you note
    name = company or (employer.company if employer else "this employer")
    t = Timeline.of(events, day)
    reasons: list[Reason] = []
    floors: list[dt.date] = [day]
    forever = False

    def add(rule: str, blocking: bool, **fmt: Any) -> None:
        reasons.append(Reason(f"frequency.{rule}", blocking, dict(company=name, **fmt)))

    if not t.events:
        add("no_history", False)
    else:
        floors.append(t.events[-1].day)
        if t.interview is None:
            add("no_interview", False)

    if channel == "text" and p["texts_need_employer_text"] and not t.employer_texted:
        add("text_uninvited", True)
        forever = True

    if kind == "thank_you":
        if t.notes:
            add("second_thank_you", True, date=short(t.notes[0].day, day))
            forever = True
        if t.interview is not None:
            late = (day - t.interview.day).days
            if late > p["thank_you_max_days"]:
                add(
                    "late_thank_you",
                    False,
                    days=late,
                    interview=short(t.interview.day, day),
                    max_days=p["thank_you_max_days"],
                )
        if employer is not None and employer.style == "traditional" and channel == "email":
            add("handwritten", False)
    else:
        if t.interview is not None and not t.notes:
            add("no_thank_you", False, interview=short(t.interview.day, day))
        prev = t.since_employer[-1] if t.since_employer else None
        anchor = prev or (t.interview if t.last_from_employer is t.interview else None)
        if anchor is not None:
            first_follow_up = anchor.kind in ("thank_you", "interview")
            gap = p["follow_up_min_days"] if first_follow_up else p["min_days_between_messages"]
            until = anchor.day + dt.timedelta(days=gap)
            decision = employer.decision_date if employer else None
            if first_follow_up and decision and decision > anchor.day:
                # "or 1-2 business days after a decision date the employer gave"
                until = add_business_days(decision, p["after_decision_business_days"])
            floors.append(until)
            if day < until:
                if first_follow_up and decision and decision > anchor.day:
                    add(
                        "before_decision",
                        True,
                        decision=short(decision, day),
                        until=short(until, day),
                    )
                else:
                    add(
                        "too_soon",
                        True,
                        last=describe(anchor),
                        ago=ago(anchor.day, day),
                        until=short(until, day),
                    )
        elif employer is not None and employer.decision_date and t.events:
            until = add_business_days(employer.decision_date, p["after_decision_business_days"])
            if employer.decision_date >= t.events[-1].day and day < until:
                floors.append(until)
                add(
                    "before_decision",
                    True,
                    decision=short(employer.decision_date, day),
                    until=short(until, day),
                )
        if (
            channel == "call"
            and t.notes
            and len(t.calls) < p["max_calls"]
            and not any(n.announced_call for n in t.notes)
        ):
            add("call_unannounced", False, date=short(t.notes[0].day, day))
        if channel == "call" and len(t.calls) >= p["max_calls"]:
            n = len(t.calls)
            add("second_call", True, times=WORDS.get(n, f"{n} times"), dates=_dates(t.calls, day))
            forever = True
        if len(t.unanswered) >= p["max_unanswered_follow_ups"]:
            add("move_on", True, n=len(t.unanswered), dates=_dates(t.unanswered, day))
            forever = True

    # A burst of your messages (since the employer's last contact).
    recent = [e for e in t.since_employer if (day - e.day).days < p["window_days"]]
    if len(recent) + 1 > p["max_messages_in_window"]:
        span = (day - recent[0].day).days
        add(
            "too_many",
            True,
            nth=ordinal(len(recent) + 1),
            days=max(span, 1),
            window=p["window_days"],
        )
        k = p["max_messages_in_window"]
        floors.append(recent[-k].day + dt.timedelta(days=p["window_days"]))

    earliest = None if forever else max(floors)
    allowed = not any(r.blocking for r in reasons)
    facts = {
        "last_contact": t.events[-1].day.isoformat() if t.events else None,
        "interview": t.interview.day.isoformat() if t.interview else None,
        "thank_you": t.notes[0].day.isoformat() if t.notes else None,
        "calls": len(t.calls),
        "unanswered_follow_ups": len(t.unanswered),
        "messages_in_window": len(recent) + 1,
    }
    return Verdict(
        allowed=allowed,
        earliest=earliest,
        send_on=day,
        channel=channel,
        kind=kind,
        reasons=reasons,
        facts=facts,
    )


# --------------------------------------------------------------------------- call heads-up


@dataclass
class AnnouncedCall:
    text: str  # the time expression(s) found
    label: str  # "next week", "tomorrow", "repeatedly" ...
    date: dt.date | None  # when the call would come
    days: int | None  # days after sending
    repeat: bool  # more than one call
    assumed: str | None = None  # how an ambiguous time was read ("next Friday")

    def to_dict(self) -> dict[str, Any]:
        out = {
            "text": self.text,
            "label": self.label,
            "date": self.date.isoformat() if self.date else None,
            "days_after_send": self.days,
            "repeat": self.repeat,
        }
        if self.assumed:
            out["assumed"] = self.assumed
        return out


def read_call_time(
    sentence: str, send_on: dt.date, patterns: list[dict[str, Any]] | None = None
) -> AnnouncedCall | None:
    """When a call heads-up sentence says the call will come, relative to ``send_on``
    (the shared table of ``checker.calltime``)."""
    return announced_call(calltime.read(sentence, patterns=patterns), send_on)


def announced_call(found: calltime.CallTime | None, send_on: dt.date) -> AnnouncedCall | None:
    """A call time read from a draft (``calltime.read``), dated from ``send_on``."""
    if found is None:
        return None
    days = found.days_after(send_on)
    date = send_on + dt.timedelta(days=days) if days is not None else None
    assumed = None
    if found.next_weekday and date is not None:
        sooner = date - dt.timedelta(days=7)
        assumed = (
            f"\"{found.label}\" read as {date:%A} {date.day} {date:%b}, the later of "
            f"{sooner.day} {sooner:%b} and {date.day} {date:%b}"
        )
    return AnnouncedCall(
        text=found.text,
        label=found.label,
        date=date,
        days=days,
        repeat=found.repeat,
        assumed=assumed,
    )


def judge_announced_call(
    call: AnnouncedCall,
    timeline_events: Iterable[Event],
    send_on: dt.date,
    policy: dict[str, Any] | None = None,
    company: str = "this employer",
) -> list[Reason]:
    """Reasons about the call a draft announces: too soon, more than one, a call again."""
    p = policy or load_policy()
    out: list[Reason] = []
    t = Timeline.of(timeline_events, send_on)
    base = dict(company=company, when=call.label)
    if call.repeat:
        out.append(Reason("frequency.call_repeat", True, dict(base, text=call.text)))
    if len(t.calls) >= p["max_calls"]:
        out.append(
            Reason("frequency.call_already", True, dict(base, dates=_dates(t.calls, send_on)))
        )
    min_days = p["announced_call_min_days"]
    if call.days is not None and call.days < min_days and not call.repeat:
        until = send_on + dt.timedelta(days=min_days)
        out.append(
            Reason(
                "frequency.call_too_soon",
                False,
                dict(
                    base,
                    date=short(call.date, send_on) if call.date else "?",
                    days=_days(call.days),
                    min_days=min_days,
                    until=short(until, send_on),
                ),
            )
        )
    return out


def _days(n: int) -> str:
    return (
        "the same day" if n == 0 else "1 day after sending" if n == 1 else f"{n} days after sending"
    )


# --------------------------------------------------------------------------- plan


def _channel_advice(employer: Employer | None, name: str, p: dict[str, Any]) -> tuple[str, str]:
    style = employer.style if employer else "unknown"
    channel = p.get("style_channel", {}).get(style, "letter")
    if style == "traditional":
        return channel, f"{name} is a traditional business: a handwritten note, mailed, is best"
    if style == "modern":
        return channel, f"an email is fine for {name}"
    return channel, (
        f"if you are unsure how traditional {name} is, a handwritten note is the "
        f"safer choice (an email is fine for a modern company)"
    )


def plan(
    events: Iterable[Event],
    *,
    today: dt.date,
    employer: Employer | None = None,
    company: str | None = None,
    policy: dict[str, Any] | None = None,
) -> NextStep:
    """The next appropriate step with one employer, as of ``today``."""
    p = policy or load_policy()
    name = company or (employer.company if employer else "this employer")
    evs = list(events)
    # Judge against the whole log, even events dated after today (a planned interview).
    ref = max([today] + [e.day for e in evs])
    t = Timeline.of(evs, ref)
    if not t.events:
        return NextStep(
            name,
            "log_interview",
            f"No contacts with {name} in your log yet; log "
            f"the interview first: followup log add --to \"{name}\" --kind interview "
            f"--date YYYY-MM-DD",
        )
    if t.interview is None:
        return NextStep(
            name,
            "log_interview",
            f"No interview with {name} in your log; log it "
            f"with: followup log add --to \"{name}\" --kind interview --date YYYY-MM-DD",
        )
    iv = t.interview.day
    if iv > today:
        due = iv + dt.timedelta(days=p["thank_you_max_days"])
        channel, advice = _channel_advice(employer, name, p)
        return NextStep(
            name,
            "thank_you",
            f"The interview is on {short(iv, today)}; send a "
            f"thank-you note after it, by {short(due, today)}; {advice}.",
            earliest=iv,
            channel=channel,
            due=due,
        )
    if not t.notes:
        channel, advice = _channel_advice(employer, name, p)
        due = iv + dt.timedelta(days=p["thank_you_max_days"])
        if today <= due:
            return NextStep(
                name,
                "thank_you",
                f"Send a thank-you note by {short(due, today)} "
                f"(within {p['thank_you_max_days']} days of the {short(iv, today)} "
                f"interview); {advice}.",
                earliest=today,
                channel=channel,
                due=due,
            )
        late = (today - iv).days
        return NextStep(
            name,
            "thank_you",
            f"Reminder: the {short(iv, today)} interview has no "
            f"thank-you note yet ({late} days ago); send one now, late beats never; "
            f"{advice}.",
            earliest=today,
            channel=channel,
            reasons=[f"a thank-you note is due within {p['thank_you_max_days']} days"],
        )
    if len(t.unanswered) >= p["max_unanswered_follow_ups"]:
        return NextStep(
            name,
            "move_on",
            f"You have followed up {WORDS.get(len(t.unanswered), f'{len(t.unanswered)} times')} "
            f"without an answer ({_dates(t.unanswered, today)}); stop here and move on "
            f"to other applications.",
            reasons=["after two unanswered follow-ups, move on"],
        )
    note = t.notes[0]
    replied = t.last_from_employer is not None and t.last_from_employer is not t.interview
    prefix = (
        f"{name} wrote on {short(t.last_from_employer.day, today)}: answer any question "
        f"now; otherwise "
        if replied and not t.since_employer
        else ""
    )
    if len(t.calls) < p["max_calls"] and note.announced_call and not replied:
        v = evaluate(evs, send_on=ref, channel="call", employer=employer, company=name, policy=p)
        earliest = v.earliest
        if earliest and note.announced_call != "yes":
            try:
                announced = dt.date.fromisoformat(note.announced_call)
                earliest = max(earliest, announced)
            except ValueError:
                pass
        return _step(
            name,
            "call",
            v,
            earliest,
            today,
            "call once, on or after {date}; your note announced it",
            prefix,
            "call",
        )
    v = evaluate(evs, send_on=ref, channel="email", employer=employer, company=name, policy=p)
    if len(t.calls) >= p["max_calls"]:
        text = (
            f"you called on {_dates(t.calls, today)}; no more calls: if you hear nothing, "
            f"one short follow-up email on or after {{date}}"
        )
    elif t.unanswered:
        text = "one last short follow-up email on or after {date}, then move on"
    else:
        text = "send one short follow-up email on or after {date}"
        if not note.announced_call:
            text += " (your note did not announce a call, so email rather than phone)"
    decision = employer.decision_date if employer else None
    if decision and v.earliest and decision >= note.day:
        text += f"; they said they would decide by {short(decision, today)}"
    earliest = v.earliest
    if earliest and prefix:
        # Their message starts the clock again: chasing waits a week from it.
        earliest = max(
            earliest, t.last_from_employer.day + dt.timedelta(days=p["min_days_between_messages"])
        )
    return _step(name, "follow_up", v, earliest, today, text, prefix, "email")


def _step(
    name: str,
    action: str,
    v: Verdict,
    earliest: dt.date | None,
    today: dt.date,
    text: str,
    prefix: str,
    channel: str,
) -> NextStep:
    reasons = [r.message for r in v.reasons if r.blocking]
    if earliest is None:
        return NextStep(
            name,
            "move_on",
            "No further contact is appropriate: " + "; ".join(reasons) + ".",
            reasons=reasons,
        )
    sentence = prefix + text.format(date=short(earliest, today))
    sentence = sentence[0].upper() + sentence[1:] + "."
    return NextStep(name, action, sentence, earliest=earliest, channel=channel, reasons=reasons)
