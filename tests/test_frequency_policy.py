"""The cadence policy engine: a table of timelines and verdicts, call times, and properties
over random timelines (hypothesis).  Pure functions: no database, no spaCy."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.config import Config, ConfigError
from checker.contacts.model import CHANNELS, DIRECTIONS, KINDS, Employer, Event
from checker.contacts.policy import (
    evaluate,
    judge_announced_call,
    load_policy,
    plan,
    read_call_time,
)

BASE = dt.date(2026, 11, 16)  # a Monday


def D(n: int) -> dt.date:
    return BASE + dt.timedelta(days=n)


def timeline(*specs: str) -> list[Event]:
    """``"0 received in_person interview"`` -> an event on BASE + 0 days."""
    out = []
    for i, spec in enumerate(specs, 1):
        parts = spec.split(None, 4)
        day, direction, channel, kind = int(parts[0]), parts[1], parts[2], parts[3]
        extra = parts[4] if len(parts) > 4 else None
        out.append(
            Event(
                id=i,
                company="Acme",
                when=D(day),
                channel=channel,
                direction=direction,
                kind=kind,
                announced_call=extra,
            )
        )
    return out


IV = "0 received in_person interview"
NOTE = "1 sent email thank_you"

# (id, events, send_on offset, channel, kind, allowed, earliest offset or None, rules, text)
TABLE = [
    ("note next day", [IV], 1, "email", "thank_you", True, 1, [], None),
    ("note on the day", [IV], 0, "email", "thank_you", True, 0, [], None),
    (
        "late note",
        [IV],
        5,
        "email",
        "thank_you",
        True,
        5,
        ["frequency.late_thank_you"],
        "your note goes out 5 days after the interview on 16 Nov; aim for 3 days at most",
    ),
    (
        "second note",
        [IV, NOTE],
        3,
        "email",
        "thank_you",
        False,
        None,
        ["frequency.second_thank_you"],
        "you already sent a thank-you note on 17 Nov",
    ),
    (
        "follow-up 2 days after note",
        [IV, NOTE],
        3,
        "email",
        "follow_up",
        False,
        8,
        ["frequency.too_soon"],
        "too soon: your note went out 2 days ago; wait until 24 Nov",
    ),
    ("follow-up a week after note", [IV, NOTE], 8, "email", "follow_up", True, 8, [], None),
    ("call a week after note", [IV, NOTE + " yes"], 8, "call", "follow_up", True, 8, [], None),
    (
        "unannounced call",
        [IV, NOTE],
        8,
        "call",
        "follow_up",
        True,
        8,
        ["frequency.call_unannounced"],
        "your note of 17 Nov did not announce a call",
    ),
    (
        "second call",
        [IV, NOTE, "8 sent call follow_up"],
        20,
        "call",
        "follow_up",
        False,
        None,
        ["frequency.second_call"],
        "you already called once, on 24 Nov",
    ),
    (
        "voicemail counts as a call",
        [IV, NOTE, "8 sent voicemail follow_up"],
        20,
        "call",
        "follow_up",
        False,
        None,
        ["frequency.second_call"],
        None,
    ),
    (
        "email after the call",
        [IV, NOTE, "8 sent call follow_up"],
        15,
        "email",
        "follow_up",
        True,
        15,
        [],
        None,
    ),
    (
        "two unanswered follow-ups",
        [IV, NOTE, "8 sent call follow_up", "15 sent email follow_up"],
        30,
        "email",
        "follow_up",
        False,
        None,
        ["frequency.move_on"],
        "2 follow-ups without an answer (24 Nov and 1 Dec); stop and move on",
    ),
    (
        "a reply starts the clock again",
        [IV, NOTE, "8 sent email follow_up", "15 sent email follow_up", "16 received email other"],
        17,
        "email",
        "follow_up",
        True,
        17,
        [],
        None,
    ),
    (
        "text uninvited",
        [IV, NOTE],
        10,
        "text",
        "follow_up",
        False,
        None,
        ["frequency.text_uninvited"],
        "Acme has not texted you; text only if they text first",
    ),
    (
        "text after they texted",
        [IV, NOTE, "3 received text other"],
        10,
        "text",
        "follow_up",
        True,
        10,
        [],
        None,
    ),
    (
        "burst",
        [IV, NOTE, "4 sent email other", "8 sent linkedin other"],
        11,
        "email",
        "follow_up",
        False,
        18,
        ["frequency.too_soon", "frequency.too_many"],
        "this would be your 4th message in 10 days",
    ),
    (
        "follow-up without a note, 3 days after",
        [IV],
        3,
        "email",
        "follow_up",
        False,
        7,
        ["frequency.no_thank_you", "frequency.too_soon"],
        "too soon: the interview was 3 days ago; wait until 23 Nov",
    ),
    (
        "no history",
        [],
        3,
        "email",
        "thank_you",
        True,
        3,
        ["frequency.no_history"],
        "no contacts with Acme in your log yet",
    ),
    (
        "no interview",
        ["0 sent email other"],
        3,
        "email",
        "thank_you",
        True,
        3,
        ["frequency.no_interview"],
        None,
    ),
    (
        "events after send_on are ignored",
        [IV, "9 sent email thank_you"],
        1,
        "email",
        "thank_you",
        True,
        1,
        [],
        None,
    ),
    (
        "a call is never the thank-you note",
        [IV],
        1,
        "call",
        "thank_you",
        False,
        7,
        ["frequency.no_thank_you", "frequency.too_soon"],
        None,
    ),
    (
        "new interview starts a new round",
        [IV, NOTE, "8 sent call follow_up", "20 received in_person interview"],
        21,
        "email",
        "thank_you",
        True,
        21,
        [],
        None,
    ),
]


@pytest.mark.parametrize(
    "name,events,send,channel,kind,allowed,earliest,rules,text", TABLE, ids=[t[0] for t in TABLE]
)
def test_timeline_table(name, events, send, channel, kind, allowed, earliest, rules, text):
    v = evaluate(timeline(*events), send_on=D(send), channel=channel, kind=kind, company="Acme")
    assert v.allowed is allowed
    assert v.earliest == (None if earliest is None else D(earliest))
    assert [r.rule for r in v.reasons] == rules
    if text:
        assert text in [r.message for r in v.reasons]


def test_decision_date_replaces_the_week_after_the_note():
    # They said Wednesday 18 Nov: follow up one business day later (Thu 19), not a week later.
    emp = Employer(1, "Acme", decision_date=D(2))
    v = evaluate(timeline(IV, NOTE), send_on=D(2), employer=emp, company="Acme")
    assert not v.allowed and v.earliest == D(3)
    assert [r.rule for r in v.reasons] == ["frequency.before_decision"]
    assert v.reasons[0].message == "they said they would decide by 18 Nov; wait until 19 Nov"
    assert evaluate(timeline(IV, NOTE), send_on=D(3), employer=emp).allowed


def test_decision_on_friday_waits_to_monday():
    emp = Employer(1, "Acme", decision_date=D(11))  # Friday 27 Nov
    v = evaluate(timeline(IV, NOTE), send_on=D(12), employer=emp)
    assert v.earliest == D(14)  # Monday 30 Nov


def test_traditional_employer_gets_the_handwritten_suggestion():
    emp = Employer(1, "Acme", style="traditional")
    v = evaluate(timeline(IV), send_on=D(1), kind="thank_you", employer=emp)
    assert [r.rule for r in v.reasons] == ["frequency.handwritten"] and v.allowed


def test_policy_overrides_from_config():
    cfg = Config.from_dict({"cadence": {"min_days_between_messages": 3, "follow_up_min_days": 3}})
    p = load_policy(cfg)
    assert p["follow_up_min_days"] == 3 and p["max_calls"] == 1
    assert evaluate(timeline(IV, NOTE), send_on=D(4), policy=p).allowed
    assert not evaluate(timeline(IV, NOTE), send_on=D(4)).allowed


@pytest.mark.parametrize(
    "over",
    [
        {"max_calls": "one"},
        {"max_calls": 0},
        {"window_days": -1},
        {"texts_need_employer_text": 1},
        {"thank_you_max_days": 1000},
    ],
)
def test_bad_policy_override_is_one_line(over):
    with pytest.raises(ConfigError) as err:
        load_policy(Config.from_dict({"cadence": over}))
    assert "\n" not in str(err.value) and "[cadence]" in str(err.value)


# --------------------------------------------------------------------------- next step


def test_plan_reminds_of_a_missing_note_and_advises_the_channel():
    step = plan(timeline(IV), today=D(1), company="Acme")
    assert step.action == "thank_you" and step.channel == "letter"
    assert "by 19 Nov" in step.sentence and "handwritten note is the safer choice" in step.sentence
    modern = plan(timeline(IV), today=D(1), employer=Employer(1, "Acme", style="modern"))
    assert modern.channel == "email" and "an email is fine" in modern.sentence
    late = plan(timeline(IV), today=D(6), company="Acme")
    assert late.sentence.startswith("Reminder: the 16 Nov interview has no thank-you note yet")


def test_plan_announced_call():
    step = plan(timeline(IV, NOTE + " 2026-11-27"), today=D(2), company="Acme")
    assert step.action == "call" and step.earliest == D(11)
    assert step.sentence == "Call once, on or after 27 Nov; your note announced it."
    step = plan(timeline(IV, NOTE + " yes"), today=D(2), company="Acme")
    assert step.earliest == D(8) and "24 Nov" in step.sentence


def test_plan_after_the_call_and_after_two_follow_ups():
    step = plan(timeline(IV, NOTE + " yes", "8 sent call follow_up"), today=D(9), company="Acme")
    assert (
        step.action == "follow_up" and step.earliest == D(15) and "no more calls" in step.sentence
    )
    step = plan(
        timeline(IV, NOTE, "8 sent call follow_up", "15 sent email follow_up"),
        today=D(16),
        company="Acme",
    )
    assert step.action == "move_on" and step.earliest is None


def test_plan_after_their_reply():
    evs = timeline(IV, NOTE, "8 sent email follow_up", "10 received email other")
    step = plan(evs, today=D(10), company="Acme")
    assert step.action == "follow_up" and step.earliest == D(17)
    assert step.sentence.startswith("Acme wrote on 26 Nov: answer any question now; otherwise")


def test_plan_without_history():
    assert plan([], today=D(0), company="Acme").action == "log_interview"
    assert (
        plan(timeline("0 sent email other"), today=D(0), company="Acme").action == "log_interview"
    )


# --------------------------------------------------------------------------- call time


@pytest.mark.parametrize(
    "sentence,days,repeat",
    [
        ("I will give you a call next week to check in.", 7, False),
        ("I'll call you in a week or two to see how things stand.", 10, False),
        ("I will call tomorrow to follow up.", 1, False),
        ("I plan to call every day until I hear back.", 1, True),
        ("I will phone on Monday.", 7, False),  # BASE is a Monday: the next one
        ("I will call on the 14th.", 28, False),  # 14 Dec
        ("I will call you tomorrow and again next week.", 1, True),
        ("Expect a call from me later this week.", 5, False),
        ("I will call you next week, on Wednesday.", 7, False),
        ("I will phone on Wednesday and Friday.", 2, True),
    ],
)
def test_read_call_time(sentence, days, repeat):
    call = read_call_time(sentence, BASE)
    assert call is not None and call.days == days and call.repeat is repeat


def test_read_call_time_none():
    assert read_call_time("I will give you a call to check in.", BASE) is None


def test_judge_announced_call():
    call = read_call_time("I will call you tomorrow.", D(1))
    reasons = judge_announced_call(call, timeline(IV), D(1), company="Acme")
    assert [r.rule for r in reasons] == ["frequency.call_too_soon"]
    assert reasons[0].message == (
        "the note announces a call tomorrow (18 Nov), 1 day after "
        "sending; wait at least 7 days: on or after 24 Nov"
    )
    call = read_call_time("I will call every day.", D(1))
    assert [r.rule for r in judge_announced_call(call, timeline(IV), D(1))] == [
        "frequency.call_repeat"
    ]
    call = read_call_time("I will call next week.", D(9))
    reasons = judge_announced_call(call, timeline(IV, NOTE, "8 sent call follow_up"), D(9))
    assert [r.rule for r in reasons] == ["frequency.call_already"]
    assert (
        judge_announced_call(
            read_call_time("I will call in a week or two.", D(1)), timeline(IV), D(1)
        )
        == []
    )


# --------------------------------------------------------------------------- properties

events_st = st.lists(
    st.tuples(
        st.integers(0, 60),
        st.sampled_from(DIRECTIONS),
        st.sampled_from(CHANNELS),
        st.sampled_from(KINDS),
    ),
    max_size=12,
)


def _events(raw) -> list[Event]:
    return [
        Event(id=i, company="Acme", when=D(d), channel=c, direction=di, kind=k)
        for i, (d, di, c, k) in enumerate(raw, 1)
    ]


def _calls_this_round(evs: list[Event], day: dt.date) -> int:
    evs = sorted((e for e in evs if e.day <= day), key=lambda e: (e.day, e.id))
    last_iv = max((i for i, e in enumerate(evs) if e.kind == "interview"), default=-1)
    return sum(1 for e in evs[last_iv + 1 :] if e.sent and e.is_call and e.kind != "interview")


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    events_st,
    st.integers(0, 70),
    st.sampled_from(["email", "call", "text"]),
    st.sampled_from(["thank_you", "follow_up"]),
    st.sampled_from(["traditional", "modern", "unknown"]),
    st.one_of(st.none(), st.integers(0, 70)),
)
def test_properties_of_evaluate(raw, send, channel, kind, style, decision):
    evs = _events(raw)
    emp = Employer(
        1, "Acme", style=style, decision_date=D(decision) if decision is not None else None
    )
    v = evaluate(evs, send_on=D(send), channel=channel, kind=kind, employer=emp)
    considered = [e for e in evs if e.day <= D(send)]
    # Every reason formats and is one line.
    for r in v.reasons:
        assert r.message and "\n" not in r.message and "{" not in r.message
    # allowed <=> no blocking reason; allowed => earliest is the send date.
    assert v.allowed == (not any(r.blocking for r in v.reasons))
    if v.allowed:
        assert v.earliest == D(send)
    # The earliest date is never in the past of the last contact, nor before send_on.
    if v.earliest is not None:
        assert v.earliest >= D(send)
        if considered:
            assert v.earliest >= max(e.day for e in considered)
    # A second call is never allowed.
    if channel == "call" and _calls_this_round(evs, D(send)) >= 1:
        assert not v.allowed and v.earliest is None
    # Waiting until the earliest date is enough (when nothing else happens meanwhile).
    if v.earliest is not None and not v.allowed:
        later = evaluate(considered, send_on=v.earliest, channel=channel, kind=kind, employer=emp)
        assert later.allowed, (v.to_dict(), later.to_dict())
    # Order of the log does not matter.
    shuffled = list(evs)
    random.Random(send).shuffle(shuffled)
    again = evaluate(shuffled, send_on=D(send), channel=channel, kind=kind, employer=emp)
    assert (again.allowed, again.earliest, [r.rule for r in again.reasons]) == (
        v.allowed,
        v.earliest,
        [r.rule for r in v.reasons],
    )


@SETTINGS
@given(events_st, st.integers(0, 70))
def test_properties_of_plan(raw, today):
    evs = _events(raw)
    step = plan(evs, today=D(today), company="Acme")
    assert step.sentence and "{" not in step.sentence and "\n" not in step.sentence
    if step.action in ("call", "follow_up"):
        assert step.earliest is not None and step.earliest >= D(today)
        assert step.earliest >= max(e.day for e in evs)
        verdict = evaluate(
            evs, send_on=step.earliest, channel="call" if step.action == "call" else "email"
        )
        assert verdict.allowed
    if step.action == "move_on":
        assert step.earliest is None
